import { parseArgs, type ParseArgsConfig } from "node:util";
import { TutorError } from "../../lib/errors";

/**
 * Shared plumbing for the CLIs: flag parsing with a usage message (and --help), and error output that never shows a
 * stack trace for bad input (set DEBUG=1 to see one for internal errors).
 */
export function parseCli<T extends NonNullable<ParseArgsConfig["options"]>>(usage: string, options: T) {
  let parsed;
  try {
    parsed = parseArgs({ options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${usage}\n`);
    process.exit(2);
  }
  // --help is every CLI's: print the usage and stop.
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed;
}

/** Prints a one-line error (and JSON on stdout when asked) and exits. */
export function fail(e: unknown, opts: { json?: boolean; exitCode?: number } = {}): never {
  const err = e instanceof TutorError ? e : null;
  const message = err ? err.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
  if (opts.json) process.stdout.write(`${JSON.stringify({ error: err?.code ?? "internal", message, ...(err?.details ?? {}) })}\n`);
  process.stderr.write(`error: ${message}\n`);
  if (!err && process.env.DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
  process.exit(opts.exitCode ?? 1);
}

export interface OptionalEmbedder<E> {
  embedder: E | null;
  status: { available: boolean; modelId: string; reason?: string };
}

/**
 * The embedding model if it can be had locally, else null with the reason: retrieval then runs on
 * full-text search alone. Never touches the network.
 */
export async function loadOptionalEmbedder(): Promise<OptionalEmbedder<import("../../lib/embed").Embedder>> {
  try {
    const m = await import("../../lib/embed");
    const embedder = await m.getEmbedder();
    const status = await m.getEmbedderStatus();
    if (status.available) return { embedder, status: { available: true, modelId: status.modelId } };
    return { embedder: null, status: { available: false, modelId: status.modelId, reason: status.reason } };
  } catch (e) {
    return { embedder: null, status: { available: false, modelId: "unknown", reason: `the embedding runtime failed to load (${(e as Error).message})` } };
  }
}

/** The loud notice printed when the model is missing. */
export function warnNoModel(status: { modelId: string; reason?: string }): void {
  process.stderr.write(
    `\n!! WARNING: no embedding model (${status.modelId}): ${status.reason ?? "unavailable"}.\n` +
      `!! Retrieval runs on FULL-TEXT SEARCH ONLY. Get the model with: npm run model -- ensure\n\n`,
  );
}
