import { describe, expect, it } from "vitest";
import { pdfPageHref, pdfPageOf, sourceRef, sourceText } from "@/lib/cite/source";

describe("source refs", () => {
  it("a PDF's lines are pages; a source file keeps its lines", () => {
    expect(sourceRef("notes/Lecture 1.PDF", 5, 6)).toEqual({ file: "notes/Lecture 1.PDF", page: 5, endPage: 6 });
    expect(sourceRef("tex/notes.tex", 12, 30)).toEqual({ file: "tex/notes.tex", line: 12, endLine: 30 });
    expect(sourceText(sourceRef("a.pdf", 5, 5))).toBe("a.pdf, page 5");
    expect(sourceText(sourceRef("a.pdf", 5, 7))).toBe("a.pdf, pages 5–7");
    expect(sourceText(sourceRef("a.md", 3, 3))).toBe("a.md:3");
    expect(sourceText(sourceRef("a.md", 3, 9))).toBe("a.md:3–9");
  });

  it("links the PDF at its page, escaped; a source file has no PDF link", () => {
    expect(pdfPageHref("imo demo", sourceRef("notes/Lecture 1&2.pdf", 7, 8))).toBe("/api/pdf?course=imo%20demo&file=notes%2FLecture%201%262.pdf#page=7");
    expect(pdfPageHref("imo", sourceRef("a.tex", 7, 8))).toBeUndefined();
  });

  it("a LaTeX source printed as the PDF beside it keeps its lines and links the PDF at the page", () => {
    const s = sourceRef("tex/notes.tex", 12, 30, { pdf: "tex/notes.pdf", page: 9 });
    expect(s).toEqual({ file: "tex/notes.tex", line: 12, endLine: 30, pdf: "tex/notes.pdf", pdfPage: 9 });
    expect(sourceText(s)).toBe("tex/notes.tex:12–30 (tex/notes.pdf, page 9)");
    expect(pdfPageOf(s)).toEqual({ file: "tex/notes.pdf", page: 9 });
    expect(pdfPageHref("imo", s)).toBe("/api/pdf?course=imo&file=tex%2Fnotes.pdf#page=9");
    // Nulls from a store without the columns: no page.
    expect(sourceRef("tex/notes.tex", 12, 30, { pdf: null, page: null })).toEqual({ file: "tex/notes.tex", line: 12, endLine: 30 });
    expect(pdfPageOf(sourceRef("a.pdf", 4, 5))).toEqual({ file: "a.pdf", page: 4 });
  });
});
