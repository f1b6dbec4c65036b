import { z } from "zod";

/**
 * The only reader of `process.env`. Parsed once with zod; a bad value fails fast with a message
 * naming the variable. Scripts and the app import the same `env`.
 */
const envSchema = z.object({
  /** LanceDB location: a directory, or an `s3://…` URI for a shared deployment. */
  TUTOR_DB_DIR: z.string().min(1).default("data/lancedb"),
  /** Embedding model id (Hugging Face repo id). */
  TUTOR_MODEL: z.string().min(1).default("Krelle/e5-small-v2-imo-pairs"),
  /** Where downloaded and converted models live: `<TUTOR_MODEL_DIR>/<model id>/`. */
  TUTOR_MODEL_DIR: z.string().min(1).default("models"),
  /** Which ONNX graph the embedder runs: fp32 (`onnx/model.onnx`) or int8 (`onnx/model_quantized.onnx`). */
  TUTOR_MODEL_DTYPE: z.enum(["fp32", "int8"]).default("int8"),
  /** onnxruntime intra-op threads of the embedder; default: the machine's available parallelism. */
  TUTOR_EMBED_THREADS: z.coerce.number().int().positive().optional(),
  /** Hugging Face Hub base URL for `npm run model -- fetch` (a mirror works the same way). */
  HF_ENDPOINT: z.string().url().default("https://huggingface.co"),
  /** Optional Hub access token for private or gated model repositories (sent only to HF_ENDPOINT). */
  HF_TOKEN: z.string().min(1).optional(),
  /** Course used when a request or CLI names none and the store holds several. */
  TUTOR_DEFAULT_COURSE: z.string().min(1).optional(),
  /**
   * Test hook: an ingest run kills itself (SIGKILL) when it reaches this commit point
   * ("after-passages", "after-items", "after-courses"), to prove a killed run leaves the last good version.
   */
  TUTOR_TEST_CRASH_AT: z.enum(["after-passages", "after-index", "after-items", "after-courses"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

function parseEnv(source: NodeJS.ProcessEnv): Env {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return result.data;
}

export const env: Env = parseEnv(process.env);
