/**
 * Proof of exactness of the embedding pipeline against sentence-transformers' own outputs
 * (tests/fixtures/<fixture>/reference.json), through the project's fetch-free path: a COPY of the
 * fixture folder (config, tokenizer, model.safetensors — no ONNX) is converted by lib/embed/convert
 * and loaded by transformers.js through loadEmbedder, exactly as the app does. No network.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertModelDir } from "@/lib/embed/convert";
import { EmbedderUnavailableError, loadEmbedder, type Embedder } from "@/lib/embed";
import { computeCosine } from "@/lib/embed/pooling";
import { createSessionOptions, getTokenIds } from "@/lib/embed/runtime";

const FIXTURES = path.resolve(__dirname, "../fixtures");

interface Reference {
  max_seq_length: number;
  config: { hidden_size: number };
  texts: string[];
  token_ids: number[][];
  token_ids_query: number[][];
  embeddings: number[][];
  embeddings_query: number[][];
  embeddings_passage: number[][];
  last_hidden_state_text0: number[][];
}

const PROMPTS = [
  ["embeddings", null],
  ["embeddings_query", "query"],
  ["embeddings_passage", "passage"],
] as const;

/** Figures printed at the end (and quoted in the hand-over). */
const report: Record<string, Record<string, string>> = {};

function compare(got: Float32Array, want: number[]): { maxAbs: number; cosine: number } {
  let maxAbs = 0;
  for (let i = 0; i < want.length; i++) maxAbs = Math.max(maxAbs, Math.abs(got[i] - want[i]));
  return { maxAbs, cosine: computeCosine(got, want) };
}

const tmpRoot = mkdtempSync(path.join(tmpdir(), "embed-test-"));
afterAll(() => {
  rmSync(tmpRoot, { recursive: true, force: true });
  // The committed fixtures are only ever read: conversions happen in copies.
  for (const name of ["tiny-e5-fixture", "e5-width-fixture"]) expect(existsSync(path.join(FIXTURES, name, "onnx"))).toBe(false);
  console.log(`\nembedding exactness vs sentence-transformers:\n${JSON.stringify(report, null, 2)}`);
});

describe.each(["tiny-e5-fixture", "e5-width-fixture"])("%s", (name) => {
  const ref = JSON.parse(readFileSync(path.join(FIXTURES, name, "reference.json"), "utf8")) as Reference;
  const dir = path.join(tmpRoot, name);
  let fp32: Embedder;
  let int8: Embedder;
  report[name] = {};

  beforeAll(async () => {
    cpSync(path.join(FIXTURES, name), dir, { recursive: true });
    rmSync(path.join(dir, "onnx"), { recursive: true, force: true });
    fp32 = await loadEmbedder({ dir, dtype: "fp32" });
    int8 = await loadEmbedder({ dir, dtype: "int8" });
  });

  it("converted its own copy of model.safetensors (no pre-built graph, no network)", () => {
    expect(existsSync(path.join(dir, "onnx/model.onnx"))).toBe(true);
    expect(existsSync(path.join(dir, "onnx/model_quantized.onnx"))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, "onnx/conversion.json"), "utf8"))).toMatchObject({ source: { file: "model.safetensors" } });
  });

  it("reports the model's id, shape and max tokens", () => {
    expect(fp32).toMatchObject({ modelId: name, dimension: ref.config.hidden_size, maxTokens: ref.max_seq_length, dtype: "fp32" });
    expect(int8.dtype).toBe("int8");
  });

  it("tokenizes exactly like the reference, [SEP] kept last on truncated texts", () => {
    ref.texts.forEach((text, i) => {
      expect(getTokenIds(fp32, text), `text ${i}`).toEqual(ref.token_ids[i]);
      expect(getTokenIds(fp32, text, { prompt: "query" }), `text ${i} with query: `).toEqual(ref.token_ids_query[i]);
    });
  });

  it("counts tokens before truncation, prefix and [CLS]/[SEP] included", () => {
    ref.texts.forEach((text, i) => {
      const n = fp32.countTokens(text);
      const q = fp32.countTokens(text, { prompt: "query" });
      if (n < ref.max_seq_length) expect(n).toBe(ref.token_ids[i].length);
      else expect(ref.token_ids[i]).toHaveLength(ref.max_seq_length);
      if (q < ref.max_seq_length) expect(q).toBe(ref.token_ids_query[i].length);
      expect(q).toBeGreaterThanOrEqual(n);
    });
    expect(fp32.countTokens(ref.texts[7])).toBeGreaterThan(ref.max_seq_length);
    expect(fp32.countTokens("")).toBe(2);
  });

  it("runs the converted graph like PyTorch, layer stack included (last_hidden_state of text 0)", async () => {
    const ids = ref.token_ids[0];
    const t = (a: number[]) => new ort.Tensor("int64", BigInt64Array.from(a.map(BigInt)), [1, a.length]);
    for (const layout of ["fused", "standard"] as const) {
      let graphDir = dir;
      if (layout === "standard") {
        graphDir = path.join(tmpRoot, `${name}-standard`);
        mkdirSync(graphDir, { recursive: true });
        for (const f of ["config.json", "model.safetensors"]) cpSync(path.join(dir, f), path.join(graphDir, f));
        await convertModelDir(graphDir, { layout, dtypes: ["fp32"] });
      }
      const session = await ort.InferenceSession.create(path.join(graphDir, "onnx/model.onnx"), createSessionOptions());
      const out = await session.run({ input_ids: t(ids), attention_mask: t(ids.map(() => 1)), token_type_ids: t(ids.map(() => 0)) });
      const hidden = out.last_hidden_state.data as Float32Array;
      const want = ref.last_hidden_state_text0.flat();
      let maxAbs = 0;
      want.forEach((v, i) => (maxAbs = Math.max(maxAbs, Math.abs(v - hidden[i]))));
      report[name][`last_hidden_state max abs (${layout})`] = maxAbs.toExponential(2);
      expect(maxAbs).toBeLessThan(1e-4);
      await session.release();
    }
  });

  it.each(PROMPTS)("embeds like sentence-transformers: %s", async (key, prompt) => {
    const vectors = await fp32.embed(ref.texts, { prompt });
    let worstAbs = 0;
    let worstCos = 1;
    vectors.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(ref.config.hidden_size);
      const { maxAbs, cosine } = compare(v, ref[key][i]);
      expect(maxAbs, `${key} text ${i}`).toBeLessThan(1e-4);
      expect(cosine, `${key} text ${i}`).toBeGreaterThan(0.9999);
      worstAbs = Math.max(worstAbs, maxAbs);
      worstCos = Math.min(worstCos, cosine);
    });
    report[name][`${key} max abs`] = worstAbs.toExponential(2);
    report[name][`${key} min cosine`] = `${worstCos.toFixed(8)} (1 - cos = ${(1 - worstCos).toExponential(1)})`;
  });

  it("gives padded batches the same vectors as single texts, in input order", async () => {
    const single = await Promise.all(ref.texts.map(async (t) => (await fp32.embed([t], { prompt: "query" }))[0]));
    // Shuffled input, batches of 3: sorting by length puts texts of very different lengths together.
    const order = [5, 7, 0, 6, 2, 4, 1, 3];
    const batched = await fp32.embed(order.map((i) => ref.texts[i]), { prompt: "query", batchSize: 3 });
    const all = await fp32.embed(ref.texts, { prompt: "query", batchSize: 8 });
    let worst = 0;
    order.forEach((i, k) => (worst = Math.max(worst, compare(batched[k], Array.from(single[i])).maxAbs)));
    all.forEach((v, i) => (worst = Math.max(worst, compare(v, Array.from(single[i])).maxAbs)));
    report[name]["batch vs single max abs (fp32)"] = worst.toExponential(2);
    expect(worst).toBeLessThan(1e-5);
    expect(await fp32.embed([])).toEqual([]);
  });

  it("int8 stays within cosine 0.99 of fp32", async () => {
    let worst = 1;
    for (const [, prompt] of PROMPTS) {
      const [a, b] = await Promise.all([fp32.embed(ref.texts, { prompt }), int8.embed(ref.texts, { prompt })]);
      a.forEach((v, i) => (worst = Math.min(worst, computeCosine(v, b[i]))));
    }
    report[name]["int8 vs fp32 min cosine"] = worst.toPrecision(8);
    expect(worst).toBeGreaterThan(0.99);
  });

  it("serialises concurrent callers without mixing results", async () => {
    const results = await Promise.all(ref.texts.map((t) => fp32.embed([t], { prompt: "passage" })));
    results.forEach(([v], i) => expect(compare(v, ref.embeddings_passage[i]).maxAbs).toBeLessThan(1e-4));
  });
});

describe("loadEmbedder without a usable model", () => {
  it("explains an empty directory", async () => {
    const empty = path.join(tmpRoot, "empty");
    mkdirSync(empty, { recursive: true });
    await expect(loadEmbedder({ dir: empty })).rejects.toThrow(EmbedderUnavailableError);
    await expect(loadEmbedder({ dir: empty })).rejects.toThrow(/config\.json missing/);
  });

  it("explains a directory with configs but neither graph nor weights", async () => {
    const noWeights = path.join(tmpRoot, "no-weights");
    cpSync(path.join(FIXTURES, "tiny-e5-fixture"), noWeights, { recursive: true });
    rmSync(path.join(noWeights, "model.safetensors"));
    await expect(loadEmbedder({ dir: noWeights, dtype: "int8" })).rejects.toThrow(/no ONNX graph .* and no model\.safetensors/);
  });

  it("explains weights that do not match config.json", async () => {
    const broken = path.join(tmpRoot, "broken");
    cpSync(path.join(FIXTURES, "tiny-e5-fixture"), broken, { recursive: true });
    const config = JSON.parse(readFileSync(path.join(broken, "config.json"), "utf8"));
    writeFileSync(path.join(broken, "config.json"), JSON.stringify({ ...config, intermediate_size: 128 }));
    await expect(loadEmbedder({ dir: broken, dtype: "fp32" })).rejects.toThrow(/cannot convert .*intermediate\.dense\.weight/);
  });
});
