/**
 * `npm run bench:replicas` (issue 17): two `next start` replicas over one s3:// store (s3rver, behind a counting
 * proxy), Redis for the shared limits, a round-robin load balancer, plus one replica on a local store for
 * comparison. Prints:
 * - question → top-5 p50/p95 from an S3-backed replica and from the on-disk one, same questions, same run;
 * - object-store requests per question at steady state (every request the proxy saw while the questions ran,
 *   the background version checks included), and the idle rate of those checks;
 * - 5 re-ingests under a request loop over both replicas: failed requests, mixed answers (two versions in one
 *   answer), and the time from publication (the manifest's new version object) until both replicas answer
 *   with the new version.
 * Needs `next build` first. Options: --questions N (default 60), --check-ms N (TUTOR_STORE_CHECK_MS, default 1000).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { MARKER_QUERY, releasesIn, setReleaseMarker } from "../scripts/lib/release-marker";
import { runIngest, startTopology } from "../scripts/lib/topology";
import { startNextApp } from "../tests/support/next-app";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { questions: { type: "string", default: "60" }, "check-ms": { type: "string", default: "1000" } } });
const QUESTIONS = Number(values.questions);
const CHECK_MS = values["check-ms"]!;

const TERMS = ["set", "union", "complement", "function", "injective", "surjective", "induction", "proof", "contradiction", "relation", "prime", "divisor", "quantifier", "negation", "optimisation", "gradient", "derivative", "convex", "minimum", "constraint", "sequence", "inverse", "composition", "bijection", "integer", "rational", "implication", "equivalence", "subset", "cardinality"];
/** Distinct questions (no answer is served from a cache of the same question). */
function questions(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) out.push(`how does ${TERMS[i % TERMS.length]} relate to ${TERMS[(i * 7 + 3) % TERMS.length]} ${i >= TERMS.length ? "in an exercise" : ""}`.trim());
  return out;
}

const search = async (base: string, q: string) => {
  const t = performance.now();
  const r = await fetch(`${base}/api/search?q=${encodeURIComponent(q)}&k=5`);
  const body = (await r.json().catch(() => ({}))) as { results?: { text?: string }[] };
  return { status: r.status, ms: performance.now() - t, body };
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("run `npx next build` first");
  const tmp = mkdtempSync(path.join(tmpdir(), "bench-replicas-"));
  const course = path.join(tmp, "course");
  cpSync(path.join(ROOT, "content/demo-course"), course, { recursive: true });
  setReleaseMarker(course, 0);
  const replicaEnv = { TUTOR_RATE_LIMIT_PER_MINUTE: "0", TUTOR_MODEL_DIR: path.join(tmp, "no-models"), TUTOR_STORE_CHECK_MS: CHECK_MS };
  const topo = await startTopology({
    replicaEnv,
    beforeReplicas: async (t) => {
      const run = await runIngest(course, t.env);
      if (run.code !== 0) throw new Error(`ingest to s3 failed: ${run.output}`);
    },
  });
  const localDb = path.join(tmp, "local-db");
  const localRun = await runIngest(course, { TUTOR_DB_DIR: localDb });
  if (localRun.code !== 0) throw new Error(`local ingest failed: ${localRun.output}`);
  const local = await startNextApp({ ...replicaEnv, TUTOR_DB_DIR: localDb }, "local replica");
  try {
    const [a] = topo.replicas;
    // Steady state: each replica has loaded and warmed its snapshot (one question each, not measured).
    for (const base of [a.url, topo.replicas[1].url, local.url]) await search(base, "warm up");
    await sleep(2 * Number(CHECK_MS));

    const qs = questions(QUESTIONS);
    const s3Ms: number[] = [];
    const diskMs: number[] = [];
    const before = topo.s3.requests();
    const t0 = performance.now();
    for (const q of qs) {
      const s = await search(a.url, q);
      const d = await search(local.url, q);
      if (s.status !== 200 || d.status !== 200) throw new Error(`search failed: ${s.status}/${d.status}`);
      s3Ms.push(s.ms);
      diskMs.push(d.ms);
    }
    const window = performance.now() - t0;
    const after = topo.s3.requests();
    const during = after.total - before.total;
    // The checks alone: both replicas idle for 5 s.
    await sleep(5000);
    const idle = topo.s3.requests().total - after.total;
    const checksPerSecond = idle / 5 / topo.replicas.length;

    console.log(`questions              ${qs.length} distinct, one at a time, to one S3-backed replica and to the on-disk one`);
    console.log(`question → top-5 p50   s3 ${pct(s3Ms, 50).toFixed(1)} ms · disk ${pct(diskMs, 50).toFixed(1)} ms · ratio ${(pct(s3Ms, 50) / pct(diskMs, 50)).toFixed(2)}× (p95 s3 ${pct(s3Ms, 95).toFixed(1)} · disk ${pct(diskMs, 95).toFixed(1)} ms)`);
    console.log(`object-store requests  ${during} in ${(window / 1000).toFixed(1)} s while the questions ran (both replicas' version checks included) = ${(during / qs.length).toFixed(2)} per question`);
    console.log(`                       idle: ${checksPerSecond.toFixed(2)} requests/s per replica (the version check every ${CHECK_MS} ms), none made by a question itself`);

    // Re-ingests under a request loop over the load balancer.
    let stop = false;
    let total = 0;
    let failed = 0;
    let mixed = 0;
    const failures: string[] = [];
    const loop = async () => {
      while (!stop) {
        try {
          const r = await search(topo.url, MARKER_QUERY);
          total++;
          if (r.status !== 200) {
            failed++;
            if (failures.length < 5) failures.push(`${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
          } else if (releasesIn(r.body).length !== 1) mixed++;
        } catch (e) {
          total++;
          failed++;
          if (failures.length < 5) failures.push(String(e));
        }
      }
    };
    const workers = Array.from({ length: 4 }, loop);
    const versionsDir = path.join(topo.s3.dir, topo.s3.bucket, "courses", "manifest.lance", "_versions");
    const countVersions = () => readdirSync(versionsDir).filter((f) => f.endsWith(".manifest._S3rver_object")).length;
    const switches: number[] = [];
    for (let k = 1; k <= 5; k++) {
      setReleaseMarker(course, k);
      const versionsBefore = countVersions();
      let publishedAt = 0;
      const watcher = setInterval(() => {
        if (!publishedAt && countVersions() > versionsBefore) publishedAt = performance.now();
      }, 20);
      const run = await runIngest(course, topo.env);
      clearInterval(watcher);
      if (run.code !== 0) throw new Error(`re-ingest ${k} failed: ${run.output}`);
      publishedAt ||= run.endedAt;
      const served = await Promise.all(
        topo.replicas.map(async (r) => {
          for (;;) {
            const s = await search(r.url, MARKER_QUERY);
            if (s.status === 200 && releasesIn(s.body).join() === String(k)) return performance.now();
            await sleep(50);
          }
        }),
      );
      switches.push(Math.max(...served) - publishedAt);
    }
    stop = true;
    await Promise.all(workers);
    console.log(`re-ingests             5 under a request loop (4 concurrent, round robin over 2 replicas): ${total} requests, ${failed} failed, ${mixed} mixed answers`);
    console.log(`new version served     by both replicas ${switches.map((ms) => (ms / 1000).toFixed(1)).join(" / ")} s after publication (max ${(Math.max(...switches) / 1000).toFixed(1)} s; check every ${CHECK_MS} ms)`);
    for (const f of failures) console.log(`  failure: ${f}`);
  } finally {
    await local.stop();
    await topo.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
