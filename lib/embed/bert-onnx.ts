import type { BertConfig } from "./model-config";
import { MS_DOMAIN, ONNX_TYPE, OnnxGraphBuilder } from "./onnx-graph";
import { quantizeWeightMatrix, type QuantizationOptions } from "./quantize";
import type { FloatTensor } from "./safetensors";

/**
 * Builds the ONNX graph of a BERT encoder (the `BertModel` of transformers, no pooler) from its
 * safetensors weights, in the layout transformers.js loads: inputs `input_ids`, `attention_mask`,
 * `token_type_ids` (int64, [batch_size, sequence_length]), output `last_hidden_state`
 * (float32, [batch_size, sequence_length, hidden]). Pooling and normalisation stay outside the graph,
 * in lib/embed/pooling.ts, as in the Hub's own ONNX exports.
 *
 * Two layouts:
 * - `fused` (default): onnxruntime's contrib operators, one kernel per block —
 *   EmbedLayerNormalization (three gathers + sum + LayerNorm), Attention (packed QKV GEMM + masked
 *   softmax(QKᵀ/√d)V per head), SkipLayerNormalization (bias + residual + LayerNorm), BiasGelu (erf
 *   GELU, BERT's exact form). All compute in float32 with the same formulas as PyTorch; the
 *   layer-by-layer agreement is checked in tests/integration/embed.test.ts.
 * - `standard`: only ai.onnx operators (opset 17: LayerNormalization is native from 17), for
 *   runtimes without the contrib ops; onnxruntime's optimiser re-fuses most of it.
 *
 * int8 (`quantization` set): every weight MatMul becomes com.microsoft.DynamicQuantizeMatMul (uint8
 * activations quantised per call, int8 weights, float bias) — what onnxruntime's `quantize_dynamic`
 * yields after its MatMulIntegerToFloat fusion — and the fused Attention becomes QAttention fed by
 * DynamicQuantizeLinear. Embeddings, LayerNorms, softmax and GELU stay float32; with the bias inside
 * DynamicQuantizeMatMul, residual + LayerNorm use plain Add + LayerNormalization (faster than
 * SkipLayerNormalization on CPU) and GELU is com.microsoft.Gelu (erf form, exact).
 */

/** Options of one graph build. */
export interface BuildGraphOptions {
  layout: "fused" | "standard";
  /** Absent: float32 graph. Present: dynamic int8 MatMuls with these weight settings. */
  quantization?: QuantizationOptions;
  /** With quantization: QAttention for the QKV projection (true) or keep Attention in float32. */
  quantizeAttention?: boolean;
}

/** Names of the graph inputs/outputs, fixed by the transformers.js feature-extraction layout. */
export const GRAPH_INPUTS = ["input_ids", "attention_mask", "token_type_ids"] as const;
export const GRAPH_OUTPUT = "last_hidden_state";

/** Thrown when the weights do not match config.json (missing tensor, wrong shape). */
export class WeightMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WeightMismatchError";
  }
}

/** Weight lookup that accepts both `BertModel` names and `bert.`-prefixed ones (BertFor… checkpoints). */
function createWeightReader(tensors: Map<string, FloatTensor>) {
  const prefix = tensors.has("embeddings.word_embeddings.weight") ? "" : tensors.has("bert.embeddings.word_embeddings.weight") ? "bert." : null;
  if (prefix === null) throw new WeightMismatchError("no embeddings.word_embeddings.weight in the safetensors file: not a BERT checkpoint");
  return (name: string, shape: number[], alternative?: string): FloatTensor => {
    let t = tensors.get(prefix + name);
    // Very old checkpoints name LayerNorm parameters gamma/beta.
    if (!t && alternative) t = tensors.get(prefix + alternative);
    if (!t) throw new WeightMismatchError(`missing tensor ${prefix + name}`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new WeightMismatchError(`tensor ${prefix + name} has shape [${t.shape}], config.json implies [${shape}]`);
    }
    return t;
  };
}

/** Transposes a PyTorch Linear weight [out, in] to the [in, out] layout MatMul(x, W) wants. */
function transposeMatrix(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c];
  return out;
}

/** Concatenates [in, outA], [in, outB], … column-wise into [in, Σout] (the packed QKV weight). */
function concatColumns(mats: Float32Array[], rows: number, cols: number): Float32Array {
  const total = cols * mats.length;
  const out = new Float32Array(rows * total);
  for (let r = 0; r < rows; r++) mats.forEach((m, i) => out.set(m.subarray(r * cols, (r + 1) * cols), r * total + i * cols));
  return out;
}

/**
 * Builds the serialised ONNX model. `tensors` are the safetensors weights (float32), `config` the
 * parsed config.json.
 */
export function buildBertOnnx(tensors: Map<string, FloatTensor>, config: BertConfig, opts: BuildGraphOptions): Uint8Array {
  const { hiddenSize: H, numHeads, intermediateSize: I, numLayers } = config;
  const headSize = H / numHeads;
  const weight = createWeightReader(tensors);
  const g = new OnnxGraphBuilder("bert_encoder");
  const eps = config.layerNormEps;
  const q = opts.quantization;

  for (const name of GRAPH_INPUTS) g.addInput(name, ONNX_TYPE.INT64, ["batch_size", "sequence_length"]);

  /** x @ Wᵀ (+ b when the caller does not fold the bias into the next fused op). */
  const linear = (x: string, prefix: string, inF: number, outF: number, withBias: boolean): string => {
    const w = transposeMatrix(weight(`${prefix}.weight`, [outF, inF]).data, outF, inF);
    const bias = withBias ? g.addInitializer(`${prefix}.bias`, ONNX_TYPE.FLOAT, [outF], weight(`${prefix}.bias`, [outF]).data) : null;
    let y: string;
    if (q) {
      const qm = quantizeWeightMatrix(w, inF, outF, q);
      const wType = q.weightType === "int8" ? ONNX_TYPE.INT8 : ONNX_TYPE.UINT8;
      const scale = g.addInitializer(`${prefix}.weight_scale`, ONNX_TYPE.FLOAT, [qm.scale.length], qm.scale);
      const zp = g.addInitializer(`${prefix}.weight_zero_point`, wType, [qm.zeroPoint.length], qm.zeroPoint);
      const wq = g.addInitializer(`${prefix}.weight_quantized`, wType, [inF, outF], qm.data);
      // DynamicQuantizeMatMul takes the bias as its 5th input, saving a separate Add.
      [y] = g.addNode("DynamicQuantizeMatMul", bias ? [x, wq, scale, zp, bias] : [x, wq, scale, zp], 1, {}, MS_DOMAIN);
      return y;
    }
    [y] = g.addNode("MatMul", [x, g.addInitializer(`${prefix}.weight_t`, ONNX_TYPE.FLOAT, [inF, outF], w)], 1);
    if (bias) [y] = g.addNode("Add", [y, bias], 1);
    return y;
  };
  const biasOf = (prefix: string, n: number) => g.addInitializer(`${prefix}.bias`, ONNX_TYPE.FLOAT, [n], weight(`${prefix}.bias`, [n]).data);
  const lnParams = (prefix: string) => [
    g.addInitializer(`${prefix}.weight`, ONNX_TYPE.FLOAT, [H], weight(`${prefix}.weight`, [H], `${prefix}.gamma`).data),
    g.addInitializer(`${prefix}.bias`, ONNX_TYPE.FLOAT, [H], weight(`${prefix}.bias`, [H], `${prefix}.beta`).data),
  ];
  const wordEmb = g.addInitializer("embeddings.word_embeddings.weight", ONNX_TYPE.FLOAT, [config.vocabSize, H], weight("embeddings.word_embeddings.weight", [config.vocabSize, H]).data);
  const posEmb = g.addInitializer("embeddings.position_embeddings.weight", ONNX_TYPE.FLOAT, [config.maxPositions, H], weight("embeddings.position_embeddings.weight", [config.maxPositions, H]).data);
  const typeEmb = g.addInitializer("embeddings.token_type_embeddings.weight", ONNX_TYPE.FLOAT, [config.typeVocabSize, H], weight("embeddings.token_type_embeddings.weight", [config.typeVocabSize, H]).data);
  const [embGamma, embBeta] = lnParams("embeddings.LayerNorm");

  const gelu = (x: string, bias: string): string => {
    if (config.hiddenAct === "relu") return g.addNode("Relu", [g.addNode("Add", [x, bias], 1)[0]], 1)[0];
    if (opts.layout === "fused") {
      return g.addNode(config.hiddenAct === "gelu" ? "BiasGelu" : "FastGelu", [x, bias], 1, {}, MS_DOMAIN)[0];
    }
    const [xb] = g.addNode("Add", [x, bias], 1);
    if (config.hiddenAct === "gelu") {
      // 0.5·x·(1 + erf(x/√2)): the exact GELU of BERT (onnxruntime fuses this pattern back into Gelu).
      const [div] = g.addNode("Div", [xb, g.addInitializer("sqrt2", ONNX_TYPE.FLOAT, [], new Float32Array([Math.SQRT2]))], 1);
      const [erf] = g.addNode("Erf", [div], 1);
      const [plus] = g.addNode("Add", [erf, g.addInitializer("one", ONNX_TYPE.FLOAT, [], new Float32Array([1]))], 1);
      const [mul] = g.addNode("Mul", [xb, plus], 1);
      return g.addNode("Mul", [mul, g.addInitializer("half", ONNX_TYPE.FLOAT, [], new Float32Array([0.5]))], 1)[0];
    }
    return g.addNode("FastGelu", [xb], 1, {}, MS_DOMAIN)[0];
  };

  /** The activation alone, on an input that already carries its bias. */
  const activate = (x: string): string =>
    config.hiddenAct === "relu"
      ? g.addNode("Relu", [x], 1)[0]
      : g.addNode(config.hiddenAct === "gelu" ? "Gelu" : "FastGelu", [x], 1, {}, MS_DOMAIN)[0];

  let x: string;
  if (opts.layout === "fused") {
    const [ids32] = g.addNode("Cast", ["input_ids"], 1, { to: ONNX_TYPE.INT32 });
    const [types32] = g.addNode("Cast", ["token_type_ids"], 1, { to: ONNX_TYPE.INT32 });
    const [mask32] = g.addNode("Cast", ["attention_mask"], 1, { to: ONNX_TYPE.INT32 });
    // Position ids default to 0…S-1 inside the kernel, as BertEmbeddings does. The kernel's own
    // mask_index output (a count per row) is unused: Attention gets the raw 2-D mask instead, which
    // stays right for any padding side.
    [x] = g.addNode(
      "EmbedLayerNormalization",
      [ids32, types32, wordEmb, posEmb, typeEmb, embGamma, embBeta, mask32],
      [g.createName("embeddings_out"), g.createName("embeddings_mask_index")],
      { epsilon: eps },
      MS_DOMAIN,
    );
    for (let l = 0; l < numLayers; l++) {
      const p = `encoder.layer.${l}`;
      const qkvW = concatColumns(
        ["query", "key", "value"].map((n) => transposeMatrix(weight(`${p}.attention.self.${n}.weight`, [H, H]).data, H, H)),
        H,
        H,
      );
      const qkvB = new Float32Array(3 * H);
      ["query", "key", "value"].forEach((n, i) => qkvB.set(weight(`${p}.attention.self.${n}.bias`, [H]).data, i * H));
      const qkvBias = g.addInitializer(`${p}.attention.qkv.bias`, ONNX_TYPE.FLOAT, [3 * H], qkvB);
      let attn: string;
      if (q && opts.quantizeAttention) {
        const qm = quantizeWeightMatrix(qkvW, H, 3 * H, q);
        const wType = q.weightType === "int8" ? ONNX_TYPE.INT8 : ONNX_TYPE.UINT8;
        const [xq, xScale, xZp] = g.addNode("DynamicQuantizeLinear", [x], 3);
        [attn] = g.addNode(
          "QAttention",
          [
            xq,
            g.addInitializer(`${p}.attention.qkv.weight_quantized`, wType, [H, 3 * H], qm.data),
            qkvBias,
            xScale,
            g.addInitializer(`${p}.attention.qkv.weight_scale`, ONNX_TYPE.FLOAT, [qm.scale.length], qm.scale),
            mask32,
            xZp,
            g.addInitializer(`${p}.attention.qkv.weight_zero_point`, wType, [qm.zeroPoint.length], qm.zeroPoint),
          ],
          1,
          { num_heads: numHeads },
          MS_DOMAIN,
        );
      } else {
        const w = g.addInitializer(`${p}.attention.qkv.weight`, ONNX_TYPE.FLOAT, [H, 3 * H], qkvW);
        [attn] = g.addNode("Attention", [x, w, qkvBias, mask32], 1, { num_heads: numHeads }, MS_DOMAIN);
      }
      // dense(h) + bias + residual, then LayerNorm. float32: one SkipLayerNormalization, which also
      // absorbs the bias add. int8: DynamicQuantizeMatMul adds the bias for free, and Add +
      // LayerNormalization then measure 7-12 % faster per passage than SkipLayerNormalization, whose
      // CPU kernel is several times slower than LayerNormalization's (the session options keep
      // onnxruntime from fusing them back, see createSessionOptions).
      const addAndNorm = (h: string, inF: number, dense: string, residual: string, ln: string, output: number | string[]) => {
        const [gamma, beta] = lnParams(ln);
        if (q) {
          const [sum] = g.addNode("Add", [linear(h, dense, inF, H, true), residual], 1);
          return g.addNode("LayerNormalization", [sum, gamma, beta], output, { axis: -1, epsilon: eps })[0];
        }
        const y = linear(h, dense, inF, H, false);
        return g.addNode("SkipLayerNormalization", [y, residual, gamma, beta, biasOf(dense, H)], output, { epsilon: eps }, MS_DOMAIN)[0];
      };
      const x1 = addAndNorm(attn, H, `${p}.attention.output.dense`, x, `${p}.attention.output.LayerNorm`, 1);
      const inter = q
        ? activate(linear(x1, `${p}.intermediate.dense`, H, I, true))
        : gelu(linear(x1, `${p}.intermediate.dense`, H, I, false), biasOf(`${p}.intermediate.dense`, I));
      x = addAndNorm(inter, I, `${p}.output.dense`, x1, `${p}.output.LayerNorm`, l === numLayers - 1 ? [GRAPH_OUTPUT] : 1);
    }
  } else {
    const int64 = (name: string, values: number[]) =>
      g.addInitializer(name, ONNX_TYPE.INT64, [values.length], BigInt64Array.from(values.map(BigInt)));
    const float = (name: string, v: number) => g.addInitializer(name, ONNX_TYPE.FLOAT, [], new Float32Array([v]));
    const [words] = g.addNode("Gather", [wordEmb, "input_ids"], 1, { axis: 0 });
    const [types] = g.addNode("Gather", [typeEmb, "token_type_ids"], 1, { axis: 0 });
    // Positions 0…S-1: slice the first S rows of the table, broadcast over the batch.
    const [shape] = g.addNode("Shape", ["input_ids"], 1);
    const [seqLen] = g.addNode("Slice", [shape, int64("one_start", [1]), int64("one_end", [2])], 1);
    const [positions] = g.addNode("Slice", [posEmb, int64("zero", [0]), seqLen, int64("axis0", [0])], 1);
    const [sum1] = g.addNode("Add", [words, positions], 1);
    const [sum2] = g.addNode("Add", [sum1, types], 1);
    [x] = g.addNode("LayerNormalization", [sum2, embGamma, embBeta], 1, { axis: -1, epsilon: eps });
    // Additive mask (1 - mask)·finfo(float32).min, shaped [B, 1, 1, S], as transformers' BERT builds it.
    const [maskF] = g.addNode("Cast", ["attention_mask"], 1, { to: ONNX_TYPE.FLOAT });
    const [inv] = g.addNode("Sub", [float("mask_one", 1), maskF], 1);
    const [additive] = g.addNode("Mul", [inv, float("mask_min", -3.4028234663852886e38)], 1);
    const [mask4] = g.addNode("Unsqueeze", [additive, int64("mask_axes", [1, 2])], 1);
    const headShape = int64("head_shape", [0, 0, numHeads, headSize]);
    const mergedShape = int64("merged_shape", [0, 0, H]);
    const scale = float("attention_scale", 1 / Math.sqrt(headSize));
    for (let l = 0; l < numLayers; l++) {
      const p = `encoder.layer.${l}`;
      const heads = (name: string, perm: number[]) => {
        const [r] = g.addNode("Reshape", [linear(x, `${p}.attention.self.${name}`, H, H, true), headShape], 1);
        return g.addNode("Transpose", [r], 1, { perm })[0];
      };
      const qh = heads("query", [0, 2, 1, 3]);
      const kh = heads("key", [0, 2, 3, 1]);
      const vh = heads("value", [0, 2, 1, 3]);
      const [scores] = g.addNode("MatMul", [qh, kh], 1);
      const [scaled] = g.addNode("Mul", [scores, scale], 1);
      const [masked] = g.addNode("Add", [scaled, mask4], 1);
      const [probs] = g.addNode("Softmax", [masked], 1, { axis: -1 });
      const [ctx] = g.addNode("MatMul", [probs, vh], 1);
      const [ctxT] = g.addNode("Transpose", [ctx], 1, { perm: [0, 2, 1, 3] });
      const [merged] = g.addNode("Reshape", [ctxT, mergedShape], 1);
      const attnOut = linear(merged, `${p}.attention.output.dense`, H, H, true);
      const [res1] = g.addNode("Add", [attnOut, x], 1);
      const [g1, b1] = lnParams(`${p}.attention.output.LayerNorm`);
      const [x1] = g.addNode("LayerNormalization", [res1, g1, b1], 1, { axis: -1, epsilon: eps });
      const inter = gelu(linear(x1, `${p}.intermediate.dense`, H, I, false), biasOf(`${p}.intermediate.dense`, I));
      const out = linear(inter, `${p}.output.dense`, I, H, true);
      const [res2] = g.addNode("Add", [out, x1], 1);
      const [g2, b2] = lnParams(`${p}.output.LayerNorm`);
      [x] = g.addNode("LayerNormalization", [res2, g2, b2], l === numLayers - 1 ? [GRAPH_OUTPUT] : 1, { axis: -1, epsilon: eps });
    }
  }
  g.addOutput(GRAPH_OUTPUT, ONNX_TYPE.FLOAT, ["batch_size", "sequence_length", H]);
  return g.toModelBytes(
    { "": 17, [MS_DOMAIN]: 1 },
    {
      layout: opts.layout,
      dtype: q ? "int8" : "fp32",
      ...(q ? { quantization: JSON.stringify({ ...q, quantizeAttention: Boolean(opts.quantizeAttention) }) } : {}),
    },
  );
}
