import { describe, expect, it } from "vitest";
import path from "node:path";
import { buildBertOnnx, WeightMismatchError } from "@/lib/embed/bert-onnx";
import { readModelConfig } from "@/lib/embed/model-config";
import { onnx } from "@/lib/embed/onnx-graph";
import { DEFAULT_QUANTIZATION } from "@/lib/embed/quantize";
import { readSafetensors } from "@/lib/embed/safetensors";

const TINY = path.resolve(__dirname, "../../../fixtures/tiny-e5-fixture");

async function loadTiny() {
  const [{ tensors }, config] = await Promise.all([readSafetensors(path.join(TINY, "model.safetensors")), readModelConfig(TINY)]);
  return { tensors, bert: config.bert };
}

function countOps(bytes: Uint8Array): Record<string, number> {
  const model = onnx.ModelProto.decode(bytes);
  const counts: Record<string, number> = {};
  for (const n of model.graph!.node!) counts[n.opType!] = (counts[n.opType!] ?? 0) + 1;
  return counts;
}

describe("buildBertOnnx", () => {
  it("emits the transformers.js feature-extraction interface", async () => {
    const { tensors, bert } = await loadTiny();
    const model = onnx.ModelProto.decode(buildBertOnnx(tensors, bert, { layout: "fused" }));
    expect(model.graph!.input!.map((i) => i.name)).toEqual(["input_ids", "attention_mask", "token_type_ids"]);
    expect(model.graph!.output!.map((o) => o.name)).toEqual(["last_hidden_state"]);
    expect(model.opsetImport!.map((o) => o.domain)).toEqual(["", "com.microsoft"]);
  });
  it("uses one fused kernel per block, and dynamic int8 MatMuls when quantised", async () => {
    const { tensors, bert } = await loadTiny();
    expect(countOps(buildBertOnnx(tensors, bert, { layout: "fused" }))).toMatchObject({
      EmbedLayerNormalization: 1,
      Attention: 2,
      SkipLayerNormalization: 4,
      BiasGelu: 2,
      MatMul: 6, // attention output, FFN in, FFN out per layer
    });
    const q = countOps(buildBertOnnx(tensors, bert, { layout: "fused", quantization: DEFAULT_QUANTIZATION, quantizeAttention: true }));
    expect(q).toMatchObject({ QAttention: 2, DynamicQuantizeMatMul: 6, DynamicQuantizeLinear: 2, LayerNormalization: 4, Gelu: 2 });
    expect(q.MatMul).toBeUndefined();
    expect(q.SkipLayerNormalization).toBeUndefined();
    expect(countOps(buildBertOnnx(tensors, bert, { layout: "standard" }))).toMatchObject({ LayerNormalization: 5, Softmax: 2, Erf: 2 });
  });
  it("names the tensor that does not match config.json", async () => {
    const { tensors, bert } = await loadTiny();
    const broken = new Map(tensors);
    broken.delete("encoder.layer.1.output.dense.weight");
    expect(() => buildBertOnnx(broken, bert, { layout: "fused" })).toThrow(WeightMismatchError);
    expect(() => buildBertOnnx(broken, bert, { layout: "fused" })).toThrow(/encoder\.layer\.1\.output\.dense\.weight/);
    expect(() => buildBertOnnx(tensors, { ...bert, intermediateSize: 128 }, { layout: "fused" })).toThrow(/shape/);
  });
  it("accepts bert.-prefixed checkpoints", async () => {
    const { tensors, bert } = await loadTiny();
    const prefixed = new Map([...tensors].map(([k, v]) => [`bert.${k}`, v]));
    expect(() => buildBertOnnx(prefixed, bert, { layout: "fused" })).not.toThrow();
  });
});
