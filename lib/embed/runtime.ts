import { availableParallelism } from "node:os";
import type { Embedder } from "./index";
import type { ModelConfig } from "./model-config";
import { normalizeL2, poolCls, poolMax, poolMean } from "./pooling";
import { buildInputIds, deriveSpecialTokenLayout, padBatch, planBatches, type SpecialTokenLayout } from "./tokens";

/**
 * The embedder on transformers.js: its AutoTokenizer for the WordPiece ids, its AutoModel (an
 * onnxruntime-node InferenceSession underneath) for the encoder, our own truncation, pooling and
 * normalisation around them. This module is imported lazily by lib/embed/index.ts only: it pulls in
 * the native onnxruntime binding, which must never reach a client bundle.
 */

type Transformers = typeof import("@huggingface/transformers");
type Tokenizer = Awaited<ReturnType<Transformers["AutoTokenizer"]["from_pretrained"]>>;
type Model = Awaited<ReturnType<Transformers["AutoModel"]["from_pretrained"]>>;

/**
 * Default texts per onnxruntime call. On CPU, batching buys almost nothing once lengths are sorted
 * (bench: batch 1, 2, 4, 8 within noise of each other; 16 and 32 slightly slower as the attention
 * scores outgrow the caches), so a small batch that bounds memory.
 */
export const DEFAULT_BATCH_SIZE = 8;

/** onnxruntime session options of every embedder session (and of the benchmark's raw session). */
export function createSessionOptions(threads?: number) {
  return {
    // All cores for one inference (intra-op) and no inter-op pool: BERT is a chain of big GEMMs.
    intraOpNumThreads: threads ?? availableParallelism(),
    interOpNumThreads: 1,
    executionMode: "sequential" as const,
    graphOptimizationLevel: "all" as const,
    // The int8 graph keeps Add + LayerNormalization apart on purpose (see bert-onnx.ts): onnxruntime
    // would fuse them into its slower SkipLayerNormalization kernel. No effect on the fp32 graph,
    // which is built with SkipLayerNormalization already.
    extra: { optimization: { disable_specified_optimizers: "SkipLayerNormFusion" } },
  };
}

let transformersPromise: Promise<Transformers> | null = null;

/** Imports transformers.js once, configured to read local files only (the Hub is never contacted from here). */
export function importTransformers(): Promise<Transformers> {
  transformersPromise ??= import("@huggingface/transformers").then((tf) => {
    tf.env.allowRemoteModels = false;
    tf.env.allowLocalModels = true;
    // Its file cache would copy our local files into node_modules/@huggingface/transformers/.cache.
    tf.env.useFSCache = false;
    return tf;
  });
  return transformersPromise;
}

/** What `createTransformersEmbedder` needs. */
export interface RuntimeOptions {
  /** Absolute model directory (transformers.js treats a relative "a/b" as a Hub id). */
  dir: string;
  dtype: "fp32" | "int8";
  modelId: string;
  config: ModelConfig;
  threads?: number;
}

class TransformersEmbedder implements Embedder {
  readonly dimension: number;
  readonly maxTokens: number;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly promptSkip = new Map<string, number>();

  constructor(
    readonly modelId: string,
    readonly dtype: "fp32" | "int8",
    private readonly tf: Transformers,
    private readonly tokenizer: Tokenizer,
    private readonly model: Model,
    private readonly config: ModelConfig,
    private readonly layout: SpecialTokenLayout,
    private readonly padId: number,
  ) {
    this.dimension = config.bert.hiddenSize;
    this.maxTokens = config.maxTokens;
  }

  /** The text as sentence-transformers feeds it to the tokenizer: prompt + text, stripped, maybe lower-cased. */
  private prepareText(text: string, prompt: "query" | "passage" | null | undefined): string {
    if (typeof text !== "string") throw new TypeError(`embed: expected a string, got ${typeof text}`);
    const full = (prompt ? this.config.prompts[prompt] : "") + text;
    const stripped = full.trim();
    return this.config.doLowerCase ? stripped.toLowerCase() : stripped;
  }

  private encodeContent(text: string, prompt: "query" | "passage" | null | undefined): number[] {
    return this.tokenizer.encode(this.prepareText(text, prompt), { add_special_tokens: false });
  }

  countTokens(text: string, opts: { prompt?: "query" | "passage" | null } = {}): number {
    return this.layout.prefix.length + this.encodeContent(text, opts.prompt).length + this.layout.suffix.length;
  }

  /** Token ids exactly as the model sees them (truncated, specials added). */
  tokenize(text: string, opts: { prompt?: "query" | "passage" | null } = {}): number[] {
    return buildInputIds(this.encodeContent(text, opts.prompt), this.layout, this.maxTokens);
  }

  /** Tokens at the start that pooling leaves out: none unless the model's pooling excludes the prompt. */
  private computeSkip(prompt: "query" | "passage" | null | undefined): number {
    if (!prompt || this.config.pooling.includePrompt) return 0;
    const cached = this.promptSkip.get(prompt);
    if (cached !== undefined) return cached;
    // sentence-transformers: prompt_length = len(tokenize(prompt)) - 1, i.e. [CLS] + the prompt's tokens.
    const skip = this.layout.prefix.length + this.encodeContent("", prompt).length + this.layout.suffix.length - 1;
    this.promptSkip.set(prompt, skip);
    return skip;
  }

  async embed(texts: string[], opts: { prompt?: "query" | "passage" | null; batchSize?: number } = {}): Promise<Float32Array[]> {
    const ids = texts.map((t) => this.tokenize(t, opts));
    const skip = this.computeSkip(opts.prompt);
    const result: Float32Array[] = new Array(texts.length);
    for (const batch of planBatches(
      ids.map((s) => s.length),
      opts.batchSize ?? DEFAULT_BATCH_SIZE,
    )) {
      const vectors = await this.runExclusive(() => this.embedIds(batch.map((i) => ids[i]), skip));
      batch.forEach((i, k) => (result[i] = vectors[k]));
    }
    return result;
  }

  /** One onnxruntime call; concurrent callers queue so that they never fight over the same cores. */
  private runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The onnxruntime-node session transformers.js created (the benchmark's floor runs it directly). */
  get session(): unknown {
    return (this.model as unknown as { sessions: Record<string, unknown> }).sessions.model;
  }

  private async embedIds(seqs: number[][], skip: number): Promise<Float32Array[]> {
    const { Tensor } = this.tf;
    const padded = padBatch(seqs, this.padId);
    const dims = [padded.batch, padded.seqLen];
    const output = (await this.model({
      input_ids: new Tensor("int64", padded.inputIds, dims),
      attention_mask: new Tensor("int64", padded.attentionMask, dims),
      token_type_ids: new Tensor("int64", padded.tokenTypeIds, dims),
    })) as { last_hidden_state: { data: Float32Array; dims: number[] } };
    const hidden = output.last_hidden_state.data;
    const pool = this.config.pooling.mode === "mean" ? poolMean : this.config.pooling.mode === "cls" ? poolCls : poolMax;
    return seqs.map((s, row) => {
      const v = pool({ hidden, seqLen: padded.seqLen, hiddenSize: this.dimension, row, length: s.length, skip });
      return this.config.normalize ? normalizeL2(v) : v;
    });
  }
}

/**
 * Token ids exactly as the model sees them for `text` (prefix, truncation, [CLS]/[SEP]), for tests
 * that compare with the reference tokenizer. Only for embedders made by this module.
 */
export function getTokenIds(embedder: Embedder, text: string, opts: { prompt?: "query" | "passage" | null } = {}): number[] {
  if (!(embedder instanceof TransformersEmbedder)) throw new TypeError("getTokenIds: not a transformers.js embedder");
  return embedder.tokenize(text, opts);
}

/**
 * The onnxruntime-node InferenceSession under an embedder, for the benchmark's "raw session" floor:
 * the same graph, the same session options, no transformers.js in between.
 */
export function getUnderlyingSession(embedder: Embedder): import("onnxruntime-common").InferenceSession {
  if (!(embedder instanceof TransformersEmbedder)) throw new TypeError("getUnderlyingSession: not a transformers.js embedder");
  return embedder.session as import("onnxruntime-common").InferenceSession;
}

/** Loads tokenizer and graph through transformers.js and returns the embedder. */
export async function createTransformersEmbedder(opts: RuntimeOptions): Promise<Embedder> {
  const tf = await importTransformers();
  const tokenizer = await tf.AutoTokenizer.from_pretrained(opts.dir, { local_files_only: true });
  const model = await tf.AutoModel.from_pretrained(opts.dir, {
    local_files_only: true,
    device: "cpu",
    dtype: opts.dtype === "int8" ? "q8" : "fp32",
    session_options: createSessionOptions(opts.threads),
  });
  const layout = deriveSpecialTokenLayout(tokenizer.encode("a"), tokenizer.encode("a", { add_special_tokens: false }));
  const padId = typeof tokenizer.pad_token_id === "number" ? tokenizer.pad_token_id : 0;
  return new TransformersEmbedder(opts.modelId, opts.dtype, tf, tokenizer, model, opts.config, layout, padId);
}
