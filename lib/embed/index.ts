import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { env } from "../env";
import { EmbedderUnavailableError } from "./errors";
import { getGraphFile, inspectModelDir, resolveModelDir } from "./paths";

/**
 * The one embedder of the app, the ingestion script and the CLIs.
 *
 * Server-only: onnxruntime-node (native) and transformers.js are imported lazily inside
 * `loadEmbedder`, never at module load, so importing this file costs nothing and drags no native
 * code into a bundle; still, only server code (route handlers, lib/retrieve, scripts) should import it.
 */

export { EmbedderUnavailableError } from "./errors";

export interface Embedder {
  /** e.g. "Krelle/e5-small-v2-imo-pairs" or the fixture folder name. */
  modelId: string;
  /** 384 for e5-small. */
  dimension: number;
  /** 512 for e5-small (sentence_bert_config max_seq_length), [CLS]/[SEP] included. */
  maxTokens: number;
  dtype: "fp32" | "int8";
  /** Normalised embeddings, one per text, in input order; prompt adds the model's own prefix. */
  embed(texts: string[], opts?: { prompt?: "query" | "passage" | null; batchSize?: number }): Promise<Float32Array[]>;
  /** Number of tokens the model would see for this text (with prefix, incl. [CLS]/[SEP], before truncation). */
  countTokens(text: string, opts?: { prompt?: "query" | "passage" | null }): number;
}

export type EmbedderStatus =
  | { available: true; modelId: string; dtype: string; dir: string }
  | { available: false; modelId: string; reason: string };

/** Model id for a directory: its path below TUTOR_MODEL_DIR ("Krelle/e5-…"), else its folder name. */
function deriveModelId(dir: string): string {
  const rel = relative(resolve(env.TUTOR_MODEL_DIR), dir);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split("\\").join("/") : basename(dir);
}

/**
 * Loads from an explicit model dir (tests, CLI). Throws EmbedderUnavailableError (with a human reason)
 * if the dir lacks a usable model. Converts automatically if safetensors is present but the onnx graph
 * is missing.
 */
export async function loadEmbedder(opts: { dir: string; dtype?: "fp32" | "int8"; modelId?: string }): Promise<Embedder> {
  const dir = resolve(opts.dir);
  const dtype = opts.dtype ?? env.TUTOR_MODEL_DTYPE;
  const modelId = opts.modelId ?? deriveModelId(dir);
  const state = await inspectModelDir(dir);
  if (!state.hasConfig) throw new EmbedderUnavailableError(`no model in ${dir} (config.json missing)`);
  if (!state.hasTokenizer) throw new EmbedderUnavailableError(`no tokenizer.json in ${dir}`);
  const { readModelConfig } = await import("./model-config");
  let config;
  try {
    config = await readModelConfig(dir);
  } catch (e) {
    throw new EmbedderUnavailableError(`unusable model config in ${dir}: ${(e as Error).message}`, { cause: e });
  }
  const hasGraph = dtype === "fp32" ? state.hasFp32 : state.hasInt8;
  const { CONVERTER_VERSION, convertModelDir, readConversionStamp } = await import("./convert");
  const stamp = hasGraph ? await readConversionStamp(dir) : null;
  // A graph from an older converter is rebuilt when the weights are at hand (a graph without stamp
  // came from elsewhere, e.g. a Hub ONNX export, and is used as it is).
  const stale = stamp !== null && stamp.converterVersion !== CONVERTER_VERSION;
  if (!hasGraph || stale) {
    if (!state.hasSafetensors) {
      if (!hasGraph) {
        throw new EmbedderUnavailableError(`no ONNX graph (${getGraphFile(dtype)}) and no model.safetensors to convert in ${dir}`);
      }
    } else {
      const { embedLog } = await import("./log");
      embedLog.info({ dir }, stale ? "ONNX graph from an older converter: converting again" : "no ONNX graph yet: converting model.safetensors");
      try {
        await convertModelDir(dir);
      } catch (e) {
        throw new EmbedderUnavailableError(`cannot convert ${join(dir, "model.safetensors")}: ${(e as Error).message}`, { cause: e });
      }
    }
  }
  const { createTransformersEmbedder } = await import("./runtime");
  try {
    return await createTransformersEmbedder({ dir, dtype, modelId, config, threads: env.TUTOR_EMBED_THREADS });
  } catch (e) {
    throw new EmbedderUnavailableError(`cannot load the ${dtype} model from ${dir}: ${(e as Error).message}`, { cause: e });
  }
}

interface SingletonState {
  key: string;
  promise: Promise<Embedder | null>;
  status: EmbedderStatus | null;
  failedAt: number | null;
  /** The last reason logged, so that retries do not repeat the same warning. */
  warned: string | null;
}

/** After a failure, getEmbedder looks at the disk again after this long (a later `model ensure` is picked up). */
const RETRY_AFTER_MS = 30_000;
const SINGLETON = Symbol.for("course-tutor.embedder");
type GlobalWithEmbedder = typeof globalThis & { [SINGLETON]?: SingletonState };

/**
 * The app/ingest singleton: env-selected model from the local models dir, never touches the network.
 * Returns null (and records the reason in getEmbedderStatus()) when no model is available.
 * Kept on globalThis so that Next.js dev-mode module reloading does not load the model twice.
 */
export function getEmbedder(): Promise<Embedder | null> {
  const g = globalThis as GlobalWithEmbedder;
  const modelId = env.TUTOR_MODEL;
  const dtype = env.TUTOR_MODEL_DTYPE;
  let dir: string;
  try {
    dir = resolveModelDir(env.TUTOR_MODEL_DIR, modelId);
  } catch (e) {
    const status: EmbedderStatus = { available: false, modelId, reason: (e as Error).message };
    g[SINGLETON] = { key: "invalid", promise: Promise.resolve(null), status, failedAt: null, warned: null };
    return g[SINGLETON].promise;
  }
  const key = `${modelId}\u0000${dir}\u0000${dtype}`;
  const current = g[SINGLETON];
  if (current && current.key === key && !(current.failedAt !== null && Date.now() - current.failedAt > RETRY_AFTER_MS)) {
    return current.promise;
  }
  const state: SingletonState = { key, promise: Promise.resolve(null), status: null, failedAt: null, warned: current?.warned ?? null };
  state.promise = loadEmbedder({ dir, dtype, modelId }).then(
    (embedder) => {
      state.status = { available: true, modelId, dtype, dir };
      return embedder;
    },
    async (e: unknown) => {
      const reason =
        e instanceof EmbedderUnavailableError ? e.message : `unexpected error loading the embedding model: ${(e as Error)?.message ?? e}`;
      state.status = { available: false, modelId, reason };
      state.failedAt = Date.now();
      if (state.warned === reason) return null;
      state.warned = reason;
      // Loud on purpose: without the model, retrieval silently loses its dense half.
      const { embedLog } = await import("./log");
      embedLog.warn(
        { modelId, dir, reason },
        `EMBEDDING MODEL UNAVAILABLE: ${reason}. Search runs on full-text only. Run \`npm run model -- ensure\` to fetch/convert it.`,
      );
      return null;
    },
  );
  g[SINGLETON] = state;
  return state.promise;
}

/** Whether the env-selected model is usable, and why not (loads it if that has not happened yet). */
export async function getEmbedderStatus(): Promise<EmbedderStatus> {
  await getEmbedder();
  const status = (globalThis as GlobalWithEmbedder)[SINGLETON]?.status;
  return status ?? { available: false, modelId: env.TUTOR_MODEL, reason: "embedder state lost" };
}
