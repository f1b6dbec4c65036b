import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

/**
 * Reading the configuration files of a sentence-transformers BERT repository: `config.json` (the
 * encoder's shape), `modules.json` + `1_Pooling/config.json` + `2_Normalize/` (the pipeline),
 * `sentence_bert_config.json` (max_seq_length, do_lower_case), `config_sentence_transformers.json`
 * (prompts) and `tokenizer_config.json` (model_max_length fallback). Parsing is pure; only
 * `readModelConfig` touches the file system.
 */

/** The e5 family's prefixes; used when the repository does not name its own prompts. */
export const E5_DEFAULT_PROMPTS = { query: "query: ", passage: "passage: " } as const;

/** The encoder hyper-parameters the converter needs. */
export interface BertConfig {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  vocabSize: number;
  layerNormEps: number;
  /** `gelu` (erf form, BERT's), `gelu_new`/`gelu_pytorch_tanh`/`gelu_fast` (tanh form) or `relu`. */
  hiddenAct: "gelu" | "gelu_tanh" | "relu";
}

/** How token embeddings become one sentence vector. */
export interface PoolingConfig {
  mode: "mean" | "cls" | "max";
  /** When false, prompt tokens are masked out of the pooling (sentence-transformers `include_prompt`). */
  includePrompt: boolean;
}

/** Everything the embedder needs besides the weights and the tokenizer. */
export interface ModelConfig {
  bert: BertConfig;
  prompts: { query: string; passage: string };
  /** Tokens the model sees at most, [CLS] and [SEP] included. */
  maxTokens: number;
  pooling: PoolingConfig;
  normalize: boolean;
  /** sentence-transformers lower-cases the text itself when `do_lower_case` is set. */
  doLowerCase: boolean;
}

const bertConfigSchema = z
  .object({
    model_type: z.string().optional(),
    hidden_size: z.number().int().positive(),
    num_hidden_layers: z.number().int().positive(),
    num_attention_heads: z.number().int().positive(),
    intermediate_size: z.number().int().positive(),
    max_position_embeddings: z.number().int().positive(),
    type_vocab_size: z.number().int().nonnegative().default(2),
    vocab_size: z.number().int().positive(),
    layer_norm_eps: z.number().positive().default(1e-12),
    hidden_act: z.string().default("gelu"),
    position_embedding_type: z.string().default("absolute"),
  })
  .passthrough();

/** Validates `config.json` of a BERT encoder; throws with a readable reason for anything the converter cannot build. */
export function parseBertConfig(json: unknown): BertConfig {
  const parsed = bertConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`config.json is not a BERT config: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const c = parsed.data;
  if (c.model_type && c.model_type !== "bert") throw new Error(`config.json: model_type "${c.model_type}" is not supported (only "bert")`);
  if (c.position_embedding_type !== "absolute") {
    throw new Error(`config.json: position_embedding_type "${c.position_embedding_type}" is not supported (only "absolute")`);
  }
  if (c.hidden_size % c.num_attention_heads !== 0) {
    throw new Error(`config.json: hidden_size ${c.hidden_size} is not a multiple of num_attention_heads ${c.num_attention_heads}`);
  }
  const act = c.hidden_act;
  const hiddenAct =
    act === "gelu" ? "gelu" : act === "gelu_new" || act === "gelu_pytorch_tanh" || act === "gelu_fast" ? "gelu_tanh" : act === "relu" ? "relu" : null;
  if (!hiddenAct) throw new Error(`config.json: hidden_act "${act}" is not supported`);
  return {
    hiddenSize: c.hidden_size,
    numLayers: c.num_hidden_layers,
    numHeads: c.num_attention_heads,
    intermediateSize: c.intermediate_size,
    maxPositions: c.max_position_embeddings,
    typeVocabSize: c.type_vocab_size,
    vocabSize: c.vocab_size,
    layerNormEps: c.layer_norm_eps,
    hiddenAct,
  };
}

/**
 * The prompts from `config_sentence_transformers.json`. An explicit entry wins, even an empty string;
 * a missing one falls back to e5's `query: ` / `passage: ` (e5 fine-tunes saved by older
 * sentence-transformers versions carry no prompts at all).
 */
export function resolvePrompts(stConfig: unknown): { query: string; passage: string } {
  const prompts = (stConfig as { prompts?: Record<string, unknown> } | null)?.prompts ?? {};
  const pick = (key: string): string | undefined => (typeof prompts[key] === "string" ? (prompts[key] as string) : undefined);
  return {
    query: pick("query") ?? E5_DEFAULT_PROMPTS.query,
    passage: pick("passage") ?? E5_DEFAULT_PROMPTS.passage,
  };
}

/**
 * The max tokens, as sentence-transformers decides it: `max_seq_length` from sentence_bert_config.json,
 * else min(config max_position_embeddings, tokenizer model_max_length) (sentence-transformers 6.x
 * repositories no longer write max_seq_length, see the e5-width fixture).
 */
export function resolveMaxTokens(sbertConfig: unknown, tokenizerConfig: unknown, bert: BertConfig): number {
  const fromSbert = (sbertConfig as { max_seq_length?: unknown } | null)?.max_seq_length;
  if (typeof fromSbert === "number" && fromSbert > 0) return Math.min(fromSbert, bert.maxPositions);
  const fromTokenizer = (tokenizerConfig as { model_max_length?: unknown } | null)?.model_max_length;
  // Tokenizers without a limit store a huge sentinel (1e30); treat it as absent.
  if (typeof fromTokenizer === "number" && fromTokenizer > 0 && fromTokenizer < 1e9) return Math.min(fromTokenizer, bert.maxPositions);
  return bert.maxPositions;
}

/** Reads the pooling module config (new `pooling_mode` or old `pooling_mode_*_tokens` flags). */
export function parsePoolingConfig(json: unknown): PoolingConfig {
  const c = (json ?? {}) as Record<string, unknown>;
  const includePrompt = c.include_prompt === undefined ? true : Boolean(c.include_prompt);
  let mode: string | undefined = typeof c.pooling_mode === "string" ? c.pooling_mode : undefined;
  if (!mode) {
    if (c.pooling_mode_mean_tokens) mode = "mean";
    else if (c.pooling_mode_cls_token) mode = "cls";
    else if (c.pooling_mode_max_tokens) mode = "max";
    else mode = "mean";
  }
  if (mode !== "mean" && mode !== "cls" && mode !== "max") throw new Error(`pooling mode "${mode}" is not supported (mean, cls, max)`);
  return { mode, includePrompt };
}

interface ModuleEntry {
  path?: string;
  type?: string;
}

/**
 * The pipeline from `modules.json`: where the Pooling module lives and whether a Normalize module
 * follows. Accepts both the 5.x (`sentence_transformers.models.Pooling`) and the 6.x
 * (`sentence_transformers.….pooling.Pooling`) type names by looking at the last component only.
 */
export function parseModules(json: unknown): { poolingPath: string | null; normalize: boolean } {
  const modules = Array.isArray(json) ? (json as ModuleEntry[]) : [];
  const lastName = (m: ModuleEntry) => (m.type ?? "").split(".").pop() ?? "";
  const pooling = modules.find((m) => lastName(m) === "Pooling");
  return {
    poolingPath: pooling ? (pooling.path ?? "") : null,
    normalize: modules.some((m) => lastName(m) === "Normalize"),
  };
}

async function readJsonIfPresent(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/**
 * Reads all configuration of a model directory. Without `modules.json` (a plain transformers
 * repository) it assumes the e5 pipeline: mean pooling, normalised.
 */
export async function readModelConfig(dir: string): Promise<ModelConfig> {
  const configJson = await readJsonIfPresent(join(dir, "config.json"));
  if (!configJson) throw new Error(`${join(dir, "config.json")} is missing`);
  const bert = parseBertConfig(configJson);
  const [modulesJson, sbert, stConfig, tokenizerConfig] = await Promise.all([
    readJsonIfPresent(join(dir, "modules.json")),
    readJsonIfPresent(join(dir, "sentence_bert_config.json")),
    readJsonIfPresent(join(dir, "config_sentence_transformers.json")),
    readJsonIfPresent(join(dir, "tokenizer_config.json")),
  ]);
  const modules = modulesJson ? parseModules(modulesJson) : { poolingPath: "1_Pooling", normalize: true };
  const pooling = parsePoolingConfig(
    modules.poolingPath !== null ? await readJsonIfPresent(join(dir, modules.poolingPath, "config.json")) : null,
  );
  return {
    bert,
    prompts: resolvePrompts(stConfig),
    maxTokens: resolveMaxTokens(sbert, tokenizerConfig, bert),
    pooling,
    normalize: modules.normalize,
    doLowerCase: Boolean((sbert as { do_lower_case?: unknown } | null)?.do_lower_case),
  };
}
