import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMarkdown } from "@/lib/course/markdown";
import type { Block, SectionNode } from "@/lib/course/types";

function parse(text: string) {
  return parseMarkdown({ root: "/x", file: "ch.md", readText: (f) => (f === "ch.md" ? text : null) });
}
const blocks = (nodes: SectionNode[]): Block[] => nodes.flatMap((n) => [...n.blocks, ...blocks(n.children)]);

describe("parseMarkdown", () => {
  it("an item whose ':::' is never closed, swallowing the next heading, is an error at its line", () => {
    const r = parse(["# Chapter 1: One", "## Section 1.1: A", ":::theorem", "Text.", "", "## Section 1.2: B", "**Exercise 1.2.** Do it.", "# Chapter 2: Two", ":::exercise", "x", ":::"].join("\n"));
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: "error", line: 3, message: expect.stringMatching(/":::theorem" is not closed before the heading at line 6 \("Section 1\.2: B"\)/) }),
    ]);
    // A "# comment" in a code block inside an item is code, not a heading.
    const code = parse(["# Chapter 1: One", ":::exercise", "Run:", "", "```python", "# a comment", "print(1)", "```", ":::"].join("\n"));
    expect(code.diagnostics).toEqual([]);
    expect(blocks(code.chapters).filter((b) => b.kind === "exercise")).toHaveLength(1);
  });

  it("skips YAML front matter, keeping line numbers", () => {
    const r = parse(["---", "title: Lecture notes", "author: Me", "---", "", "# Optimisation", "", ":::exercise", "x", ":::"].join("\n"));
    expect(r.chapters.map((c) => c.title)).toEqual(["Optimisation"]);
    expect(r.chapters[0].number).toBe("1");
    const [ex] = blocks(r.chapters).filter((b) => b.kind === "exercise");
    expect(ex).toMatchObject({ label: "Exercise 1.1", source: { line: 8 } });
    // A thematic break later in the file is not front matter.
    expect(parse(["# One", "", "---", "", "text"].join("\n")).chapters.map((c) => c.title)).toEqual(["One"]);
  });

  it("takes printed numbers and derives the rest with one shared counter per chapter", () => {
    const r = parse(
      [
        "# Chapter 5: Practice",
        "## Least squares",
        ":::definition[LS]{#def:ls}",
        "Minimise $\\|Ax-y\\|^2$.",
        ":::",
        "**Exercise 5.7.** Solve it.",
        "",
        "- (a) first",
        "- (b) second",
        "",
        "### Normal equations",
        ":::theorem",
        "$$A^TAx = A^Ty$$",
        ":::",
      ].join("\n"),
    );
    expect(r.diagnostics).toEqual([]);
    const [ch] = r.chapters;
    expect(ch.label).toBe("Chapter 5");
    expect(ch.children[0]).toMatchObject({ label: "Section 5.1", title: "Least squares" });
    expect(ch.children[0].children[0]).toMatchObject({ label: "Subsection 5.1.1", title: "Normal equations" });
    const [def, ex, thm] = blocks(r.chapters);
    expect(def).toMatchObject({ label: "Definition 5.1", title: "LS", text: "Minimise $\\|Ax-y\\|^2$.", latexLabels: ["def:ls"], source: { line: 3, endLine: 5 } });
    expect(ex).toMatchObject({ label: "Exercise 5.7", parts: ["a", "b"], source: { line: 6, endLine: 9 } });
    expect(ex.text).toContain("(b) second");
    expect(thm).toMatchObject({ label: "Theorem 5.8", text: "$$A^TAx = A^Ty$$" });
  });

  it("reports an unknown block and a number outside its chapter", () => {
    const r = parse(["# Chapter 2: X", ":::mystery", "x", ":::", "**Exercise 3.1.** y"].join("\n"));
    expect(r.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [2, expect.stringMatching(/unknown block ":::mystery"/)],
      [5, expect.stringMatching(/Exercise 3.1 is numbered outside Chapter 2/)],
    ]);
  });

  it("parses the demo chapter: sections, subsections, items and nested hints", () => {
    const root = path.resolve("content/demo-course");
    const file = "md/05-optimisation-in-practice.md";
    const r = parseMarkdown({ root, file, readText: (f) => readFileSync(path.join(root, f), "utf8") });
    expect(r.diagnostics).toEqual([]);
    const labels = blocks(r.chapters).filter((b) => b.label).map((b) => b.label);
    expect(labels[0]).toBe("Definition 5.1");
    // one shared counter: labels are 5.1, 5.2, … without gaps
    expect(labels.map((l) => Number(l!.split(".")[1]))).toEqual(labels.map((_, i) => i + 1));
    const withHint = blocks(r.chapters).find((b) => b.title === "Closest point on a line")!;
    expect(withHint.text).toContain(":::hint");
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom("# A", "## 1.2 B", ":::exercise", ":::", "::::", "**Exercise.** x", "$$", "- (a) y", ""), fc.string()), { maxLength: 40 }), (lines) => {
        parse(lines.join("\n"));
      }),
      { numRuns: 200 },
    );
  });
});
