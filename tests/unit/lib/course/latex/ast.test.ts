/** Parsing in chunks: a file parsed again after macro edits reuses the chunks the edits left alone. */
import { describe, expect, it } from "vitest";
import { parseChunks, type ChunkCache } from "@/lib/course/latex/ast";

const splitsOf = (src: string) => [...src.matchAll(/\n\n/g)].map((m) => m.index + 2);
const noError = () => {
  throw new Error("unexpected parse error");
};

describe("parseChunks with a chunk cache", () => {
  const before = "\\section{A}\nText $x$ here.\n\n\\myhead{B}\nMore \\emph{text}.\n\n\\begin{thm}\\label{t}\nBody.\n\\end{thm}\n";
  const after = before.replace("\\myhead{B}", "\\subsection{B}\\label{b}");

  it("gives the same nodes as a fresh parse, positions in the whole text, and parses only the changed chunk", () => {
    const cache: ChunkCache = new Map();
    expect(parseChunks(before, splitsOf(before), noError, cache)).toEqual(parseChunks(before, splitsOf(before), noError));
    expect(cache.size).toBe(3);
    const again = parseChunks(after, splitsOf(after), noError, cache);
    expect(again).toEqual(parseChunks(after, splitsOf(after), noError));
    // one new chunk (the edited one); the others came from the cache, shifted to their new offsets
    expect(cache.size).toBe(4);
    const thm = again.find((n) => n.type === "environment")!;
    expect(after.slice(thm.position!.start.offset, thm.position!.start.offset + 11)).toBe("\\begin{thm}");
  });

  it("a cached chunk is a copy: what a caller changes in the nodes does not reach the next parse", () => {
    const cache: ChunkCache = new Map();
    const first = parseChunks(before, splitsOf(before), noError, cache);
    (first[0] as { content: string }).content = "changed";
    expect(parseChunks(before, splitsOf(before), noError, cache)).toEqual(parseChunks(before, splitsOf(before), noError));
  });
});
