/**
 * Fuzz benchmark (`npm run bench:fuzz [-- --inputs=12000] [--seed=N] [--bound-ms=5000] [--only=latex,refs]`):
 * property-based fuzzing of every parser of outside input (tests/support/fuzz/targets.ts) with ≥ 10,000 inputs in
 * all, shared out by each target's weight. Each target runs in a worker thread watched from here: a parser that
 * sends no sign of progress for 10 × the bound is stopped and reported as a hang with the input it was given.
 * Prints per target: inputs, time, the slowest input's time, and the first failure (shrunk) with its replay seed.
 * Writes bench/results/fuzz.json. Exit code 1 when any property failed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { FUZZ_TARGETS, type FuzzReport } from "../tests/support/fuzz/targets";

const ROOT = path.resolve(import.meta.dirname, "..");
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const TOTAL = Number(arg("inputs") ?? 12_000);
const SEED = Number(arg("seed") ?? Date.now() % 2 ** 31);
// Loose on purpose: a hang or a backtracking pattern takes minutes; a 150-line chapter on a machine shared by
// nine engineers can take a second or two.
const BOUND_MS = Number(arg("bound-ms") ?? 5000);
const only = arg("only")?.split(",");
/** How long a worker may take to load the parsers before its first input. */
const STARTUP_MS = 300_000;
const log = (m: string) => process.stderr.write(`${m}\n`);

function runInWorker(name: string, runs: number): Promise<FuzzReport> {
  return new Promise((resolve, reject) => {
    // Node 20 does not hand tsx's loader to workers: the worker registers it, then loads the TypeScript entry.
    const entry = new URL("./lib/fuzz-worker.ts", import.meta.url).href;
    const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { name, runs, seed: SEED, boundMs: BOUND_MS } });
    let last = "(none yet)";
    let seen = 0;
    let watchdog: NodeJS.Timeout;
    // Loading the parsers takes a while on a busy machine: the watchdog starts with the first input.
    const arm = (ms = BOUND_MS * 10) => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        void worker.terminate();
        resolve({ name, runs: seen, ms: 0, slowestMs: ms, failure: { input: last, error: seen ? `hang: no progress for ${ms} ms (stopped)` : `the worker did not start within ${ms} ms`, seed: SEED } });
      }, ms);
    };
    arm(STARTUP_MS);
    worker.on("message", (m: { type: "input"; input: string } | { type: "report"; report: FuzzReport }) => {
      arm();
      if (m.type === "input") {
        last = m.input;
        seen++;
      } else {
        clearTimeout(watchdog);
        void worker.terminate();
        resolve(m.report);
      }
    });
    worker.on("error", (e) => {
      clearTimeout(watchdog);
      reject(e);
    });
  });
}

async function main() {
  const targets = FUZZ_TARGETS.filter((t) => !only || only.includes(t.name));
  const weights = targets.reduce((s, t) => s + (t.weight ?? 1), 0);
  log(`fuzzing ${targets.length} parsers with ${TOTAL} inputs in all, seed ${SEED}, ${BOUND_MS} ms bound per input`);
  const reports: FuzzReport[] = [];
  for (const t of targets) {
    const runs = Math.ceil((TOTAL * (t.weight ?? 1)) / weights);
    const r = await runInWorker(t.name, runs);
    reports.push(r);
    log(`${t.name.padEnd(14)} ${String(r.runs).padStart(6)} inputs  ${String((r.ms / 1000).toFixed(1)).padStart(6)} s  slowest ${String(r.slowestMs).padStart(5)} ms  ${r.failure ? `FAIL ${r.failure.error}\n    input: ${r.failure.input}\n    replay: --seed=${r.failure.seed} (path ${r.failure.path ?? "-"})` : "ok"}`);
  }
  const inputs = reports.reduce((s, r) => s + r.runs, 0);
  const failed = reports.filter((r) => r.failure);
  log(`${inputs} inputs, ${failed.length} of ${reports.length} parsers failed a property`);
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(path.join(ROOT, "bench/results/fuzz.json"), JSON.stringify({ when: new Date().toISOString(), seed: SEED, boundMs: BOUND_MS, inputs, reports }, null, 2));
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((e: Error) => {
  process.stderr.write(`bench:fuzz failed: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
