/**
 * What a book prints, with the real pdflatex settling the numbers (`loadCourseWithTex`): references whose keys
 * run over lines, footnote labels, a heading made by a macro with a running-head mark, appendices. The fixture
 * is tests/fixtures/latex/refs-print (its .aux and PDF text in tests/fixtures/latex-truth/refs-print.*).
 * Needs pdflatex (scripts/test.sh installs TeX Live from Debian).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listItems } from "@/lib/course/items";
import { findTexEngine } from "@/lib/course/latex/engine";
import { loadCourseWithTex } from "@/lib/course/load-course";

const FIXTURES = path.resolve(__dirname, "../fixtures/latex");
const found = findTexEngine({ setting: undefined });
if (!found.engine) throw new Error(`these tests need pdflatex: ${found.reason}`);
const engine = found.engine;

describe("refs-print with TeX", () => {
  it("references, footnotes, the macro-made heading and the appendix read as the PDF prints them", async () => {
    const doc = await loadCourseWithTex({ path: path.join(FIXTURES, "refs-print"), tex: engine });
    expect(doc.numbers).toMatch(/^as printed by pdfTeX/);
    expect(doc.diagnostics).toEqual([]);
    const items = listItems(doc);
    const text = (label: string) => items.find((i) => i.label === label)!.text.replace(/\s+/g, " ");
    expect(items.filter((i) => i.kind === "chapter" || i.kind === "section").map((i) => `${i.label}: ${i.title}`)).toEqual([
      "Chapter 1: Limits",
      "Section 1.1: One-sided limits",
      "Section 1.2: Taylor Polynomials",
      "Chapter 2: Derivatives",
      "Section 2.1: Continuity",
      "Appendix A: Review",
      "Section A.1: Trigonometry",
    ]);
    expect(text("Section 1.1")).toContain("Please use the notation of Definition 1.1.1 above, or Definition 1.1.1.");
    expect(text("Section 2.1")).toContain("Quickly reread Footnote 3 in Section 1.1, Footnote 7 and Chapter 1.");
    expect(text("Section A.1")).toContain("See Section 1.2 and Footnote 1.");
  });
});

describe("an appendix whose letter only TeX knows", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "latex-print-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps its printed name when the TeX run changes its number", async () => {
    // \inputlineno is what TeX knows and the source parse cannot evaluate: the appendix is G (line 6, then stepped).
    writeFileSync(
      path.join(dir, "book.tex"),
      ["\\documentclass{book}", "\\begin{document}", "\\chapter{One}", "Text.", "\\appendix", "\\setcounter{chapter}{\\inputlineno}", "\\chapter{Tables}", "Tables.", "\\end{document}", ""].join("\n"),
    );
    const doc = await loadCourseWithTex({ path: dir, tex: engine });
    expect(doc.numbers).toMatch(/^as printed by pdfTeX/);
    expect(doc.chapters.map((c) => c.label)).toEqual(["Chapter 1", "Appendix G"]);
  });
});
