import { join } from "node:path";
import { getUnderlyingSession } from "../../lib/embed/runtime";
import { createSessionOptions } from "../../lib/embed/runtime";
import { getGraphFile } from "../../lib/embed/paths";

/**
 * The measuring side of bench/embed.ts. Every configuration runs in its own process so that peak RSS
 * is per configuration and no idle onnxruntime thread pool of another session spins on the same
 * two cores (which skews latencies by tens of percent).
 */

/** What a worker is asked to do (passed as JSON on the command line). */
export type WorkerSpec =
  | { kind: "peak"; quick: boolean }
  | { kind: "pair"; dir: string; passage: { text: string; ids: number[] }; reps: number }
  | {
      kind: "embedder" | "raw";
      dtype: "fp32" | "int8";
      dir: string;
      query: { text: string; ids: number[] };
      passage: { text: string; ids: number[] };
      queryReps: number;
      passageReps: Record<string, number>;
      /** Batch sizes for which the embedder worker skips the interleaved raw runs (--quick: 32). */
      skipRaw?: string[];
    };

export interface TimingSeries {
  embedder?: number[];
  raw: number[];
}

export interface EngineResult {
  kind: "embedder" | "raw";
  dtype: "fp32" | "int8";
  loadSeconds: number;
  query: TimingSeries;
  passages: Record<string, TimingSeries>;
  maxRssMb: number;
  /** Embeddings of the query and the passage (embedder only), for the int8-vs-fp32 cosine. */
  vectors?: { query: number[]; passage: number[] };
}

/** fp32 and int8 sessions alternated in one process: the drift-free int8 speed-up. */
export interface PairResult {
  kind: "pair";
  fp32: number[];
  int8: number[];
}

export interface PeakResult {
  kind: "peak";
  matmul: { m: number; k: number; n: number; gflops: number };
  gemmFp32: { m: number; k: number; n: number; gflops: number };
  gemmInt8: { m: number; k: number; n: number; gflops: number };
}

type Ort = typeof import("onnxruntime-node");

function createFeeds(ort: Ort, ids: number[], batch: number) {
  const s = ids.length;
  const inputIds = new BigInt64Array(batch * s);
  for (let b = 0; b < batch; b++) for (let t = 0; t < s; t++) inputIds[b * s + t] = BigInt(ids[t]);
  return {
    input_ids: new ort.Tensor("int64", inputIds, [batch, s]),
    attention_mask: new ort.Tensor("int64", new BigInt64Array(batch * s).fill(1n), [batch, s]),
    token_type_ids: new ort.Tensor("int64", new BigInt64Array(batch * s), [batch, s]),
  };
}

async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Embedder (transformers.js) and the raw session under it, timed alternately on identical inputs. */
async function measureEngine(spec: Extract<WorkerSpec, { kind: "embedder" | "raw" }>): Promise<EngineResult> {
  const ort = await import("onnxruntime-node");
  const t0 = performance.now();
  let embed: ((texts: string[], prompt: "query" | "passage", batch: number) => Promise<Float32Array[]>) | null = null;
  let session: import("onnxruntime-common").InferenceSession;
  if (spec.kind === "embedder") {
    const { loadEmbedder } = await import("../../lib/embed/index");
    const embedder = await loadEmbedder({ dir: spec.dir, dtype: spec.dtype });
    embed = (texts, prompt, batch) => embedder.embed(texts, { prompt, batchSize: batch });
    session = getUnderlyingSession(embedder);
  } else {
    // The floor: onnxruntime-node alone, same graph file, same session options.
    session = await ort.InferenceSession.create(join(spec.dir, getGraphFile(spec.dtype)), createSessionOptions());
  }
  const loadSeconds = (performance.now() - t0) / 1000;
  const run = (feeds: ReturnType<typeof createFeeds>) => session.run(feeds);

  const queryFeeds = createFeeds(ort, spec.query.ids, 1);
  const passageFeeds1 = createFeeds(ort, spec.passage.ids, 1);
  // Warm-up: first runs allocate the arena and pre-pack weights.
  for (let i = 0; i < 3; i++) {
    await run(queryFeeds);
    if (embed) await embed([spec.query.text], "query", 1);
  }
  if (spec.passageReps["1"]) await run(passageFeeds1);
  if (embed) await embed([spec.passage.text], "passage", 1);

  const result: EngineResult = { kind: spec.kind, dtype: spec.dtype, loadSeconds, query: { raw: [] }, passages: {}, maxRssMb: 0 };
  if (embed) result.query.embedder = [];
  for (let i = 0; i < spec.queryReps; i++) {
    // Alternate the order so that neither side always runs right after the other's thread-pool wake-up.
    const pair = [
      async () => result.query.raw.push(await timeOnce(() => run(queryFeeds))),
      async () => embed && result.query.embedder!.push(await timeOnce(() => embed!([spec.query.text], "query", 1))),
    ];
    if (i % 2) pair.reverse();
    for (const f of pair) await f();
  }
  for (const [batchKey, reps] of Object.entries(spec.passageReps)) {
    const batch = Number(batchKey);
    const feeds = batch === 1 ? passageFeeds1 : createFeeds(ort, spec.passage.ids, batch);
    const texts = Array.from({ length: batch }, () => spec.passage.text);
    const series: TimingSeries = { raw: [], ...(embed ? { embedder: [] } : {}) };
    for (let i = 0; i < reps; i++) {
      const pair = [
        async () => !(embed && spec.skipRaw?.includes(batchKey)) && series.raw.push(await timeOnce(() => run(feeds))),
        async () => embed && series.embedder!.push(await timeOnce(() => embed!(texts, "passage", batch))),
      ];
      if (i % 2) pair.reverse();
      for (const f of pair) await f();
    }
    result.passages[batchKey] = series;
  }
  if (embed) {
    const [q] = await embed([spec.query.text], "query", 1);
    const [p] = await embed([spec.passage.text], "passage", 1);
    result.vectors = { query: Array.from(q), passage: Array.from(p) };
  }
  result.maxRssMb = process.resourceUsage().maxRSS / 1024;
  return result;
}

/**
 * One GEMM a[m×k] · w[k×n] with a constant weight as a graph of its own: fp32 MatMul, or int8
 * DynamicQuantizeMatMul with the converter's own weight quantisation (the int8 graph's kernel).
 */
export async function buildGemmGraph(m: number, k: number, n: number, int8: boolean): Promise<Uint8Array> {
  const { OnnxGraphBuilder, ONNX_TYPE, MS_DOMAIN } = await import("../../lib/embed/onnx-graph");
  const { quantizeWeightMatrix, DEFAULT_QUANTIZATION } = await import("../../lib/embed/quantize");
  const g = new OnnxGraphBuilder("gemm");
  g.addInput("a", ONNX_TYPE.FLOAT, [m, k]);
  const w = benchValues(k * n, 0.05);
  let y: string;
  if (int8) {
    const q = quantizeWeightMatrix(w, k, n, DEFAULT_QUANTIZATION);
    [y] = g.addNode(
      "DynamicQuantizeMatMul",
      ["a", g.addInitializer("w", ONNX_TYPE.INT8, [k, n], q.data), g.addInitializer("s", ONNX_TYPE.FLOAT, [n], q.scale), g.addInitializer("z", ONNX_TYPE.INT8, [n], q.zeroPoint)],
      ["y"],
      {},
      MS_DOMAIN,
    );
  } else {
    [y] = g.addNode("MatMul", ["a", g.addInitializer("w", ONNX_TYPE.FLOAT, [k, n], w)], ["y"]);
  }
  g.addOutput(y, ONNX_TYPE.FLOAT, [m, n]);
  return g.toModelBytes({ "": 17, [MS_DOMAIN]: 1 });
}

/** Deterministic values in ±amplitude (their size does not change how fast a kernel runs). */
export function benchValues(n: number, amplitude: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * amplitude);
}

/** Best-of-`reps` rate (GFLOP/s, GOP/s for int8) of the GEMM `buildGemmGraph` builds. */
async function measureGemmRate(m: number, k: number, n: number, int8: boolean, reps: number) {
  const ort = await import("onnxruntime-node");
  const session = await ort.InferenceSession.create(Buffer.from(await buildGemmGraph(m, k, n, int8)), createSessionOptions());
  const feeds = { a: new ort.Tensor("float32", benchValues(m * k, 0.05), [m, k]) };
  await session.run(feeds);
  let best = Infinity;
  for (let i = 0; i < reps; i++) best = Math.min(best, await timeOnce(() => session.run(feeds)));
  await session.release();
  return { m, k, n, gflops: (2 * m * k * n) / (best / 1000) / 1e9 };
}

/** Peak fp32 rate of this CPU as onnxruntime reaches it: a large MatMul, best of several runs. */
async function measurePeak(quick: boolean): Promise<PeakResult> {
  const rate = measureGemmRate;
  const reps = quick ? 3 : 12;
  return {
    kind: "peak",
    matmul: await rate(2048, 1536, 1536, false, reps),
    // The FFN GEMM of a batch of 8 passages of 350 tokens, fp32 and int8: the int8 kernel's speed-up ceiling.
    gemmFp32: await rate(2800, 384, 1536, false, reps),
    gemmInt8: await rate(2800, 384, 1536, true, reps),
  };
}

/**
 * fp32 and int8 graphs alternated run by run on the same passage. Thread spinning is off in both
 * sessions so that the idle one's pool cannot steal cycles from the running one; absolute times are
 * therefore a little higher than in the table, the ratio is what counts.
 */
async function measurePair(spec: Extract<WorkerSpec, { kind: "pair" }>): Promise<PairResult> {
  const ort = await import("onnxruntime-node");
  const options = createSessionOptions();
  const noSpin = { ...options, extra: { ...options.extra, session: { "intra_op.allow_spinning": "0" } } };
  const [fp32, int8] = await Promise.all(
    (["fp32", "int8"] as const).map((d) => ort.InferenceSession.create(join(spec.dir, getGraphFile(d)), noSpin)),
  );
  const feeds = createFeeds(ort, spec.passage.ids, 1);
  for (const s of [fp32, int8]) for (let i = 0; i < 2; i++) await s.run(feeds);
  const result: PairResult = { kind: "pair", fp32: [], int8: [] };
  for (let i = 0; i < spec.reps; i++) {
    result.fp32.push(await timeOnce(() => fp32.run(feeds)));
    result.int8.push(await timeOnce(() => int8.run(feeds)));
  }
  return result;
}

/** Runs one worker and prints its result as the last stdout line. */
export async function runWorker(spec: WorkerSpec): Promise<void> {
  const result = spec.kind === "peak" ? await measurePeak(spec.quick) : spec.kind === "pair" ? await measurePair(spec) : await measureEngine(spec);
  process.stdout.write(JSON.stringify(result) + "\n");
}
