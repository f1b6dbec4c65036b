import { describe, expect, it } from "vitest";
import { readModelConfig, parseBertConfig, parseModules, parsePoolingConfig, resolveMaxTokens, resolvePrompts } from "@/lib/embed/model-config";
import path from "node:path";

const FIXTURES = path.resolve(__dirname, "../../../fixtures");
const bertJson = { model_type: "bert", hidden_size: 384, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 1536, max_position_embeddings: 512, vocab_size: 30522 };

describe("model config", () => {
  it("parses a BERT config.json with defaults", () => {
    expect(parseBertConfig(bertJson)).toMatchObject({ hiddenSize: 384, numHeads: 12, layerNormEps: 1e-12, hiddenAct: "gelu", typeVocabSize: 2 });
    expect(parseBertConfig({ ...bertJson, hidden_act: "gelu_new" }).hiddenAct).toBe("gelu_tanh");
  });
  it("rejects what the converter cannot build, saying why", () => {
    expect(() => parseBertConfig({ ...bertJson, model_type: "roberta" })).toThrow(/roberta/);
    expect(() => parseBertConfig({ ...bertJson, hidden_act: "swish" })).toThrow(/swish/);
    expect(() => parseBertConfig({ ...bertJson, num_attention_heads: 7 })).toThrow(/multiple/);
    expect(() => parseBertConfig({ ...bertJson, position_embedding_type: "relative_key" })).toThrow(/relative_key/);
    expect(() => parseBertConfig({ hidden_size: 3 })).toThrow(/not a BERT config/);
  });
  it("takes the model's own prompts, e5's by default, and respects an explicit empty prompt", () => {
    expect(resolvePrompts({ prompts: { query: "q: ", passage: "p: " } })).toEqual({ query: "q: ", passage: "p: " });
    expect(resolvePrompts({ prompts: {} })).toEqual({ query: "query: ", passage: "passage: " });
    expect(resolvePrompts(null)).toEqual({ query: "query: ", passage: "passage: " });
    expect(resolvePrompts({ prompts: { query: "", document: "" } })).toEqual({ query: "", passage: "passage: " });
  });
  it("resolves max tokens as sentence-transformers does", () => {
    const bert = parseBertConfig(bertJson);
    expect(resolveMaxTokens({ max_seq_length: 256 }, { model_max_length: 512 }, bert)).toBe(256);
    expect(resolveMaxTokens({}, { model_max_length: 512 }, bert)).toBe(512);
    expect(resolveMaxTokens(null, { model_max_length: 1e30 }, bert)).toBe(512);
    expect(resolveMaxTokens({ max_seq_length: 4096 }, null, bert)).toBe(512);
  });
  it("reads both modules.json styles and both pooling config styles", () => {
    expect(parseModules([{ path: "", type: "sentence_transformers.models.Transformer" }, { path: "1_Pooling", type: "sentence_transformers.models.Pooling" }, { path: "2_Normalize", type: "sentence_transformers.models.Normalize" }])).toEqual({ poolingPath: "1_Pooling", normalize: true });
    expect(parseModules([{ path: "1_Pooling", type: "sentence_transformers.sentence_transformer.modules.pooling.Pooling" }])).toEqual({ poolingPath: "1_Pooling", normalize: false });
    expect(parsePoolingConfig({ pooling_mode: "mean", include_prompt: true })).toEqual({ mode: "mean", includePrompt: true });
    expect(parsePoolingConfig({ pooling_mode_cls_token: true, pooling_mode_mean_tokens: false })).toEqual({ mode: "cls", includePrompt: true });
    expect(() => parsePoolingConfig({ pooling_mode: "weightedmean" })).toThrow(/weightedmean/);
  });
  it("reads the fixture repositories (5.x and 6.x layouts)", async () => {
    const tiny = await readModelConfig(path.join(FIXTURES, "tiny-e5-fixture"));
    expect(tiny).toMatchObject({ maxTokens: 48, normalize: true, pooling: { mode: "mean" }, prompts: { query: "query: ", passage: "passage: " } });
    const wide = await readModelConfig(path.join(FIXTURES, "e5-width-fixture"));
    expect(wide).toMatchObject({ maxTokens: 512, normalize: true, bert: { hiddenSize: 384, numHeads: 12, numLayers: 1 } });
  });
});
