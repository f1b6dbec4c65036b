/**
 * Weight quantisation for onnxruntime's dynamic int8 MatMul kernels (DynamicQuantizeMatMul,
 * QAttention): weights are quantised once here, activations at run time to uint8 per tensor
 * by the kernel itself — the scheme onnxruntime's `quantize_dynamic` produces.
 */

/** How MatMul weights are quantised. */
export interface QuantizationOptions {
  /**
   * `int8`: symmetric signed weights (zero point 0), the U8S8 kernels, fastest on x86.
   * `uint8`: asymmetric unsigned weights, the U8U8 kernels (no 16-bit saturation, slower on AVX2).
   */
  weightType: "int8" | "uint8";
  /** One scale per output column (per channel) instead of one per matrix: better accuracy, same speed. */
  perChannel: boolean;
  /**
   * 7-bit weights. On x86 CPUs without VNNI (AVX2, AVX-512 before Cascade Lake/Zen 4) the U8S8 kernel
   * multiplies with `vpmaddubsw`, which adds two u8×s8 products into a saturating int16:
   * 255·127·2 overflows, 255·63·2 does not. onnxruntime documents reduce_range for exactly this case.
   */
  reduceRange: boolean;
}

/** The default: per-channel symmetric int8 with reduced range (safe on every x86 CPU). */
export const DEFAULT_QUANTIZATION: QuantizationOptions = { weightType: "int8", perChannel: true, reduceRange: true };

/** A quantised `[rows, cols]` row-major matrix with its per-column (or single) scale and zero point. */
export interface QuantizedMatrix {
  data: Int8Array | Uint8Array;
  scale: Float32Array;
  zeroPoint: Int8Array | Uint8Array;
}

/**
 * Quantises a row-major `[rows, cols]` float matrix (a MatMul B operand: rows = input features,
 * cols = output features). Per-channel means one scale per column, as DynamicQuantizeMatMul's
 * 1-D `b_scale` expects.
 */
export function quantizeWeightMatrix(w: Float32Array, rows: number, cols: number, opts: QuantizationOptions): QuantizedMatrix {
  if (w.length !== rows * cols) throw new Error(`quantizeWeightMatrix: ${w.length} values for [${rows}, ${cols}]`);
  const groups = opts.perChannel ? cols : 1;
  const lo = new Float64Array(groups).fill(0);
  const hi = new Float64Array(groups).fill(0);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const g = opts.perChannel ? c : 0;
      const v = w[r * cols + c];
      if (v < lo[g]) lo[g] = v;
      if (v > hi[g]) hi[g] = v;
    }
  }
  const scale = new Float32Array(groups);
  if (opts.weightType === "int8") {
    const qmax = opts.reduceRange ? 63 : 127;
    const zeroPoint = new Int8Array(groups);
    for (let g = 0; g < groups; g++) {
      const absMax = Math.max(-lo[g], hi[g]);
      scale[g] = absMax > 0 ? absMax / qmax : 1;
    }
    const data = new Int8Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const s = scale[opts.perChannel ? c : 0];
        const q = roundHalfToEven(w[r * cols + c] / s);
        data[r * cols + c] = q > qmax ? qmax : q < -qmax ? -qmax : q;
      }
    }
    return { data, scale, zeroPoint };
  }
  const qmax = opts.reduceRange ? 127 : 255;
  const zeroPoint = new Uint8Array(groups);
  for (let g = 0; g < groups; g++) {
    // The range always contains 0 so that 0 is exactly representable (padding, ReLU zeros).
    const range = hi[g] - lo[g];
    scale[g] = range > 0 ? range / qmax : 1;
    const zp = roundHalfToEven(-lo[g] / scale[g]);
    zeroPoint[g] = Math.min(qmax, Math.max(0, zp));
  }
  const data = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const g = opts.perChannel ? c : 0;
      const q = roundHalfToEven(w[r * cols + c] / scale[g]) + zeroPoint[g];
      data[r * cols + c] = q > qmax ? qmax : q < 0 ? 0 : q;
    }
  }
  return { data, scale, zeroPoint };
}

/** Dequantises back to float (tests, error reports). */
export function dequantizeWeightMatrix(q: QuantizedMatrix, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  const perChannel = q.scale.length === cols && cols > 1;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const g = perChannel ? c : 0;
      out[r * cols + c] = (q.data[r * cols + c] - q.zeroPoint[g]) * q.scale[g];
    }
  }
  return out;
}

/** Banker's rounding, as numpy (and so onnxruntime's Python quantiser) rounds. */
export function roundHalfToEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
