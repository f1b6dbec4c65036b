/**
 * Retrieval latency benchmark (`npm run bench:retrieve [-- --quick] [--json] [--sizes=1000,100000]`): question → top-5 passages
 * through the production `findPassages` (references, BM25, dense with the e5-small-v2-shaped model in int8,
 * RRF fusion, scope check), on a 1,000-passage and a 100,000-passage store. Prints a table and writes
 * bench/results/retrieve.json. A benchmark: it prints numbers and asserts nothing.
 *
 * The stored vectors are synthetic: unit vectors scattered around 300 random "topic" directions, so that
 * the vector index (IVF-RQ from 20,000 passages) meets clustered data as it would on real embeddings. The
 * benchmark model has random weights, so real course vectors would be no more meaningful; the question
 * embedding is still computed for real, by the same int8 embedder the app uses. Each store also reports
 * the dense search's recall@10 against an exact scan, for topic-shaped query vectors.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureBenchModel } from "./lib/bench-model";
import { loadEmbedder } from "../lib/embed";
import type { Passage } from "../lib/course/chunk";
import type { CourseDoc } from "../lib/course/types";
import { findPassages } from "../lib/retrieve/search";
import { writeCourse, VECTOR_INDEX_MIN_ROWS } from "../lib/store/write";
import { invalidateSnapshots, requireSnapshot, searchPassagesVector, searchVectorsInMemory } from "../lib/store/read";

const quick = process.argv.includes("--quick");
const json = process.argv.includes("--json");
const log = (m: string) => process.stderr.write(`${m}\n`);
const ROOT = path.resolve(import.meta.dirname, "..");

function gaussian(rand: () => number): number {
  // Box–Muller: Gaussian components give directions uniform on the sphere.
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/** A unit vector near a topic direction (cosine ≈ 0.7 to it), like embeddings of passages on one subject. */
function topicVector(topics: Float32Array[], rand: () => number): Float32Array {
  const t = topics[Math.floor(rand() * topics.length)];
  const v = new Float32Array(t.length);
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    v[i] = t[i] + gaussian(rand) / Math.sqrt(t.length);
    n += v[i] * v[i];
  }
  n = Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

function makeTopics(dim: number, rand: () => number): Float32Array[] {
  return Array.from({ length: 300 }, () => {
    const v = Float32Array.from({ length: dim }, () => gaussian(rand));
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  });
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Synthetic passages in the notes' language: sentences recombined from the demo course's own words. */
function synthPassages(n: number, course: string, rand: () => number): Passage[] {
  const source = ["notes/01-numbers-logic-sets.txt", "notes/02-functions-induction.txt", "md/05-optimisation-in-practice.md"]
    .map((f) => readFileSync(path.join(ROOT, "content/demo-course", f), "utf8"))
    .join("\n");
  const vocab = source.match(/[A-Za-z]{3,}/g)!;
  return Array.from({ length: n }, (_, i) => {
    const words = Array.from({ length: 180 }, () => vocab[Math.floor(rand() * vocab.length)]);
    const text = `Chapter ${1 + (i % 40)}: Synthetic › Section ${1 + (i % 40)}.${1 + (i % 25)}: Bench\n\nExercise ${1 + (i % 40)}.${i}: ${words.join(" ")}`;
    return {
      id: `${course}/Section ${i}#0`,
      course,
      section: `Section ${1 + (i % 40)}.${1 + (i % 25)}`,
      heading: `Section ${1 + (i % 40)}.${1 + (i % 25)}`,
      headingPath: [`Chapter ${1 + (i % 40)}: Synthetic`],
      text,
      refs: [`Exercise ${1 + (i % 40)}.${i}`],
      file: "bench.txt",
      line: i + 1,
      endLine: i + 1,
      hash: String(i),
      tokens: 350,
    };
  });
}

async function buildStore(n: number, dim: number, modelId: string, topics: Float32Array[]): Promise<string> {
  const db = mkdtempSync(path.join(tmpdir(), `bench-retrieve-${n}-`));
  const rand = mulberry32(n);
  const course = "bench";
  const passages = synthPassages(n, course, rand);
  const doc: CourseDoc = { id: course, title: "Benchmark course", root: ROOT, chapters: [], diagnostics: [], files: [] };
  const t = performance.now();
  await writeCourse({
    db,
    doc,
    passages,
    items: [],
    passageOf: new Map(),
    counts: {},
    embed: async (texts) => texts.map(() => topicVector(topics, rand)),
    modelId,
    dimension: dim,
  });
  const seconds = (performance.now() - t) / 1000;
  log(`  store of ${n} passages written in ${seconds.toFixed(1)} s${n >= VECTOR_INDEX_MIN_ROWS ? " (with IVF-RQ vector index)" : " (exact in-memory vector scan)"}`);
  return db;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function main() {
  const sizesArg = process.argv.find((a) => a.startsWith("--sizes="));
  const sizes = sizesArg ? sizesArg.slice(8).split(",").map(Number) : [1_000, 100_000];
  if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 1_000_000)) {
    process.stderr.write("Usage: npm run bench:retrieve [-- --quick] [--json] [--sizes=1000,100000] (store sizes: integers from 1 to 1,000,000)\n");
    process.exit(2);
  }
  const modelDir = await ensureBenchModel(path.join(ROOT, "models/bench-e5-shape"), path.join(ROOT, "tests/fixtures/e5-width-fixture"), log);
  const embedder = await loadEmbedder({ dir: modelDir, dtype: "int8", modelId: "bench-e5-shape" });
  const questions = readFileSync(path.join(ROOT, "tests/eval/demo-questions.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).q as string)
    .filter((q) => !/\b(ex|exercise|def|thm|section|§)\.?\s*\d/i.test(q)); // free-text questions: the full pipeline runs
  const reps = quick ? 40 : 150;
  const rows: Record<string, number | string>[] = [];
  for (const n of sizes) {
    log(`building a ${n}-passage store…`);
    const topics = makeTopics(embedder.dimension, mulberry32(7));
    const built = performance.now();
    const db = await buildStore(n, embedder.dimension, embedder.modelId, topics);
    const buildSeconds = (performance.now() - built) / 1000;
    invalidateSnapshots(db);
    // Warm-up: loads the snapshot, the term statistics and the FTS index.
    const warm = performance.now();
    for (const q of questions.slice(0, 5)) await findPassages({ question: q, db, k: 5, embedder });
    const warmSeconds = (performance.now() - warm) / 1000;
    // Dense recall@10 of what the app runs (the index on large stores) against an exact scan.
    const snap = await requireSnapshot(db);
    const qrand = mulberry32(99);
    let recall = 0;
    const probes = 50;
    for (let i = 0; i < probes; i++) {
      const v = topicVector(topics, qrand);
      // As retrieval asks: 30 candidates (refined from 4 × 30 index hits); recall of the exact top 10 in its top 10.
      const opts = { course: "bench", vector: v, model: embedder.modelId, k: 30 };
      const exact = new Set((await searchVectorsInMemory(snap, opts)).slice(0, 10).map((h) => h.id));
      recall += (await searchPassagesVector(snap, opts)).slice(0, 10).filter((h) => exact.has(h.id)).length / 10;
    }
    const total: number[] = [];
    const embedOnly: number[] = [];
    for (let i = 0; i < reps; i++) {
      const q = questions[i % questions.length];
      let t = performance.now();
      await embedder.embed([q], { prompt: "query" });
      embedOnly.push(performance.now() - t);
      t = performance.now();
      const r = await findPassages({ question: q, db, k: 5, embedder });
      total.push(performance.now() - t);
      if (r.mode !== "hybrid") throw new Error(`expected hybrid retrieval, ran ${r.mode}`);
    }
    const row = {
      passages: n,
      p50_ms: +percentile(total, 50).toFixed(1),
      p95_ms: +percentile(total, 95).toFixed(1),
      query_embed_p50_ms: +percentile(embedOnly, 50).toFixed(1),
      search_without_embed_p50_ms: +(percentile(total, 50) - percentile(embedOnly, 50)).toFixed(1),
      index: n >= VECTOR_INDEX_MIN_ROWS ? "IVF-RQ" : "in-memory",
      dense_recall_at_10: +(recall / probes).toFixed(3),
      build_s: +buildSeconds.toFixed(1),
      first_queries_s: +warmSeconds.toFixed(1),
    };
    rows.push(row);
    log(`  ${JSON.stringify(row)}`);
    rmSync(db, { recursive: true, force: true });
  }
  const result = { date: new Date().toISOString(), quick, reps, model: "e5-small-v2 shape, random weights, int8", rows };
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(path.join(ROOT, "bench/results/retrieve.json"), JSON.stringify(result, null, 2));
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  console.log("\nquestion → top-5 (hybrid: references + BM25 + dense int8 + RRF + scope), " + `${reps} questions per store`);
  console.log("passages   index       p50 ms   p95 ms   embed p50 ms   rest p50 ms   recall@10   build s");
  for (const r of rows) {
    console.log(
      `${String(r.passages).padStart(8)}   ${String(r.index).padEnd(9)} ${String(r.p50_ms).padStart(8)} ${String(r.p95_ms).padStart(8)} ${String(r.query_embed_p50_ms).padStart(14)} ${String(r.search_without_embed_p50_ms).padStart(13)} ${String(r.dense_recall_at_10).padStart(11)} ${String(r.build_s).padStart(9)}`,
    );
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
