import { describe, expect, it } from "vitest";
import { HubFetchError, selectModelFiles } from "@/lib/embed/hub";

const listing = [
  "README.md",
  ".gitattributes",
  "config.json",
  "config_sentence_transformers.json",
  "model.safetensors",
  "pytorch_model.bin",
  "onnx/model.onnx",
  "modules.json",
  "sentence_bert_config.json",
  "special_tokens_map.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "vocab.txt",
  "1_Pooling/config.json",
  "2_Normalize/config.json",
].map((path) => ({ path, size: 10 }));

describe("selectModelFiles", () => {
  it("takes config, tokenizer, sentence-transformers configs and safetensors, nothing else", () => {
    const chosen = selectModelFiles(listing).map((f) => f.path);
    expect(chosen).toContain("model.safetensors");
    expect(chosen).toContain("1_Pooling/config.json");
    expect(chosen).toContain("2_Normalize/config.json");
    expect(chosen).not.toContain("pytorch_model.bin");
    expect(chosen).not.toContain("onnx/model.onnx");
    expect(chosen).not.toContain("README.md");
  });
  it("explains a repository without safetensors weights", () => {
    expect(() => selectModelFiles(listing.filter((f) => f.path !== "model.safetensors"))).toThrow(HubFetchError);
    expect(() => selectModelFiles(listing.filter((f) => f.path !== "model.safetensors"))).toThrow(/safetensors/);
  });
});
