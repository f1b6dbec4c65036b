/**
 * `npm run bench:embed-ops [-- --batch 8] [--tokens 350]`: where the embedder's time goes, by onnxruntime
 * operator, for the fp32 and the int8 graph of the e5-small-v2-shaped benchmark model — onnxruntime's own
 * profiler over a few passage batches. It explains the int8 speed-up `npm run bench:embed` measures: the
 * attention core (QKᵀ, softmax, ·V) runs in fp32 in both graphs, so only the projection and feed-forward
 * GEMMs get faster. It then times that core alone three ways (onnxruntime's fused fp32 kernel, plain fp32
 * MatMuls, int8 MatMulInteger) and the feed-forward GEMM in fp32 and int8, interleaved, and prints how
 * much faster than fp32 the int8 GEMMs would have to be for the whole model to reach 2×. A benchmark:
 * prints numbers, asserts nothing.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { createSessionOptions } from "../lib/embed/runtime";
import { OnnxGraphBuilder, ONNX_TYPE, MS_DOMAIN } from "../lib/embed/onnx-graph";
import { ensureBenchModel, E5_SMALL_SHAPE } from "./lib/bench-model";
import { benchValues, buildGemmGraph } from "./lib/embed-workers";

const ROOT = resolve(import.meta.dirname, "..");
const USAGE = "Usage: npm run bench:embed-ops [-- --batch 1..64] [--tokens 3..512]";
let values: { batch: string; tokens: string };
try {
  ({ values } = parseArgs({ options: { batch: { type: "string", default: "8" }, tokens: { type: "string", default: "350" } } }));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
const B = Number(values.batch);
const S = Number(values.tokens);
if (!Number.isInteger(B) || B < 1 || B > 64 || !Number.isInteger(S) || S < 3 || S > 512) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

/** B passages of S tokens for the benchmark model (which takes token_type_ids, as BERT exports do). */
function modelFeeds(): Record<string, ort.Tensor> {
  const ids = new BigInt64Array(B * S).map((_, i) => BigInt(1000 + ((i * 7919) % 20000)));
  return {
    input_ids: new ort.Tensor("int64", ids, [B, S]),
    attention_mask: new ort.Tensor("int64", new BigInt64Array(B * S).fill(1n), [B, S]),
    token_type_ids: new ort.Tensor("int64", new BigInt64Array(B * S), [B, S]),
  };
}

async function profile(file: string): Promise<{ msPerBatch: number; byOp: [string, number][] }> {
  const dir = mkdtempSync(join(tmpdir(), "ort-profile-"));
  const session = await ort.InferenceSession.create(file, { ...createSessionOptions(), enableProfiling: true, profileFilePrefix: join(dir, "p") });
  const feeds = modelFeeds();
  for (let i = 0; i < 2; i++) await session.run(feeds);
  const runs = 3;
  const t = performance.now();
  for (let i = 0; i < runs; i++) await session.run(feeds);
  const msPerBatch = (performance.now() - t) / runs;
  session.endProfiling();
  await session.release();
  const trace = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), "utf8")) as { cat: string; name: string; dur: number; args: { op_name?: string } }[];
  rmSync(dir, { recursive: true, force: true });
  const byOp = new Map<string, number>();
  for (const e of trace) if (e.cat === "Node" && e.name.endsWith("_kernel_time") && e.args.op_name) byOp.set(e.args.op_name, (byOp.get(e.args.op_name) ?? 0) + e.dur);
  return { msPerBatch, byOp: [...byOp].sort((a, b) => b[1] - a[1]) };
}

const dir = await ensureBenchModel(join(ROOT, "models/bench-e5-shape"), join(ROOT, "tests/fixtures/tiny-e5-fixture"), (m) => process.stderr.write(`${m}\n`));
console.log(`batch ${B} × ${S} tokens, onnxruntime profiler (share of kernel time)`);
/** ms per batch by part of the model: the projection/feed-forward GEMMs, attention (with its QKV projection), the rest. */
const parts: Record<string, { gemm: number; attention: number; rest: number }> = {};
const PART_OF: Record<string, "gemm" | "attention"> = {
  MatMul: "gemm",
  DynamicQuantizeMatMul: "gemm",
  Attention: "attention",
  QAttention: "attention",
  // Quantises QAttention's input (the feed-forward GEMMs quantise theirs inside DynamicQuantizeMatMul).
  DynamicQuantizeLinear: "attention",
};
for (const [name, file] of [["fp32", "model.onnx"], ["int8", "model_quantized.onnx"]]) {
  const r = await profile(join(dir, "onnx", file));
  const total = r.byOp.reduce((s, [, d]) => s + d, 0);
  console.log(`\n${name}: ${r.msPerBatch.toFixed(0)} ms per batch (${((1000 * B) / r.msPerBatch).toFixed(2)} passages/s)`);
  for (const [op, d] of r.byOp) if (d / total >= 0.001) console.log(`  ${op.padEnd(26)} ${((100 * d) / total).toFixed(1).padStart(5)} %`);
  parts[name] = { gemm: 0, attention: 0, rest: 0 };
  for (const [op, d] of r.byOp) parts[name][PART_OF[op] ?? "rest"] += (d / total) * r.msPerBatch;
}

const { hidden_size: H, num_attention_heads: NH, num_hidden_layers: LAYERS, intermediate_size: I } = E5_SMALL_SHAPE;
const D = H / NH;

/**
 * The attention core of one layer, softmax(Q·Kᵀ/√d + mask)·V over B × S tokens, as a graph of its own:
 * "fused" = onnxruntime's MultiHeadAttention kernel (the fp32 core inside Attention and QAttention),
 * "fp32" = MatMul, Softmax, MatMul; "int8" = both products as MatMulInteger on dynamically quantised
 * operands (what quantising the core would have to use: onnxruntime has no int8 attention core on CPU).
 */
function buildCore(variant: "fused" | "fp32" | "int8"): Uint8Array {
  const g = new OnnxGraphBuilder("attention_core");
  const scalar = (name: string, v: number) => g.addInitializer(name, ONNX_TYPE.FLOAT, [], new Float32Array([v]));
  if (variant === "fused") {
    for (const n of ["q", "k", "v"]) g.addInput(n, ONNX_TYPE.FLOAT, [B, S, H]);
    g.addInput("mask", ONNX_TYPE.INT32, [B, S]);
    g.addNode("MultiHeadAttention", ["q", "k", "v", "", "mask"], ["out"], { num_heads: NH }, MS_DOMAIN);
    g.addOutput("out", ONNX_TYPE.FLOAT, [B, S, H]);
    return g.toModelBytes({ "": 17, [MS_DOMAIN]: 1 });
  }
  g.addInput("q", ONNX_TYPE.FLOAT, [B, NH, S, D]);
  g.addInput("k", ONNX_TYPE.FLOAT, [B, NH, D, S]);
  g.addInput("v", ONNX_TYPE.FLOAT, [B, NH, S, D]);
  g.addInput("mask", ONNX_TYPE.FLOAT, [B, 1, 1, S]);
  const product = (a: string, b: string, extraScale: number): string => {
    if (variant === "fp32") {
      const [y] = g.addNode("MatMul", [a, b], 1);
      return extraScale === 1 ? y : g.addNode("Mul", [y, scalar("scale", extraScale)], 1)[0];
    }
    const [aq, as, az] = g.addNode("DynamicQuantizeLinear", [a], 3);
    const [bq, bs, bz] = g.addNode("DynamicQuantizeLinear", [b], 3);
    const [yi] = g.addNode("MatMulInteger", [aq, bq, az, bz], 1);
    const [yf] = g.addNode("Cast", [yi], 1, { to: ONNX_TYPE.FLOAT });
    const [ab] = g.addNode("Mul", [as, bs], 1);
    const [s] = g.addNode("Mul", [ab, scalar(g.createName("scale"), extraScale)], 1);
    return g.addNode("Mul", [yf, s], 1)[0];
  };
  const [masked] = g.addNode("Add", [product("q", "k", 1 / Math.sqrt(D)), "mask"], 1);
  const [probs] = g.addNode("Softmax", [masked], 1, { axis: -1 });
  g.addNode("Identity", [product(probs, "v", 1)], ["out"]);
  g.addOutput("out", ONNX_TYPE.FLOAT, [B, NH, S, D]);
  return g.toModelBytes({ "": 17, [MS_DOMAIN]: 1 });
}

/** A session that leaves the CPU alone between runs, so that sessions timed in turn do not slow each other. */
function createQuietSession(model: string | Uint8Array) {
  const options = createSessionOptions();
  const quiet = { ...options, extra: { ...options.extra, session: { "intra_op.allow_spinning": "0" } } };
  return typeof model === "string" ? ort.InferenceSession.create(model, quiet) : ort.InferenceSession.create(Buffer.from(model), quiet);
}

function coreFeeds(variant: "fused" | "fp32" | "int8"): Record<string, ort.Tensor> {
  const n = B * S * H;
  if (variant === "fused") {
    return {
      q: new ort.Tensor("float32", benchValues(n, 2), [B, S, H]),
      k: new ort.Tensor("float32", benchValues(n, 2), [B, S, H]),
      v: new ort.Tensor("float32", benchValues(n, 2), [B, S, H]),
      mask: new ort.Tensor("int32", new Int32Array(B * S).fill(1), [B, S]),
    };
  }
  return {
    q: new ort.Tensor("float32", benchValues(n, 2), [B, NH, S, D]),
    k: new ort.Tensor("float32", benchValues(n, 2), [B, NH, D, S]),
    v: new ort.Tensor("float32", benchValues(n, 2), [B, NH, S, D]),
    mask: new ort.Tensor("float32", new Float32Array(B * S), [B, 1, 1, S]),
  };
}

// Everything below is timed in rounds, one run of each per round, so that this shared VM's drift in
// speed (±20 % over minutes) hits all of them alike; ratios are medians of per-round ratios.
const ROUNDS = 9;
const runs = {
  fp32: { session: await createQuietSession(join(dir, "onnx", "model.onnx")), feeds: modelFeeds() },
  int8: { session: await createQuietSession(join(dir, "onnx", "model_quantized.onnx")), feeds: modelFeeds() },
  coreFused: { session: await createQuietSession(buildCore("fused")), feeds: coreFeeds("fused") },
  coreFp32: { session: await createQuietSession(buildCore("fp32")), feeds: coreFeeds("fp32") },
  coreInt8: { session: await createQuietSession(buildCore("int8")), feeds: coreFeeds("int8") },
  gemmFp32: { session: await createQuietSession(await buildGemmGraph(B * S, H, I, false)), feeds: { a: new ort.Tensor("float32", benchValues(B * S * H, 0.05), [B * S, H]) } },
  gemmInt8: { session: await createQuietSession(await buildGemmGraph(B * S, H, I, true)), feeds: { a: new ort.Tensor("float32", benchValues(B * S * H, 0.05), [B * S, H]) } },
};
type RunName = keyof typeof runs;
const samples = Object.fromEntries(Object.keys(runs).map((k) => [k, [] as number[]])) as Record<RunName, number[]>;
for (const { session, feeds } of Object.values(runs)) await session.run(feeds);
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, { session, feeds }] of Object.entries(runs) as [RunName, (typeof runs)[RunName]][]) {
    // The core graphs are one layer: run once per layer, as the model does; the GEMM (~30 ms) as
    // often, so that each sample is long enough to outlast the VM's hiccups.
    const repeat = name.startsWith("core") || name.startsWith("gemm") ? LAYERS : 1;
    const t = performance.now();
    for (let i = 0; i < repeat; i++) await session.run(feeds);
    samples[name].push((performance.now() - t) / B);
  }
}
for (const { session } of Object.values(runs)) await session.release();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = (a: RunName, b: RunName) => median(samples[a].map((x, i) => x / samples[b][i]));
const ms = (name: RunName) => median(samples[name]);

const gemmSpeedup = ratio("gemmFp32", "gemmInt8");
const measured = ratio("fp32", "int8");
console.log(`\ninterleaved, ${ROUNDS} rounds, medians in ms per passage:`);
console.log(`  whole model: fp32 ${ms("fp32").toFixed(0)}, int8 ${ms("int8").toFixed(0)} → int8 ${measured.toFixed(2)}× faster`);
console.log(`  attention core alone (softmax(QKᵀ/√${D} + mask)·V, ${NH} heads × ${LAYERS} layers):`);
console.log(`    fp32, onnxruntime's fused kernel (the core of Attention and QAttention)  ${ms("coreFused").toFixed(1)}`);
console.log(`    fp32, MatMul + Softmax + MatMul                                         ${ms("coreFp32").toFixed(1)}`);
console.log(`    int8, MatMulInteger on dynamically quantised operands                   ${ms("coreInt8").toFixed(1)}`);
console.log(`  feed-forward GEMM ${B * S}×${H}×${I}: fp32 ${((ms("gemmFp32") * B) / LAYERS).toFixed(1)} ms, int8 ${((ms("gemmInt8") * B) / LAYERS).toFixed(1)} ms → int8 ${gemmSpeedup.toFixed(2)}× faster`);

// What 2× would take: with attention and the other ops as fast as the profiler saw them in the int8
// graph, the GEMMs' int8 time that leaves the whole at half the fp32 time.
const { fp32: f, int8: q } = parts;
const speedup = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const gemmBudget = (f.gemm + f.attention + f.rest) / 2 - q.attention - q.rest;
console.log(`\nint8 speed-up by part, from the profiles (ms per batch fp32 → int8):`);
console.log(`  projection + feed-forward GEMMs  ${f.gemm.toFixed(0)} → ${q.gemm.toFixed(0)}  ${speedup(f.gemm, q.gemm)}`);
console.log(`  attention (int8 QKV projection, fp32 core)  ${f.attention.toFixed(0)} → ${q.attention.toFixed(0)}  ${speedup(f.attention, q.attention)}`);
console.log(`  the rest (GELU, LayerNorm, embeddings)  ${f.rest.toFixed(0)} → ${q.rest.toFixed(0)}  ${speedup(f.rest, q.rest)}`);
console.log(
  gemmBudget > 0
    ? `int8 at 2× fp32 would need the GEMMs ${speedup(f.gemm, gemmBudget)} faster than fp32 (attention and the rest as they are); this CPU's int8 GEMM kernel gives ${gemmSpeedup.toFixed(2)}× (interleaved, above), and an int8 attention core runs ${speedup(ms("coreFp32"), ms("coreInt8"))} the fp32 one's speed`
    : `int8 at 2× fp32 is out of reach whatever the GEMMs do: attention and the rest alone take more than half the fp32 time`,
);
