import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { convertModelDir, readConversionStamp, CONVERTER_VERSION, type ConvertOptions } from "../../lib/embed/convert";
import { checkExists, MODEL_FILES } from "../../lib/embed/paths";
import { writeSafetensors, type Float32TensorInput } from "../../lib/embed/safetensors";
import { prng } from "../../tests/support/prng";

/**
 * A model with exactly the shape of e5-small-v2 (12 layers, hidden 384, 12 heads, intermediate 1536,
 * vocabulary 30,522, 512 positions) and seeded random weights, written as a sentence-transformers
 * repository and converted by the project's converter. Speed depends on the shape only, so this
 * measures what the real model will cost without needing the Hub.
 */

/** The e5-small-v2 shape. */
export const E5_SMALL_SHAPE = {
  hidden_size: 384,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 1536,
  vocab_size: 30522,
  max_position_embeddings: 512,
  type_vocab_size: 2,
} as const;

/** Normal(mean, std) samples (Box–Muller). */
function fillNormal(n: number, std: number, rand: () => number, mean = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = mean + r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = mean + r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** BERT-initialised random weights (N(0, 0.02) matrices, LayerNorm ≈ identity, small biases). */
function createRandomBertWeights(seed: number): Record<string, Float32TensorInput> {
  const rand = prng(seed);
  const { hidden_size: H, intermediate_size: I, vocab_size: V, max_position_embeddings: P, type_vocab_size: T } = E5_SMALL_SHAPE;
  const t: Record<string, Float32TensorInput> = {};
  const mat = (name: string, shape: number[]) => (t[name] = { shape, data: fillNormal(shape[0] * (shape[1] ?? 1), 0.02, rand) });
  const ln = (name: string) => {
    t[`${name}.weight`] = { shape: [H], data: fillNormal(H, 0.05, rand, 1) };
    t[`${name}.bias`] = { shape: [H], data: fillNormal(H, 0.02, rand) };
  };
  mat("embeddings.word_embeddings.weight", [V, H]);
  mat("embeddings.position_embeddings.weight", [P, H]);
  mat("embeddings.token_type_embeddings.weight", [T, H]);
  ln("embeddings.LayerNorm");
  for (let l = 0; l < E5_SMALL_SHAPE.num_hidden_layers; l++) {
    const p = `encoder.layer.${l}`;
    for (const n of ["query", "key", "value"]) {
      mat(`${p}.attention.self.${n}.weight`, [H, H]);
      mat(`${p}.attention.self.${n}.bias`, [H]);
    }
    mat(`${p}.attention.output.dense.weight`, [H, H]);
    mat(`${p}.attention.output.dense.bias`, [H]);
    ln(`${p}.attention.output.LayerNorm`);
    mat(`${p}.intermediate.dense.weight`, [I, H]);
    mat(`${p}.intermediate.dense.bias`, [I]);
    mat(`${p}.output.dense.weight`, [H, I]);
    mat(`${p}.output.dense.bias`, [H]);
    ln(`${p}.output.LayerNorm`);
  }
  return t;
}

/**
 * The fixture's WordPiece tokenizer.json with its vocabulary padded to 30,522 entries, so that the
 * tokenizer's lookup tables have the real size. Real text still maps to the fixture's 242 pieces.
 */
async function createPaddedTokenizer(fixtureTokenizerPath: string): Promise<unknown> {
  const tok = JSON.parse(await readFile(fixtureTokenizerPath, "utf8")) as {
    model: { vocab: Record<string, number> };
    truncation: unknown;
    padding: unknown;
  };
  const vocab = tok.model.vocab;
  let next = Object.keys(vocab).length;
  for (let i = 0; next < E5_SMALL_SHAPE.vocab_size; i++) {
    const piece = `[unused${i}]`;
    if (!(piece in vocab)) vocab[piece] = next++;
  }
  // A saved sentence-transformers tokenizer.json carries no truncation/padding: the caller decides.
  tok.truncation = null;
  tok.padding = null;
  return tok;
}

/**
 * Creates (once) and returns the benchmark model directory. Reconverts when the converter version
 * changed; `convert` options let the benchmark compare graph variants.
 */
export async function ensureBenchModel(dir: string, fixtureDir: string, log: (m: string) => void = () => {}, convert: ConvertOptions = {}): Promise<string> {
  await mkdir(join(dir, "1_Pooling"), { recursive: true });
  if (!(await checkExists(join(dir, MODEL_FILES.safetensors)))) {
    log(`generating random e5-small-v2-shaped weights in ${dir}`);
    await writeFile(
      join(dir, "config.json"),
      JSON.stringify({ architectures: ["BertModel"], model_type: "bert", hidden_act: "gelu", layer_norm_eps: 1e-12, pad_token_id: 0, ...E5_SMALL_SHAPE }, null, 2),
    );
    await writeFile(join(dir, "tokenizer.json"), JSON.stringify(await createPaddedTokenizer(join(fixtureDir, "tokenizer.json"))));
    const tokConfig = JSON.parse(await readFile(join(fixtureDir, "tokenizer_config.json"), "utf8"));
    await writeFile(join(dir, "tokenizer_config.json"), JSON.stringify({ ...tokConfig, model_max_length: 512 }, null, 2));
    await writeFile(join(dir, "sentence_bert_config.json"), JSON.stringify({ max_seq_length: 512, do_lower_case: false }));
    await writeFile(join(dir, "config_sentence_transformers.json"), JSON.stringify({ prompts: { query: "query: ", passage: "passage: " } }));
    await writeFile(
      join(dir, "modules.json"),
      JSON.stringify([
        { idx: 0, name: "0", path: "", type: "sentence_transformers.models.Transformer" },
        { idx: 1, name: "1", path: "1_Pooling", type: "sentence_transformers.models.Pooling" },
        { idx: 2, name: "2", path: "2_Normalize", type: "sentence_transformers.models.Normalize" },
      ]),
    );
    await writeFile(join(dir, "1_Pooling", "config.json"), JSON.stringify({ embedding_dimension: 384, pooling_mode: "mean", include_prompt: true }));
    await writeSafetensors(join(dir, MODEL_FILES.safetensors), createRandomBertWeights(20240531));
  }
  const stamp = await readConversionStamp(dir);
  const wantLayout = convert.layout ?? "fused";
  if (!stamp || stamp.converterVersion !== CONVERTER_VERSION || stamp.layout !== wantLayout || Object.keys(convert).length > 0) {
    log(`converting ${dir} (${wantLayout})`);
    await convertModelDir(dir, { ...convert, log });
  }
  return dir;
}
