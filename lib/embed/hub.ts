import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * Downloading a model repository from the Hugging Face Hub (or a mirror speaking the same HTTP API):
 * list the files with their sizes (`/api/models/<id>/tree/<rev>?recursive=true`), download the ones
 * the embedder needs from `/<id>/resolve/<rev>/<path>` into `<dest>/<path>.part`, resume a partial
 * file with an HTTP Range request, check the size (and the sha256 the Hub records for LFS files),
 * then rename into place. Files already complete are skipped.
 */

/** The Hub could not be reached at all (DNS, connection refused, timeout, TLS). */
export class HubUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HubUnreachableError";
  }
}

/** The Hub answered, but not with what we need (missing repo, gated, missing file, size mismatch). */
export class HubFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HubFetchError";
  }
}

/** One file of the repository as the tree API lists it. */
export interface HubFile {
  path: string;
  size: number;
  /** sha256 of the content, known for LFS files (weights). */
  sha256?: string;
}

/** Files the embedder uses; everything else in a repository (README, pytorch_model.bin, onnx/…) is skipped. */
const WANTED_FILES = new Set([
  "config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "vocab.txt",
  "modules.json",
  "sentence_bert_config.json",
  "config_sentence_transformers.json",
  "model.safetensors",
]);
const REQUIRED_FILES = ["config.json", "tokenizer.json", "model.safetensors"];

/** Picks the files to download from a repository listing; throws when a required one is absent. */
export function selectModelFiles(files: HubFile[]): HubFile[] {
  const chosen = files.filter((f) => WANTED_FILES.has(f.path) || /^\d+_(Pooling|Normalize)\/[^/]+\.json$/.test(f.path));
  const missing = REQUIRED_FILES.filter((r) => !chosen.some((f) => f.path === r));
  if (missing.length > 0) {
    throw new HubFetchError(
      `the repository lacks ${missing.join(", ")}${missing.includes("model.safetensors") ? " (only safetensors weights can be converted)" : ""}`,
    );
  }
  return chosen;
}

/** Progress events for a CLI progress bar. */
export type FetchProgress =
  | { kind: "start"; files: HubFile[]; totalBytes: number; alreadyBytes: number }
  | { kind: "file"; file: HubFile; resumedFrom: number }
  | { kind: "bytes"; file: HubFile; received: number }
  | { kind: "done"; file: HubFile; skipped: boolean };

export interface FetchModelOptions {
  modelId: string;
  destDir: string;
  /** e.g. https://huggingface.co */
  endpoint: string;
  revision?: string;
  token?: string;
  onProgress?: (event: FetchProgress) => void;
  /** Abort a download that received nothing for this long (default 60 s). */
  idleTimeoutMs?: number;
}

const NETWORK_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_SOCKET", "CERT_HAS_EXPIRED", "UNABLE_TO_VERIFY_LEAF_SIGNATURE"]);

/** Turns fetch's generic "fetch failed" into a HubUnreachableError naming the cause. */
function describeNetworkError(endpoint: string, e: unknown): Error {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? (err as { code?: string }).code;
  if (err.name === "TimeoutError" || err.name === "AbortError") return new HubUnreachableError(`no answer from ${endpoint} (timed out)`, { cause: e });
  if (code && NETWORK_CODES.has(code)) return new HubUnreachableError(`cannot reach ${endpoint} (${err.cause?.message ?? code})`, { cause: e });
  if (err instanceof TypeError && err.message === "fetch failed") {
    return new HubUnreachableError(`cannot reach ${endpoint} (${err.cause?.message ?? "network error"})`, { cause: e });
  }
  return err;
}

function createHeaders(opts: FetchModelOptions, extra: Record<string, string> = {}): Record<string, string> {
  return { "user-agent": "course-tutor/0.1 (model fetch)", ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...extra };
}

function explainStatus(status: number, what: string, modelId: string): HubFetchError {
  if (status === 401 || status === 403) return new HubFetchError(`${what}: access denied (HTTP ${status}); for a private or gated model set HF_TOKEN`);
  if (status === 404) return new HubFetchError(`${what}: not found (HTTP 404); is "${modelId}" the right model id?`);
  return new HubFetchError(`${what}: HTTP ${status}`);
}

/** Lists the repository's files with sizes (and LFS sha256). */
export async function listHubFiles(opts: FetchModelOptions): Promise<HubFile[]> {
  const revision = encodeURIComponent(opts.revision ?? "main");
  const url = `${opts.endpoint.replace(/\/+$/, "")}/api/models/${opts.modelId}/tree/${revision}?recursive=true`;
  let res: Response;
  try {
    res = await fetch(url, { headers: createHeaders(opts), signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    throw describeNetworkError(opts.endpoint, e);
  }
  if (!res.ok) throw explainStatus(res.status, `listing ${opts.modelId}`, opts.modelId);
  const entries = (await res.json()) as { type: string; path: string; size: number; lfs?: { oid?: string; sha256?: string; size?: number } }[];
  return entries
    .filter((e) => e.type === "file")
    .map((e) => ({ path: e.path, size: e.lfs?.size ?? e.size, ...(e.lfs ? { sha256: e.lfs.oid ?? e.lfs.sha256 } : {}) }));
}

async function hashFile(path: string, hash: ReturnType<typeof createHash>): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

/** Downloads one file, resuming `<dest>.part` when present. */
async function downloadFile(opts: FetchModelOptions, file: HubFile): Promise<void> {
  const dest = join(opts.destDir, file.path);
  const part = `${dest}.part`;
  await mkdir(dirname(dest), { recursive: true });
  let offset = (await stat(part).catch(() => null))?.size ?? 0;
  if (offset > file.size) {
    await rm(part, { force: true });
    offset = 0;
  }
  const revision = encodeURIComponent(opts.revision ?? "main");
  const url = `${opts.endpoint.replace(/\/+$/, "")}/${opts.modelId}/resolve/${revision}/${file.path.split("/").map(encodeURIComponent).join("/")}`;
  const hash = file.sha256 ? createHash("sha256") : null;
  // True once `hash` has seen the whole file (the resumed prefix, then every streamed byte).
  let hashedWhileStreaming = false;
  if (offset < file.size) {
    const controller = new AbortController();
    const idleMs = opts.idleTimeoutMs ?? 60_000;
    let idleTimer = setTimeout(() => controller.abort(), idleMs);
    try {
      let res: Response;
      try {
        res = await fetch(url, {
          headers: createHeaders(opts, offset > 0 ? { range: `bytes=${offset}-` } : {}),
          signal: controller.signal,
          redirect: "follow",
        });
      } catch (e) {
        throw describeNetworkError(opts.endpoint, e);
      }
      if (res.status === 416 && offset > 0) {
        // The server has nothing after our offset: the part file may already be complete.
        await res.body?.cancel();
      } else {
        if (!res.ok) throw explainStatus(res.status, `downloading ${file.path}`, opts.modelId);
        // A server that ignores Range answers 200 with the whole file: start over.
        if (offset > 0 && res.status !== 206) offset = 0;
        opts.onProgress?.({ kind: "file", file, resumedFrom: offset });
        if (hash && offset > 0) await hashFile(part, hash);
        const out = createWriteStream(part, { flags: offset > 0 ? "a" : "w" });
        let received = offset;
        try {
          if (!res.body) throw new HubFetchError(`downloading ${file.path}: empty response`);
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            clearTimeout(idleTimer);
            idleTimer = setTimeout(() => controller.abort(), idleMs);
            hash?.update(chunk);
            received += chunk.byteLength;
            if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
            opts.onProgress?.({ kind: "bytes", file, received });
          }
          hashedWhileStreaming = hash !== null;
        } catch (e) {
          throw e instanceof HubFetchError ? e : describeNetworkError(opts.endpoint, e);
        } finally {
          await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        }
      }
    } finally {
      clearTimeout(idleTimer);
    }
  }
  const size = (await stat(part)).size;
  if (size !== file.size) {
    throw new HubFetchError(`downloading ${file.path}: got ${size} bytes, the Hub lists ${file.size} (run fetch again to resume)`);
  }
  if (file.sha256) {
    let digest: string;
    if (hash && hashedWhileStreaming) digest = hash.digest("hex");
    else {
      const h = createHash("sha256");
      await hashFile(part, h);
      digest = h.digest("hex");
    }
    if (digest !== file.sha256) {
      await rm(part, { force: true });
      throw new HubFetchError(`downloading ${file.path}: sha256 mismatch (corrupt download removed, run fetch again)`);
    }
  }
  await rename(part, dest);
}

/**
 * Downloads the model's files into `destDir`, skipping files already complete (right size), resuming
 * partial ones. Throws HubUnreachableError without network, HubFetchError for anything else.
 */
export async function fetchModelFromHub(opts: FetchModelOptions): Promise<{ files: HubFile[]; downloadedBytes: number }> {
  const files = selectModelFiles(await listHubFiles(opts));
  const existing = await Promise.all(files.map(async (f) => (await stat(join(opts.destDir, f.path)).catch(() => null))?.size === f.size));
  const totalBytes = files.reduce((a, f) => a + f.size, 0);
  const alreadyBytes = files.reduce((a, f, i) => a + (existing[i] ? f.size : 0), 0);
  opts.onProgress?.({ kind: "start", files, totalBytes, alreadyBytes });
  let downloadedBytes = 0;
  for (const [i, file] of files.entries()) {
    if (existing[i]) {
      opts.onProgress?.({ kind: "done", file, skipped: true });
      continue;
    }
    await downloadFile(opts, file);
    downloadedBytes += file.size;
    opts.onProgress?.({ kind: "done", file, skipped: false });
  }
  return { files, downloadedBytes };
}
