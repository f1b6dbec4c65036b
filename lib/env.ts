import { z } from "zod";

/**
 * The only reader of `process.env`. Parsed once with zod; a bad value fails fast with a message
 * naming the variable. Scripts and the app import the same `env`.
 */
/** "true"/"false" (also 1/0, yes/no) as a boolean. */
const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["true", "false", "1", "0", "yes", "no"].includes(v), { message: "must be true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

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
  /**
   * How long (minutes) table versions an ingest replaced stay readable before the next ingest removes them
   * (with their files). Readers pin a snapshot for at most a request, so an hour is ample.
   */
  TUTOR_STORE_RETENTION_MINUTES: z.coerce.number().min(0).default(60),
  /** Course used when a request or CLI names none and the store holds several. */
  TUTOR_DEFAULT_COURSE: z.string().min(1).optional(),
  /**
   * Test hook: an ingest run kills itself (SIGKILL) when it reaches this commit point
   * ("after-passages", "after-items", "after-courses"), to prove a killed run leaves the last good version.
   */
  TUTOR_TEST_CRASH_AT: z.enum(["after-passages", "after-index", "after-items", "after-courses"]).optional(),
  /** Where `npm run eval:corpus` looks for the evaluation books' git directories (`<owner>+<name>/repo`). */
  TUTOR_BOOKS_MIRROR: z.string().min(1).default("/work/.mirror"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /**
   * Chat LLM of the tutor (lib/llm). `none` (the default) answers with quoted passages and a ready prompt.
   * Unset with TUTOR_LLM_BASE_URL set means `openai-compatible` (Ollama, vLLM, llama.cpp, LM Studio, …).
   */
  TUTOR_LLM_PROVIDER: z.enum(["openai-compatible", "openai", "anthropic", "none"]).optional(),
  /** Base URL of the chat API, e.g. http://127.0.0.1:11434/v1 (required for openai-compatible). */
  TUTOR_LLM_BASE_URL: z.string().url().optional(),
  /** Model id as the provider names it, e.g. `qwen2.5:7b-instruct` (required unless the provider is none). */
  TUTOR_LLM_MODEL: z.string().min(1).optional(),
  /** API key (required for openai and anthropic; optional for openai-compatible servers). */
  TUTOR_LLM_API_KEY: z.string().min(1).optional(),
  /** Longest wait for the model's first token and between tokens before the answer is cut off. */
  TUTOR_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Requests per minute per client on /api/chat and on /api/search (each counted apart); 0 turns the limit off. */
  TUTOR_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /**
   * The TeX engine LaTeX ingestion compiles with (lib/course/latex/engine): the path of `pdflatex` or `lualatex`,
   * or `none` to derive numbers without TeX. Unset: `pdflatex`, then `lualatex`, found on the PATH.
   */
  TUTOR_TEX: z
    .string()
    .min(1)
    .refine((v) => v === "none" || /^(pdf|lua)latex(-dev)?(\.exe)?$/i.test(v.split(/[\\/]/).pop() ?? ""), {
      message: "must be the path of pdflatex or lualatex (e.g. /usr/bin/pdflatex), or none",
    })
    .optional(),
  /**
   * Reverse proxies whose `X-Forwarded-For` entries are believed (comma-separated addresses or CIDRs, or
   * `loopback` / `linklocal` / `uniquelocal`). Unset: the client is the socket's address, whatever headers say.
   */
  TUTOR_TRUSTED_PROXIES: z.string().trim().min(1).optional(),
  /** Shared store of the usage counters (several app replicas); unset: counted in process memory. */
  TUTOR_REDIS_URL: z.string().url().optional(),
  /** LLM answers per client per minute and per UTC day; 0 turns a limit off. */
  TUTOR_LLM_CALLS_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  TUTOR_LLM_CALLS_PER_DAY: z.coerce.number().int().min(0).default(200),
  /** LLM tokens (prompt + answer) per client per minute and per UTC day; 0 turns a limit off. */
  TUTOR_LLM_TOKENS_PER_MINUTE: z.coerce.number().int().min(0).default(100_000),
  TUTOR_LLM_TOKENS_PER_DAY: z.coerce.number().int().min(0).default(1_000_000),
  /** LLM tokens one course may spend per UTC day, all clients together; 0 turns the budget off. */
  TUTOR_COURSE_TOKENS_PER_DAY: z.coerce.number().int().min(0).default(20_000_000),
  /** `max_tokens` of every LLM call, and the cap on the tokens of one streamed answer. */
  TUTOR_LLM_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(16).max(100_000).default(2000),
  /** Longest time one answer may stream in total (the idle timeout is TUTOR_LLM_TIMEOUT_MS). */
  TUTOR_LLM_ANSWER_MAX_MS: z.coerce.number().int().min(500).max(3_600_000).default(180_000),
  /**
   * How often (ms) a running app checks whether another process published a new store version; the new version
   * is loaded and warmed in the background, then swapped in (lib/store/read.ts). Replicas notice an ingest within
   * about this long plus the load time.
   */
  TUTOR_STORE_CHECK_MS: z.coerce.number().int().min(100).max(600_000).default(1000),
  /**
   * Where an app serving an `s3://` store keeps its local copy of it (lib/store/mirror.ts; one folder per
   * process, removed at exit). Default: the system's temp folder.
   */
  TUTOR_STORE_MIRROR_DIR: z.string().min(1).optional(),
  /**
   * Object storage for an `s3://bucket/prefix` store (lib/store/object-store.ts): the usual AWS names, plus an
   * endpoint for S3-compatible services (MinIO, Ceph, R2, s3rver…). Credentials may also come from the
   * machine's role when the keys are unset.
   */
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1).optional(),
  AWS_DEFAULT_REGION: z.string().min(1).optional(),
  /** Endpoint of an S3-compatible service; TUTOR_S3_ENDPOINT wins over AWS_ENDPOINT_URL_S3 over AWS_ENDPOINT_URL. */
  TUTOR_S3_ENDPOINT: z.string().url().optional(),
  AWS_ENDPOINT_URL_S3: z.string().url().optional(),
  AWS_ENDPOINT_URL: z.string().url().optional(),
  /** Path-style requests (`http://host/bucket/key`); default: on with a custom endpoint, off on AWS. */
  TUTOR_S3_PATH_STYLE: booleanFlag.optional(),
  /** Plain-HTTP endpoint allowed; default: on exactly when the endpoint is an http:// URL. */
  TUTOR_S3_ALLOW_HTTP: booleanFlag.optional(),
  /** Origins besides the app's own that may POST to /api/chat (comma-separated, e.g. https://lms.example.edu). */
  TUTOR_ALLOWED_ORIGINS: z.string().trim().min(1).optional(),
  /**
   * The instructor's secret for `/instructor/<course>` and `/api/instructor/…` (issue 16). Unset: those pages and
   * APIs do not exist (404). At least 16 characters: it is all that guards what students asked
   * (e.g. `openssl rand -base64 24`).
   */
  TUTOR_INSTRUCTOR_TOKEN: z.string().min(16, { message: "must be at least 16 characters (e.g. the output of openssl rand -base64 24)" }).optional(),
}).superRefine((e, ctx) => {
  // An object-store location is checked at start too (values are never echoed: they may be secrets).
  if (/^s3:\/\//i.test(e.TUTOR_DB_DIR)) {
    for (const p of objectStoreProblems(e)) ctx.addIssue({ code: "custom", path: [p.variable], message: p.message });
  }
  // Cross-field checks of the LLM settings; each message names the variable to set.
  const provider = e.TUTOR_LLM_PROVIDER ?? (e.TUTOR_LLM_BASE_URL ? "openai-compatible" : "none");
  if (provider === "none") return;
  const need = (name: "TUTOR_LLM_BASE_URL" | "TUTOR_LLM_MODEL" | "TUTOR_LLM_API_KEY", example: string) => {
    if (!e[name]) ctx.addIssue({ code: "custom", path: [name], message: `required when TUTOR_LLM_PROVIDER=${provider} (e.g. ${example})` });
  };
  if (provider === "openai-compatible") need("TUTOR_LLM_BASE_URL", "http://127.0.0.1:11434/v1");
  need("TUTOR_LLM_MODEL", provider === "anthropic" ? "claude-sonnet-4-5" : provider === "openai" ? "gpt-4o-mini" : "qwen2.5:7b-instruct");
  if (provider === "openai" || provider === "anthropic") need("TUTOR_LLM_API_KEY", "the key from your provider's console");
});

export type Env = z.infer<typeof envSchema>;

type ObjectStoreEnv = Pick<
  Env,
  "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" | "AWS_REGION" | "AWS_DEFAULT_REGION" | "TUTOR_S3_ENDPOINT" | "AWS_ENDPOINT_URL_S3" | "AWS_ENDPOINT_URL" | "TUTOR_S3_ALLOW_HTTP"
>;

/**
 * What keeps an `s3://` store from being opened with these settings, each naming the variable to set. Used at
 * start (TUTOR_DB_DIR) and when a CLI's `--db s3://…` is connected (lib/store/object-store.ts).
 */
export function objectStoreProblems(e: ObjectStoreEnv): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (!e.AWS_REGION && !e.AWS_DEFAULT_REGION) {
    problems.push({ variable: "AWS_REGION", message: "required for an s3:// store (e.g. us-east-1; S3-compatible services accept any region name)" });
  }
  if (!!e.AWS_ACCESS_KEY_ID !== !!e.AWS_SECRET_ACCESS_KEY) {
    const missing = e.AWS_ACCESS_KEY_ID ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID";
    problems.push({ variable: missing, message: `required with ${missing === "AWS_ACCESS_KEY_ID" ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"} (set both, or neither to use the machine's role)` });
  }
  const endpoint = e.TUTOR_S3_ENDPOINT ?? e.AWS_ENDPOINT_URL_S3 ?? e.AWS_ENDPOINT_URL;
  if (endpoint && /^http:/i.test(endpoint) && e.TUTOR_S3_ALLOW_HTTP === false) {
    problems.push({ variable: "TUTOR_S3_ALLOW_HTTP", message: "is false but the S3 endpoint is a plain http:// URL: use https:// or allow HTTP" });
  }
  return problems;
}

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

/**
 * A bad variable stops the process with one line naming it: the Next.js server (NEXT_RUNTIME set) fails to
 * start with the error; a CLI prints the line and exits 2, without a stack trace.
 */
function loadEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (e) {
    if (process.env.NEXT_RUNTIME) throw e;
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
}

export const env: Env = loadEnv();

/**
 * The environment of a child process (a TeX run): this process's variables plus `extra`. Child processes need
 * PATH, HOME and the locale; kpathsea reads its settings (max_print_line, openout_any, …) from variables too.
 */
export function childProcessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** For tests of the validation messages: parses an arbitrary environment like `env` is parsed. */
export { parseEnv };
