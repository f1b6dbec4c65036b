/**
 * Load benchmark (`npm run bench:load [-- --quick] [--soak-seconds=300] [--json]`): the built app (`server.ts`, as
 * `npm start` runs it) on loopback, with the demo course and the scripted OpenAI-protocol LLM streaming like a
 * real one (first token after 300 ms, then 40 tokens/s). Prints req/s, p50/p99 latency, errors, non-2xx and peak
 * server RSS for: /api/search at 10/50/200 connections, /api/chat at 20/50, a 50 MB chunked body, and a soak
 * (search and chat mixed) with its RSS growth. Bounded: each run by duration, the whole by the soak length.
 * Writes bench/results/load.json. A benchmark: it prints numbers and asserts nothing. Needs `next build` first.
 *   --only=search,chat,body,soak   the parts to run (default all)     --seconds=N   each run's length
 *   --cpu-prof                      profile the server (node --cpu-prof) and print where its CPU time went
 */
import { copyFileSync, readdirSync, readFileSync, mkdirSync, writeFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import os, { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { ingestCourse } from "../lib/ingest/ingest-course";
import { formatCpuSummary, summariseCpuProfile } from "./lib/cpu-profile";
import { startNextApp } from "../tests/support/next-app";
import { startFakeOpenAI } from "../tests/support/openai-server";

const ROOT = path.resolve(import.meta.dirname, "..");
const quick = process.argv.includes("--quick");
const json = process.argv.includes("--json");
const soakArg = process.argv.find((a) => a.startsWith("--soak-seconds="));
const SOAK_S = soakArg ? Number(soakArg.split("=")[1]) : quick ? 30 : 300;
const secondsArg = process.argv.find((a) => a.startsWith("--seconds="));
const RUN_S = secondsArg ? Number(secondsArg.split("=")[1]) : quick ? 5 : 15;
const onlyArg = process.argv.find((a) => a.startsWith("--only="));
const PARTS = new Set(onlyArg ? onlyArg.split("=")[1].split(",") : ["search", "chat", "body", "soak"]);
const cpuProf = process.argv.includes("--cpu-prof");
const log = (m: string) => process.stderr.write(`${m}\n`);

/** The scripted answer: 24 tokens, so the LLM's own time per answer is 300 ms + 23 × 25 ms ≈ 0.88 s. */
const ANSWER_TOKENS = 24;
const FIRST_TOKEN_MS = 300;
const TOKEN_MS = 25;
const LLM_OWN_MS = FIRST_TOKEN_MS + (ANSWER_TOKENS - 1) * TOKEN_MS;

/** CPU seconds the process has used (user + system), from /proc: the server's own work, whatever else runs. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
  // After the name: state is field 3, utime 14 and stime 15 (1-based), in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

interface Row {
  name: string;
  connections: number;
  seconds: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  peakRssMb: number;
  /** The server's CPU time per request during the run (ms). */
  cpuMsPerReq: number;
}

async function run(name: string, pid: number, opts: autocannon.Options): Promise<Row> {
  let peak = rss(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rss(pid))), 250);
  const cpu0 = cpuSeconds(pid);
  const r = await autocannon({ timeout: 30, ...opts });
  const cpu = cpuSeconds(pid) - cpu0;
  clearInterval(sampler);
  const row: Row = {
    name,
    connections: opts.connections ?? 10,
    seconds: r.duration,
    reqPerSec: Math.round(r.requests.average * 10) / 10,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    peakRssMb: Math.round(peak / 2 ** 20),
    cpuMsPerReq: r.requests.total ? Math.round((cpu * 1000 * 10) / r.requests.total) / 10 : 0,
  };
  log(`${name.padEnd(28)} ${String(row.connections).padStart(4)} conn  ${String(row.reqPerSec).padStart(7)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  errors ${row.errors}  non-2xx ${row.non2xx}  peak RSS ${row.peakRssMb} MB  server CPU ${row.cpuMsPerReq} ms/req`);
  return row;
}

/** Streams `total` bytes as a chunked POST; resolves with the status once the server answers. */
function postChunked(url: string, total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } });
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, "x");
    req.on("response", (res) => {
      answered = true;
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", (e) => (answered ? undefined : reject(e)));
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

async function main() {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("no production build: run `npx next build` first");
  const tmp = mkdtempSync(path.join(tmpdir(), "tutor-load-"));
  const db = path.join(tmp, "db");
  log(`load average at the start: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")} (${os.cpus().length} CPUs)`);
  log("ingesting the demo course …");
  await ingestCourse({ tex: "none", path: path.join(ROOT, "content/demo-course"), db, embedder: null, modelStatus: { available: false, modelId: "none" } });
  const words = Array.from({ length: ANSWER_TOKENS }, (_, i) => (i === 0 ? "By [Exercise 1.41], " : `word${i} `));
  const fake = await startFakeOpenAI({ script: () => ({ chunks: words, firstByteDelayMs: FIRST_TOKEN_MS, chunkDelayMs: TOKEN_MS }) });
  const app = await startNextApp(
    {
      TUTOR_DB_DIR: db,
      TUTOR_MODEL_DIR: path.join(tmp, "no-models"),
      TUTOR_LLM_PROVIDER: "openai-compatible",
      TUTOR_LLM_BASE_URL: fake.url,
      TUTOR_LLM_MODEL: "fake-model",
      // Limits off: this measures the server's own work, not its refusals.
      TUTOR_RATE_LIMIT_PER_MINUTE: "0",
      TUTOR_LLM_CALLS_PER_MINUTE: "0",
      TUTOR_LLM_CALLS_PER_DAY: "0",
      TUTOR_LLM_TOKENS_PER_MINUTE: "0",
      TUTOR_LLM_TOKENS_PER_DAY: "0",
      TUTOR_COURSE_TOKENS_PER_DAY: "0",
    },
    "bench",
    { nodeArgs: cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${path.join(tmp, "prof")}`] : [] },
  );
  const rows: Row[] = [];
  let measuredFrom: number | undefined;
  const questions = ["what is a convex function", "hint for exercise 1.41", "explain Newton's method", "state the mean value theorem", "sets and subsets"];
  const searchUrl = (i: number) => `${app.url}/api/search?q=${encodeURIComponent(questions[i % questions.length])}`;
  const chatBody = (q: string) => JSON.stringify({ messages: [{ id: "m", role: "user", parts: [{ type: "text", text: q }] }] });
  try {
    // Warm up (first compiles, first reads) so the first measured run is not the slowest.
    await autocannon({ url: searchUrl(0), connections: 4, amount: 100 });
    await autocannon({ url: `${app.url}/api/chat`, method: "POST", headers: { "content-type": "application/json" }, body: chatBody("hint for exercise 1.41"), connections: 4, amount: 20 });
    measuredFrom = Date.now();
    if (PARTS.has("search")) for (const c of [10, 50, 200]) rows.push(await run("GET /api/search", app.pid, { url: searchUrl(c), connections: c, duration: RUN_S }));
    for (const c of PARTS.has("chat") ? [20, 50] : []) {
      rows.push(
        await run(`POST /api/chat (LLM ${LLM_OWN_MS} ms)`, app.pid, {
          url: `${app.url}/api/chat`,
          method: "POST",
          headers: { "content-type": "application/json" },
          body: chatBody("hint for exercise 1.41"),
          connections: c,
          duration: RUN_S,
        }),
      );
    }
    let chunkedBody: { status: number; rssGrowthMb: number } | undefined;
    if (PARTS.has("body")) {
      const before = rss(app.pid);
      const status = await postChunked(`${app.url}/api/chat`, 50 * 2 ** 20);
      await new Promise((r) => setTimeout(r, 500));
      const rssGrowthMb = Math.round(((rss(app.pid) - before) / 2 ** 20) * 10) / 10;
      chunkedBody = { status, rssGrowthMb };
      log(`50 MB chunked body → ${status}, server RSS growth ${rssGrowthMb} MB`);
    }

    let soakGrowthPct: number | undefined;
    if (PARTS.has("soak")) {
      log(`soak: ${SOAK_S} s, search at 20 connections and chat at 10, RSS sampled every 5 s …`);
      const samples: number[] = [];
      const sampler = setInterval(() => samples.push(rss(app.pid)), 5000);
      // Both run at once: the server CPU per request printed for each is the two together's.
      const [soakSearch, soakChat] = await Promise.all([
        run("soak GET /api/search", app.pid, { url: searchUrl(1), connections: 20, duration: SOAK_S }),
        run("soak POST /api/chat", app.pid, { url: `${app.url}/api/chat`, method: "POST", headers: { "content-type": "application/json" }, body: chatBody("explain Newton's method"), connections: 10, duration: SOAK_S }),
      ]);
      clearInterval(sampler);
      rows.push(soakSearch, soakChat);
      // RSS saws up and down as V8 collects (a garbage-collected heap grows between major collections): two single
      // samples compare two random points of the saw. What a leak raises is the floor — the memory that survives
      // collection — so the growth is the lowest RSS of the second half against the lowest of the first (after a
      // warm-up fifth). The warm→end figure of single samples is printed beside it.
      const warmUp = Math.floor(samples.length / 5);
      const mid = warmUp + Math.floor((samples.length - warmUp) / 2);
      const floor1 = Math.min(...samples.slice(warmUp, mid));
      const floor2 = Math.min(...samples.slice(mid));
      soakGrowthPct = Math.round(((floor2 - floor1) / floor1) * 1000) / 10;
      const warm = samples[Math.max(0, warmUp - 1)] ?? samples[0];
      const end = samples.at(-1) ?? warm;
      const mb = (x: number) => Math.round(x / 2 ** 20);
      log(`soak RSS floor: ${mb(floor1)} MB (first half) → ${mb(floor2)} MB (second half), ${soakGrowthPct}%; single samples ${mb(warm)} MB warm → ${mb(end)} MB at the end (${Math.round(((end - warm) / warm) * 1000) / 10}%), peak ${mb(Math.max(...samples))} MB`);
      log(`soak RSS samples (MB, every 5 s): ${samples.map(mb).join(" ")}`);
    }

    const result = { when: new Date().toISOString(), quick, runSeconds: RUN_S, soakSeconds: SOAK_S, llmOwnMs: LLM_OWN_MS, rows, chunkedBody, soakRssGrowthPct: soakGrowthPct, loadAverage: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ") };
    log(`load average at the end: ${result.loadAverage}`);
    mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
    writeFileSync(path.join(ROOT, "bench/results/load.json"), JSON.stringify(result, null, 2));
    if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    const measuredMs = measuredFrom ? Date.now() - measuredFrom : undefined;
    await app.stop();
    await fake.close();
    if (cpuProf) {
      const dir = path.join(tmp, "prof");
      const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith(".cpuprofile")) : undefined;
      if (file) {
        mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
        copyFileSync(path.join(dir, file), path.join(ROOT, "bench/results/server.cpuprofile"));
        const requests = rows.reduce((n, r) => n + r.reqPerSec * r.seconds, 0);
        // Only the measured runs: not the server's start-up and warm-up.
        log(formatCpuSummary(summariseCpuProfile(path.join(dir, file), { lastMs: measuredMs }), requests));
        log("profile: bench/results/server.cpuprofile (open in Chrome DevTools › Performance)");
      } else log("no CPU profile was written (the server did not exit cleanly)");
    }
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  process.stderr.write(`bench:load failed: ${e.message}\n`);
  process.exit(1);
});
