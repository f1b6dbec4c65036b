import { describe, expect, it } from "vitest";
import { buildInputIds, deriveSpecialTokenLayout, padBatch, planBatches } from "@/lib/embed/tokens";

const BERT = { prefix: [2], suffix: [3] };

describe("deriveSpecialTokenLayout", () => {
  it("finds [CLS] … [SEP] around the bare ids", () => {
    expect(deriveSpecialTokenLayout([2, 73, 3], [73])).toEqual(BERT);
    expect(deriveSpecialTokenLayout([0, 10, 11, 2, 2], [10, 11])).toEqual({ prefix: [0], suffix: [2, 2] });
  });
  it("refuses a post-processor that rewrites the text's ids", () => {
    expect(() => deriveSpecialTokenLayout([2, 99, 3], [73])).toThrow();
  });
});

describe("buildInputIds (sentence-transformers truncation)", () => {
  it("keeps short texts whole", () => {
    expect(buildInputIds([5, 6, 7], BERT, 10)).toEqual([2, 5, 6, 7, 3]);
    expect(buildInputIds([], BERT, 10)).toEqual([2, 3]);
  });
  it("cuts the content, never the final [SEP]", () => {
    const content = Array.from({ length: 100 }, (_, i) => 10 + i);
    const ids = buildInputIds(content, BERT, 48);
    expect(ids).toHaveLength(48);
    expect(ids[0]).toBe(2);
    expect(ids[47]).toBe(3);
    expect(ids.slice(1, 47)).toEqual(content.slice(0, 46));
  });
  it("is exact at the boundary", () => {
    expect(buildInputIds([5, 6, 7], BERT, 5)).toEqual([2, 5, 6, 7, 3]);
    expect(buildInputIds([5, 6, 7, 8], BERT, 5)).toEqual([2, 5, 6, 7, 3]);
  });
  it("rejects a max length that leaves no room for the special tokens", () => {
    expect(() => buildInputIds([5], BERT, 1)).toThrow();
  });
});

describe("planBatches", () => {
  it("sorts by length (longest first), chunks, and covers every index once", () => {
    const lengths = [5, 50, 7, 49, 2, 30];
    const batches = planBatches(lengths, 2);
    expect(batches).toEqual([[1, 3], [5, 2], [0, 4]]);
    expect(batches.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it("keeps input order among equal lengths and handles empty input", () => {
    expect(planBatches([3, 3, 3], 8)).toEqual([[0, 1, 2]]);
    expect(planBatches([], 4)).toEqual([]);
  });
  it("rejects a non-positive batch size", () => {
    expect(() => planBatches([1], 0)).toThrow();
  });
});

describe("padBatch", () => {
  it("right-pads with the pad id and a zero mask", () => {
    const b = padBatch([[2, 5, 3], [2, 3]], 0);
    expect(b.seqLen).toBe(3);
    expect(Array.from(b.inputIds, Number)).toEqual([2, 5, 3, 2, 3, 0]);
    expect(Array.from(b.attentionMask, Number)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(Array.from(b.tokenTypeIds, Number)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
