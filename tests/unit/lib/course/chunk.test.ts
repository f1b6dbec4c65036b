/** Passages: consecutive whole blocks of one heading that fit the model window. */
import { describe, expect, it } from "vitest";
import { chunkCourse, estimateTokens } from "@/lib/course/chunk";
import { renderBlock } from "@/lib/course/items";
import type { Block, CourseDoc, SectionNode } from "@/lib/course/types";

function para(i: number, words: number): Block {
  const text = Array.from({ length: words }, (_, k) => (k % 7 === 0 ? `$x_{${i}}^{${k}}$` : `word${k % 13}`)).join(" ");
  return { kind: "paragraph", text, source: { file: "a.tex", line: i + 1, endLine: i + 1 } };
}

function docOf(blocks: Block[]): CourseDoc {
  const section: SectionNode = { kind: "section", number: "1.1", title: "Long", label: "Section 1.1", blocks, children: [], source: { file: "a.tex", line: 1, endLine: blocks.length + 1 } };
  const chapter: SectionNode = { kind: "chapter", number: "1", title: "C", label: "Chapter 1", blocks: [], children: [section], source: { file: "a.tex", line: 1, endLine: blocks.length + 1 } };
  return { id: "c", title: "T", root: "/x", chapters: [chapter], diagnostics: [], files: ["a.tex"] } as unknown as CourseDoc;
}

describe("chunkCourse", () => {
  // a long section of blocks of varied length, one of them over the window on its own
  const blocks = Array.from({ length: 400 }, (_, i) => para(i, i === 200 ? 900 : 5 + ((i * 37) % 90)));
  const { passages, oversized } = chunkCourse(docOf(blocks), { maxTokens: 512 });
  const header = passages[0].text.slice(0, passages[0].text.indexOf("\n\n"));

  it("cuts only between blocks: every block once, in order", () => {
    const joined = passages.map((p) => p.text.slice(header.length + 2)).join("\n\n");
    expect(joined).toBe(blocks.map(renderBlock).join("\n\n"));
  });

  it("each passage is as long as fits: within the window (but a block alone over it), and the next block would not fit", () => {
    let at = 0;
    for (const p of passages) {
      const n = p.text.slice(header.length + 2).split("\n\n").length;
      expect(p.tokens).toBe(estimateTokens(p.text));
      if (n > 1) expect(p.tokens).toBeLessThanOrEqual(512);
      const next = blocks[at + n];
      if (next) expect(estimateTokens(`${p.text}\n\n${renderBlock(next)}`)).toBeGreaterThan(512);
      at += n;
    }
    expect(at).toBe(blocks.length);
    expect(oversized.map((o) => o.tokens)).toEqual(passages.filter((p) => p.tokens > 512).map((p) => p.tokens));
    expect(oversized).toHaveLength(1);
  });
});
