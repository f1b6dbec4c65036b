import { describe, expect, it } from "vitest";
import { computeCosine, normalizeL2, poolCls, poolMax, poolMean } from "@/lib/embed/pooling";

// Two rows, seqLen 3, hidden 2; row 1 has one padding position holding garbage.
const hidden = Float32Array.from([1, 2, 3, 4, 5, 6, /* row 1 */ 10, 20, 30, 40, 999, -999]);

describe("pooling", () => {
  it("averages over the masked tokens only, [CLS]/[SEP] included", () => {
    expect(Array.from(poolMean({ hidden, seqLen: 3, hiddenSize: 2, row: 0, length: 3 }))).toEqual([3, 4]);
    expect(Array.from(poolMean({ hidden, seqLen: 3, hiddenSize: 2, row: 1, length: 2 }))).toEqual([20, 30]);
  });
  it("leaves prompt tokens out when asked (include_prompt: false)", () => {
    expect(Array.from(poolMean({ hidden, seqLen: 3, hiddenSize: 2, row: 0, length: 3, skip: 1 }))).toEqual([4, 5]);
  });
  it("gives a zero vector, not NaN, for an empty mask", () => {
    expect(Array.from(poolMean({ hidden, seqLen: 3, hiddenSize: 2, row: 0, length: 0 }))).toEqual([0, 0]);
  });
  it("implements cls and max pooling", () => {
    expect(Array.from(poolCls({ hidden, seqLen: 3, hiddenSize: 2, row: 1, length: 2 }))).toEqual([10, 20]);
    expect(Array.from(poolMax({ hidden, seqLen: 3, hiddenSize: 2, row: 1, length: 2 }))).toEqual([30, 40]);
  });
  it("normalises to unit length and leaves zero vectors at zero", () => {
    const n = normalizeL2(Float32Array.from([3, 4]));
    expect(n[0]).toBeCloseTo(0.6, 7);
    expect(n[1]).toBeCloseTo(0.8, 7);
    expect(Array.from(normalizeL2(new Float32Array(3)))).toEqual([0, 0, 0]);
  });
  it("computes cosine similarity", () => {
    expect(computeCosine([1, 0], [0, 1])).toBe(0);
    expect(computeCosine([1, 2], [2, 4])).toBeCloseTo(1, 12);
  });
});
