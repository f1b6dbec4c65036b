/**
 * `npm run model -- …` end to end in child processes, and the env-selected singleton. The Hub is a
 * local HTTP server speaking the Hub's API (tree listing, resolve with Range) on 127.0.0.1, serving the
 * tiny fixture; "offline" is a closed local port. Nothing leaves the machine.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const TINY = path.join(ROOT, "tests/fixtures/tiny-e5-fixture");
const MODEL_ID = "test-org/tiny-e5";
const CLOSED_PORT_URL = "http://127.0.0.1:9"; // discard port: nothing listens, connection refused at once

/** Runs `scripts/model.ts` like `npm run model --` does, without blocking this process (the fake Hub lives here). */
function runModelCli(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/model.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "silent", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

/** Every file of the fixture, relative paths. */
function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

const requests: { url: string; range?: string }[] = [];
let hub: Server;
let hubUrl: string;
const tmpRoot = mkdtempSync(path.join(tmpdir(), "embed-cli-"));

beforeAll(async () => {
  const files = listFiles(TINY);
  hub = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push({ url: url.pathname, range: req.headers.range });
    if (url.pathname === `/api/models/${MODEL_ID}/tree/main`) {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify(
          files.map((p) => {
            const size = statSync(path.join(TINY, p)).size;
            const lfs = p.endsWith(".safetensors") ? { lfs: { oid: createHash("sha256").update(readFileSync(path.join(TINY, p))).digest("hex"), size } } : {};
            return { type: "file", path: p, size: lfs.lfs ? 135 : size, ...lfs };
          }),
        ),
      );
      return;
    }
    const prefix = `/${MODEL_ID}/resolve/main/`;
    const rel = decodeURIComponent(url.pathname.slice(prefix.length));
    if (!url.pathname.startsWith(prefix) || !files.includes(rel)) {
      res.statusCode = 404;
      res.end("not found");
      return;
    }
    const body = readFileSync(path.join(TINY, rel));
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (m) {
      const start = Number(m[1]);
      res.statusCode = 206;
      res.setHeader("content-range", `bytes ${start}-${body.byteLength - 1}/${body.byteLength}`);
      res.end(body.subarray(start));
    } else res.end(body);
  });
  await new Promise<void>((r) => hub.listen(0, "127.0.0.1", r));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => hub.close(r));
  rmSync(tmpRoot, { recursive: true, force: true });
});

describe("model fetch", () => {
  /** A models dir holding the fixture's small files already (complete) and a given `.part` for the weights. */
  const preparePartial = (name: string, part: Buffer) => {
    const modelsDir = path.join(tmpRoot, name);
    const dest = path.join(modelsDir, MODEL_ID);
    cpSync(TINY, dest, { recursive: true });
    rmSync(path.join(dest, "model.safetensors"));
    rmSync(path.join(dest, "reference.json"));
    writeFileSync(path.join(dest, "model.safetensors.part"), part);
    return { env: { HF_ENDPOINT: hubUrl, TUTOR_MODEL_DIR: modelsDir }, dest };
  };

  it("downloads the model files (and only those) with their exact bytes", async () => {
    const modelsDir = path.join(tmpRoot, "fetch-models");
    const dest = path.join(modelsDir, MODEL_ID);
    const r = await runModelCli(["fetch", MODEL_ID], { HF_ENDPOINT: hubUrl, TUTOR_MODEL_DIR: modelsDir });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fetched test-org\/tiny-e5/);
    for (const f of ["config.json", "tokenizer.json", "model.safetensors", "1_Pooling/config.json", "modules.json"]) {
      expect(readFileSync(path.join(dest, f)).equals(readFileSync(path.join(TINY, f))), f).toBe(true);
    }
    expect(existsSync(path.join(dest, "reference.json"))).toBe(false);
  });

  it("resumes a partial download with an HTTP Range request and skips complete files", async () => {
    const full = readFileSync(path.join(TINY, "model.safetensors"));
    const { env, dest } = preparePartial("fetch-resume", full.subarray(0, 50_000));
    requests.length = 0;
    const r = await runModelCli(["fetch", MODEL_ID], env);
    expect(r.code).toBe(0);
    expect(requests.filter((q) => q.url.includes("/resolve/"))).toEqual([{ url: `/${MODEL_ID}/resolve/main/model.safetensors`, range: "bytes=50000-" }]);
    expect(readFileSync(path.join(dest, "model.safetensors")).equals(full)).toBe(true);
    expect(existsSync(path.join(dest, "model.safetensors.part"))).toBe(false);
  });

  it("rejects a corrupt download (sha256) in one line and removes it", async () => {
    const { env, dest } = preparePartial("fetch-corrupt", Buffer.alloc(50_000, 7));
    const r = await runModelCli(["fetch", MODEL_ID], env);
    expect(r.code).toBe(1);
    // Progress lines may precede it (stderr is not a terminal here); the error itself is one line, no stack.
    const errors = r.stderr.trim().split("\n").filter((l) => l.startsWith("model fetch:"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/sha256 mismatch/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(dest, "model.safetensors.part"))).toBe(false);
  });

  it("fails with one clear line, no stack trace, when the Hub is unreachable", async () => {
    const r = await runModelCli(["fetch", MODEL_ID], { HF_ENDPOINT: CLOSED_PORT_URL, TUTOR_MODEL_DIR: path.join(tmpRoot, "offline") });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^model fetch: cannot reach http:\/\/127\.0\.0\.1:9 \(/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("names a missing repository", async () => {
    const r = await runModelCli(["fetch", "nobody/nothing"], { HF_ENDPOINT: hubUrl, TUTOR_MODEL_DIR: path.join(tmpRoot, "missing") });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not found \(HTTP 404\)/);
  });
});

describe("model ensure", () => {
  it("fetches, converts and checks the model when nothing is cached, then does nothing", async () => {
    const modelsDir = path.join(tmpRoot, "ensure-models");
    const env = { HF_ENDPOINT: hubUrl, TUTOR_MODEL_DIR: modelsDir, TUTOR_MODEL: MODEL_ID };
    const first = await runModelCli(["ensure"], env);
    expect(first.stderr).not.toMatch(/WARNING/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/model ready: test-org\/tiny-e5 \(int8\).*fetched and converted/);
    expect(existsSync(path.join(modelsDir, MODEL_ID, "onnx/model_quantized.onnx"))).toBe(true);
    const second = await runModelCli(["ensure"], { ...env, HF_ENDPOINT: CLOSED_PORT_URL });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/model ready/);
    expect(second.stdout).not.toMatch(/converted/);
  });

  it("converts local weights without touching the network", async () => {
    const modelsDir = path.join(tmpRoot, "ensure-local");
    cpSync(TINY, path.join(modelsDir, "tiny-e5-fixture"), { recursive: true });
    const r = await runModelCli(["ensure", "tiny-e5-fixture"], { HF_ENDPOINT: CLOSED_PORT_URL, TUTOR_MODEL_DIR: modelsDir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/model ready: tiny-e5-fixture .* converted/);
  });

  it("warns loudly and exits 0 offline with nothing cached; --require-model makes it fail", async () => {
    const env = { HF_ENDPOINT: CLOSED_PORT_URL, TUTOR_MODEL_DIR: path.join(tmpRoot, "ensure-offline") };
    const soft = await runModelCli(["ensure"], env);
    expect(soft.code).toBe(0);
    expect(soft.stderr).toMatch(/WARNING: the embedding model Krelle\/e5-small-v2-imo-pairs is NOT available/);
    expect(soft.stderr).toMatch(/full-text \(BM25\) only/);
    const hard = await runModelCli(["ensure", "--require-model"], env);
    expect(hard.code).not.toBe(0);
  });
});

describe("model embed", () => {
  it("prints one JSON vector per stdin line, equal to sentence-transformers' output", async () => {
    const dir = path.join(tmpRoot, "embed-tiny");
    cpSync(TINY, dir, { recursive: true });
    const ref = JSON.parse(readFileSync(path.join(TINY, "reference.json"), "utf8")) as { texts: string[]; embeddings_query: number[][] };
    const input = ref.texts.map((t) => JSON.stringify(t)).join("\n") + "\n";
    const r = await runModelCli(["embed", dir, "--prompt", "query", "--dtype", "fp32", "--json"], {}, input);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(ref.texts.length);
    lines.forEach((line, i) => {
      const v = JSON.parse(line) as number[];
      expect(v).toHaveLength(32);
      v.forEach((x, d) => expect(Math.abs(x - ref.embeddings_query[i][d])).toBeLessThan(1e-4));
    });
  });

  it("rejects a line that is not a JSON string", async () => {
    // A copy: loadEmbedder converts in place, and the fixture folder must stay as committed.
    const dir = path.join(tmpRoot, "embed-bad-input");
    cpSync(TINY, dir, { recursive: true });
    const r = await runModelCli(["embed", dir, "--json"], {}, "not json\n");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 1 is not JSON/);
  });
});

describe("getEmbedder / getEmbedderStatus (env-selected singleton)", () => {
  const modelsDir = path.join(tmpRoot, "singleton-models");

  beforeAll(() => {
    mkdirSync(modelsDir, { recursive: true });
    cpSync(TINY, path.join(modelsDir, "local", "tiny"), { recursive: true });
    // lib/env parses process.env when first imported: set it before the dynamic imports below.
    process.env.TUTOR_MODEL_DIR = modelsDir;
    process.env.TUTOR_MODEL = "local/tiny";
    process.env.TUTOR_MODEL_DTYPE = "int8";
    process.env.LOG_LEVEL = "silent";
  });

  it("loads the model once per process and reports it available", async () => {
    const { getEmbedder, getEmbedderStatus } = await import("@/lib/embed");
    const [a, b] = await Promise.all([getEmbedder(), getEmbedder()]);
    expect(a).not.toBeNull();
    expect(a).toBe(b);
    expect(a).toMatchObject({ modelId: "local/tiny", dtype: "int8", dimension: 32, maxTokens: 48 });
    expect(await getEmbedderStatus()).toEqual({ available: true, modelId: "local/tiny", dtype: "int8", dir: path.join(modelsDir, "local", "tiny") });
    const [v] = await a!.embed(["What is a Hessian matrix?"], { prompt: "query" });
    expect(v).toHaveLength(32);
  });

  it("reports the reason through `model status` when no model is there", async () => {
    const r = await runModelCli(["status"], { TUTOR_MODEL_DIR: path.join(tmpRoot, "nothing"), TUTOR_MODEL: "Krelle/e5-small-v2-imo-pairs" });
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout.trim()) as { available: boolean; reason: string };
    expect(status.available).toBe(false);
    expect(status.reason).toMatch(/config\.json missing/);
    expect(r.stderr).toMatch(/WARNING/);
  });
});
