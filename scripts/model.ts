/**
 * `npm run model -- <command>`: the embedding model's command line.
 *
 *   fetch   [model id]            download config, tokenizer and model.safetensors into <TUTOR_MODEL_DIR>/<id>/ (resumable)
 *   convert <dir>                 model.safetensors → <dir>/onnx/model.onnx (+ model_quantized.onnx, int8)
 *   ensure  [model id] [--require-model]
 *                                 converted model present → nothing; weights present → convert; else fetch + convert;
 *                                 unobtainable → loud warning, exit 0 (non-zero with --require-model)
 *   embed   <dir> [--prompt query|passage] [--dtype fp32|int8] [--batch-size n] --json
 *                                 stdin: one JSON string per line → stdout: one JSON array per line (the app's code path)
 *   status                        whether the env-selected model loads, and why not
 *
 * Errors print one line (`model <command>: …`) and exit 1; no stack traces for expected failures.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { env } from "../lib/env";
import type { FetchProgress } from "../lib/embed/hub";

const USAGE = `usage: npm run model -- <fetch [id] | convert <dir> | ensure [id] [--require-model] | embed <dir> [--prompt query|passage] [--dtype fp32|int8] --json | status>`;

class UsageError extends Error {}

/** A progress bar on a terminal, a line per 10 % otherwise (CI logs). */
function createFetchProgress(label: string): { onProgress: (e: FetchProgress) => void; stop: () => void } {
  const tty = process.stderr.isTTY;
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: `${label} [{bar}] {percentage}% {value}/{total} MB {file}`, stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let total = 0;
  let done = 0;
  let lastDecile = -1;
  const mb = (b: number) => Math.round(b / 1e5) / 10;
  return {
    onProgress(e) {
      if (e.kind === "start") {
        total = e.totalBytes;
        done = e.alreadyBytes;
        bar?.start(mb(total), mb(done), { file: "" });
        if (!tty) process.stderr.write(`${label}: ${e.files.length} files, ${mb(total)} MB (${mb(done)} MB already here)\n`);
      } else if (e.kind === "file" && e.resumedFrom > 0 && !tty) {
        process.stderr.write(`${label}: resuming ${e.file.path} at ${mb(e.resumedFrom)} MB\n`);
      } else if (e.kind === "bytes") {
        const current = done + e.received;
        bar?.update(mb(current), { file: e.file.path });
        const decile = Math.floor((10 * current) / Math.max(total, 1));
        if (!tty && decile !== lastDecile) {
          lastDecile = decile;
          process.stderr.write(`${label}: ${decile * 10}% (${e.file.path})\n`);
        }
      } else if (e.kind === "done" && !e.skipped) {
        done += e.file.size;
        bar?.update(mb(done), { file: e.file.path });
      }
    },
    stop: () => bar?.stop(),
  };
}

async function runFetch(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { revision: { type: "string" } } });
  const modelId = positionals[0] ?? env.TUTOR_MODEL;
  const { resolveModelDir } = await import("../lib/embed/paths");
  const { fetchModelFromHub } = await import("../lib/embed/hub");
  const destDir = resolveModelDir(env.TUTOR_MODEL_DIR, modelId);
  const progress = createFetchProgress(`fetch ${modelId}`);
  try {
    const { files, downloadedBytes } = await fetchModelFromHub({
      modelId,
      destDir,
      endpoint: env.HF_ENDPOINT,
      token: env.HF_TOKEN,
      revision: values.revision,
      onProgress: progress.onProgress,
    });
    progress.stop();
    console.log(`fetched ${modelId} into ${destDir}: ${files.length} files, ${(downloadedBytes / 1e6).toFixed(1)} MB downloaded`);
  } finally {
    progress.stop();
  }
}

async function runConvert(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { layout: { type: "string", default: "fused" } },
  });
  const dir = positionals[0];
  if (!dir) throw new UsageError("convert needs a model directory");
  if (values.layout !== "fused" && values.layout !== "standard") throw new UsageError("--layout must be fused or standard");
  const { convertModelDir } = await import("../lib/embed/convert");
  const result = await convertModelDir(dir, { layout: values.layout, log: (m) => process.stderr.write(`convert: ${m}\n`) });
  for (const w of result.written) console.log(`${w.dtype}\t${w.path}\t${(w.bytes / 1e6).toFixed(1)} MB`);
  console.log(`converted in ${result.seconds.toFixed(1)} s`);
}

/** The warning printed when the model cannot be had: loud, because search silently loses its dense half. */
function printUnavailableWarning(modelId: string, reason: string): void {
  const lines = [
    `WARNING: the embedding model ${modelId} is NOT available.`,
    `Reason: ${reason}`,
    `Ingestion and search will run on full-text (BM25) only until the model is in place.`,
    `Fix: run \`npm run model -- ensure\` with network access (HF_ENDPOINT=${env.HF_ENDPOINT}),`,
    `     or copy the model repository (config.json, tokenizer.json, model.safetensors, …) into ${env.TUTOR_MODEL_DIR}/${modelId}/.`,
  ];
  // Wrapped to 96 columns so that the box survives narrow terminals and long paths.
  const wrapped = lines.flatMap((line) => {
    const out: string[] = [];
    let rest = line;
    while (rest.length > 96) {
      const cut = rest.lastIndexOf(" ", 96) > 40 ? rest.lastIndexOf(" ", 96) : 96;
      out.push(rest.slice(0, cut));
      rest = `     ${rest.slice(cut).trimStart()}`;
    }
    return [...out, rest];
  });
  const width = Math.max(...wrapped.map((l) => l.length));
  const rule = "!".repeat(width + 4);
  process.stderr.write(`\n${rule}\n${wrapped.map((l) => `! ${l.padEnd(width)} !`).join("\n")}\n${rule}\n\n`);
}

async function runEnsure(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { "require-model": { type: "boolean", default: false } } });
  const modelId = positionals[0] ?? env.TUTOR_MODEL;
  const { ensureModel } = await import("../lib/embed/ensure");
  const progress = createFetchProgress(`fetch ${modelId}`);
  const outcome = await ensureModel({
    modelId,
    modelsDir: env.TUTOR_MODEL_DIR,
    dtype: env.TUTOR_MODEL_DTYPE,
    endpoint: env.HF_ENDPOINT,
    token: env.HF_TOKEN,
    log: (m) => process.stderr.write(`ensure: ${m}\n`),
    onFetchProgress: progress.onProgress,
  });
  progress.stop();
  if (outcome.status === "ready" && outcome.action !== "none") {
    // A fresh conversion is proven by loading it once, exactly as the app will.
    const { loadEmbedder } = await import("../lib/embed/index");
    try {
      const embedder = await loadEmbedder({ dir: outcome.dir, modelId, dtype: env.TUTOR_MODEL_DTYPE });
      await embedder.embed(["model check"], { prompt: "query" });
    } catch (e) {
      printUnavailableWarning(modelId, (e as Error).message);
      return values["require-model"] ? 1 : 0;
    }
  }
  if (outcome.status === "unavailable") {
    printUnavailableWarning(modelId, outcome.reason);
    return values["require-model"] ? 1 : 0;
  }
  console.log(`model ready: ${modelId} (${env.TUTOR_MODEL_DTYPE}) in ${outcome.dir}${outcome.action === "none" ? "" : ` — ${outcome.action}`}`);
  return 0;
}

async function runEmbed(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      prompt: { type: "string" },
      dtype: { type: "string" },
      "batch-size": { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const dir = positionals[0];
  if (!dir) throw new UsageError("embed needs a model directory");
  if (!values.json) throw new UsageError("embed: only --json output is supported (one JSON array per line)");
  const prompt = values.prompt ?? null;
  if (prompt !== null && prompt !== "query" && prompt !== "passage") throw new UsageError("--prompt must be query or passage");
  const dtype = values.dtype ?? env.TUTOR_MODEL_DTYPE;
  if (dtype !== "fp32" && dtype !== "int8") throw new UsageError("--dtype must be fp32 or int8");
  const batchSize = values["batch-size"] ? Number(values["batch-size"]) : undefined;
  const { loadEmbedder } = await import("../lib/embed/index");
  const embedder = await loadEmbedder({ dir, dtype });
  // Read in chunks so that a large stdin neither waits for EOF nor sits in memory; output order = input order.
  const CHUNK = 64;
  let pending: string[] = [];
  let lineNo = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const vectors = await embedder.embed(pending, { prompt, batchSize });
    process.stdout.write(vectors.map((v) => JSON.stringify(Array.from(v))).join("\n") + "\n");
    pending = [];
  };
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() === "") continue;
    let text: unknown;
    try {
      text = JSON.parse(line);
    } catch {
      throw new Error(`stdin line ${lineNo} is not JSON (expected one JSON string per line)`);
    }
    if (typeof text !== "string") throw new Error(`stdin line ${lineNo} is not a JSON string`);
    pending.push(text);
    if (pending.length >= CHUNK) await flush();
  }
  await flush();
}

async function runStatus(): Promise<void> {
  const { getEmbedderStatus } = await import("../lib/embed/index");
  const status = await getEmbedderStatus();
  console.log(JSON.stringify(status));
  if (!status.available) printUnavailableWarning(status.modelId, status.reason);
}

/** Entry point; returns the exit code. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "fetch":
      await runFetch(rest);
      return 0;
    case "convert":
      await runConvert(rest);
      return 0;
    case "ensure":
      return runEnsure(rest);
    case "embed":
      await runEmbed(rest);
      return 0;
    case "status":
      await runStatus();
      return 0;
    default:
      throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  }
}

const command = process.argv[2] ?? "";
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const err = e as Error;
    process.stderr.write(`model ${command}: ${err?.message ?? String(e)}\n`);
    if (e instanceof UsageError || (err as NodeJS.ErrnoException)?.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") process.stderr.write(`${USAGE}\n`);
    process.exitCode = 1;
  },
);
