import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTextExport } from "@/lib/course/text-export";
import type { Block, SectionNode } from "@/lib/course/types";

const DEMO = path.resolve("content/demo-course");

function parse(text: string, file = "notes.txt") {
  return parseTextExport({ root: "/nowhere", file, readText: (f) => (f === file ? text : null) });
}

function allBlocks(nodes: SectionNode[]): Block[] {
  return nodes.flatMap((n) => [...n.blocks, ...allBlocks(n.children)]);
}

describe("parseTextExport", () => {
  it("reads headings, items, titles, parts, hints and proofs with exact text and line ranges", () => {
    const text = [
      "Chapter 1: Numbers", // 1
      "", // 2
      "Section 1.6: More on sets", // 3
      "Subsection 1.6.1: Identities", // 4
      "Exercise 1.41 (Set identities): Show that", // 5
      "(a) $A \\cup B = B \\cup A$", // 6
      "(b) which identity gives $(A \\cap B)^c$?", // 7
      "\\begin{hint}", // 8
      "De Morgan.", // 9
      "\\end{hint}", // 10
      "/Exercise", // 11
      "Theorem 1.42: Every set equals itself.", // 12
      "/Theorem", // 13
      "\\begin{proof}", // 14
      "Trivial.", // 15
      "\\end{proof}", // 16
    ].join("\n");
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    const [ch] = r.chapters;
    expect(ch.label).toBe("Chapter 1");
    expect(ch.children[0].label).toBe("Section 1.6");
    expect(ch.children[0].title).toBe("More on sets");
    const sub = ch.children[0].children[0];
    expect(sub.label).toBe("Subsection 1.6.1");
    const [ex, thm, proof] = sub.blocks;
    expect(ex).toMatchObject({ kind: "exercise", number: "1.41", label: "Exercise 1.41", title: "Set identities", parts: ["a", "b"] });
    expect(ex.text).toBe("Show that\n(a) $A \\cup B = B \\cup A$\n(b) which identity gives $(A \\cap B)^c$?\n\\begin{hint}\nDe Morgan.\n\\end{hint}");
    expect(ex.source).toEqual({ file: "notes.txt", line: 5, endLine: 11 });
    expect(thm).toMatchObject({ kind: "theorem", label: "Theorem 1.42", text: "Every set equals itself." });
    expect(proof).toMatchObject({ kind: "proof", source: { line: 14, endLine: 16 } });
  });

  it("keeps Sage HTML blocks and quizzes whole", () => {
    const r = parse(["Chapter 2: F", '<div class="sage">', '<script type="text/x-sage">', "", "expand((x+1)^3)", "</script>", "</div>", "\\begin{quiz}", "", "Q?", "\\end{quiz}"].join("\n"));
    const blocks = allBlocks(r.chapters);
    expect(blocks.map((b) => b.kind)).toEqual(["code", "quiz"]);
    expect(blocks[0].text).toContain("expand((x+1)^3)");
    expect(blocks[0].source).toMatchObject({ line: 2, endLine: 7 });
  });

  it("reports an unterminated item at its own line and still keeps it", () => {
    const r = parse(["Chapter 1: A", "Exercise 1.1: first", "more", "Exercise 1.2: second", "/Exercise"].join("\n"));
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining("unterminated Exercise 1.1") })]);
    expect(allBlocks(r.chapters).map((b) => b.label)).toEqual(["Exercise 1.1", "Exercise 1.2"]);
    expect(allBlocks(r.chapters)[0].text).toBe("first\nmore");
  });

  it("reports an item left open at the end of the file, a mismatched and a stray closing line", () => {
    const r = parse(["Chapter 1: A", "Theorem 1.1: x", "/Exercise", "/Definition", "Exercise 1.2: y"].join("\n"));
    const messages = r.diagnostics.map((d) => `${d.line}: ${d.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^3: "\/Exercise" closes Theorem 1.1/),
      expect.stringMatching(/^4: "\/Definition" without an open Definition/),
      expect.stringMatching(/^5: unterminated Exercise 1.2: .* end of the file/),
    ]);
  });

  it("reports unknown environments and numbers outside their chapter", () => {
    const r = parse(["Chapter 1: A", "\\begin{mystery}", "x", "\\end{mystery}", "Exercise 2.1: wrong chapter", "/Exercise"].join("\n"));
    expect(r.diagnostics.map((d) => d.line)).toEqual([2, 5]);
    expect(r.diagnostics[0].message).toMatch(/unknown environment "mystery"/);
    expect(r.diagnostics[1].message).toMatch(/Exercise 2.1 is numbered outside its enclosing Chapter 1/);
  });

  it("keeps content before the first chapter instead of dropping it", () => {
    const r = parse(["Exercise 3.1: orphan", "/Exercise"].join("\n"));
    expect(r.chapters[0].number).toBe("3");
    expect(allBlocks(r.chapters)[0].label).toBe("Exercise 3.1");
    expect(r.diagnostics[0].message).toMatch(/before the first "Chapter" heading/);
  });

  it("parses the demo chapters without diagnostics and with every exercise closed", () => {
    for (const file of ["notes/01-numbers-logic-sets.txt", "notes/02-functions-induction.txt"]) {
      const r = parseTextExport({ root: DEMO, file, readText: (f) => readFileSync(path.join(DEMO, f), "utf8") });
      expect(r.diagnostics).toEqual([]);
      const source = readFileSync(path.join(DEMO, file), "utf8");
      const openers = source.match(/^(Exercise|Definition|Theorem|Lemma|Proposition|Corollary|Example|Remark) \d+\.\d+/gm) ?? [];
      const labels = allBlocks(r.chapters).filter((b) => b.label).map((b) => b.label);
      expect(labels).toEqual(openers);
    }
  });

  it("never throws and keeps every line range inside the file, whatever the input", () => {
    const line = fc.oneof(
      fc.constantFrom("Chapter 1: A", "Section 1.1: B", "Subsection 1.1.1: C", "Exercise 1.1: x", "/Exercise", "/Theorem", "Theorem 1.2 (T): y", "\\begin{proof}", "\\end{proof}", "\\begin{hint}", '<div class="sage">', "</div>", "```", "", "(a) part"),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const r = parse(lines.join("\n"));
        for (const b of allBlocks(r.chapters)) {
          expect(b.source.line).toBeGreaterThanOrEqual(1);
          expect(b.source.endLine).toBeGreaterThanOrEqual(b.source.line);
          expect(b.source.endLine).toBeLessThanOrEqual(lines.length || 1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
