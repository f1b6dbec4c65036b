import { describe, expect, it } from "vitest";
import { dequantizeWeightMatrix, quantizeWeightMatrix, roundHalfToEven } from "@/lib/embed/quantize";

const rows = 16;
const cols = 8;
// Columns with very different ranges: per-channel scales must follow them.
const w = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 1.7) * (1 + (i % cols) * 3));

describe("quantizeWeightMatrix", () => {
  it("symmetric int8 with reduced range stays within ±63 and within half a step", () => {
    const q = quantizeWeightMatrix(w, rows, cols, { weightType: "int8", perChannel: true, reduceRange: true });
    expect(q.scale).toHaveLength(cols);
    expect(Math.max(...Array.from(q.data, Math.abs))).toBeLessThanOrEqual(63);
    expect(Array.from(q.zeroPoint)).toEqual(new Array(cols).fill(0));
    const back = dequantizeWeightMatrix(q, rows, cols);
    for (let i = 0; i < w.length; i++) expect(Math.abs(back[i] - w[i])).toBeLessThanOrEqual(q.scale[i % cols] / 2 + 1e-6);
  });
  it("per-tensor and full-range int8 use one scale and ±127", () => {
    const q = quantizeWeightMatrix(w, rows, cols, { weightType: "int8", perChannel: false, reduceRange: false });
    expect(q.scale).toHaveLength(1);
    expect(Math.max(...Array.from(q.data, Math.abs))).toBe(127);
  });
  it("asymmetric uint8 represents 0 exactly", () => {
    const q = quantizeWeightMatrix(w, rows, cols, { weightType: "uint8", perChannel: true, reduceRange: false });
    const back = dequantizeWeightMatrix(q, rows, cols);
    for (let i = 0; i < w.length; i++) expect(Math.abs(back[i] - w[i])).toBeLessThanOrEqual(q.scale[i % cols] / 2 + 1e-6);
    const zeros = quantizeWeightMatrix(new Float32Array(4), 2, 2, { weightType: "uint8", perChannel: true, reduceRange: false });
    expect(Array.from(dequantizeWeightMatrix(zeros, 2, 2))).toEqual([0, 0, 0, 0]);
  });
  it("rounds half to even like numpy", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfToEven)).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
  });
});
