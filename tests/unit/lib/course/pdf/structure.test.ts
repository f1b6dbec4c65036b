import { describe, expect, it } from "vitest";
import type { PageLayout } from "@/lib/course/pdf/layout";
import type { PdfLine } from "@/lib/course/pdf/read-pdf";
import { structurePdf, withoutLevelWord } from "@/lib/course/pdf/structure";
import type { SectionNode } from "@/lib/course/types";

/** One page of lines at the left margin, top to bottom: [text, font size]. */
function layout(rows: [string, number][]): PageLayout {
  let y = 750;
  const lines: PdfLine[] = rows.map(([text, size]) => {
    y -= size * 1.6;
    return { text, page: 1, x: 72, xEnd: 72 + text.length * size * 0.45, y, size };
  });
  return { lines, bodySize: 11, margin: { odd: 72, even: 72 }, right: { odd: 540, even: 540 }, pageOffset: null, leading: 14 };
}
const labels = (nodes: SectionNode[]): string[] => nodes.flatMap((n) => [`${n.label}|${n.title}`, ...n.blocks.filter((b) => b.label).map((b) => b.label!), ...labels(n.children)]);

describe("headings that name their level before the number (Markdown exports)", () => {
  it("'Section 5.1: Least squares' is Section 5.1, its level from the number's depth", () => {
    const body = "Some body text of the notes that runs across the whole width of the printed page here.";
    const parsed = structurePdf(
      "notes.pdf",
      layout([
        ["Chapter 5: Optimisation in practice", 20],
        [body, 11],
        ["Section 5.1: Least squares", 15],
        [body, 11],
        ["Subsection 5.1.1: The least squares problem", 12.5],
        ["Definition 5.1 (Least squares problem). Let A be a matrix and y a vector of the right length.", 11],
        [body, 11],
        ["Section 5.2 Gradient descent", 15],
        [body, 11],
      ]),
    );
    expect(labels(parsed.chapters)).toEqual([
      "Chapter 5|Optimisation in practice",
      "Section 5.1|Least squares",
      "Subsection 5.1.1|The least squares problem",
      "Definition 5.1",
      "Section 5.2|Gradient descent",
    ]);
  });

  it("only a level word followed by a dotted number is read that way; other text is left alone", () => {
    expect(withoutLevelWord("Section 5.1: Least squares")).toBe("5.1 Least squares");
    expect(withoutLevelWord("Subsubsection 1.2.3. Rules")).toBe("1.2.3 Rules");
    expect(withoutLevelWord("§ 2.3 Limits")).toBe("2.3 Limits");
    expect(withoutLevelWord("SECTION 4.2 GRAPHS")).toBe("4.2 GRAPHS");
    expect(withoutLevelWord("Section 5 is where we meet limits")).toBe("Section 5 is where we meet limits");
    expect(withoutLevelWord("Sections 5.1 and 5.2 cover it")).toBe("Sections 5.1 and 5.2 cover it");
    expect(withoutLevelWord("5.1 Least squares")).toBe("5.1 Least squares");
  });
});
