/**
 * `npm run bench:embed-ops [-- --batch 8] [--tokens 350]`: where the embedder's time goes, by onnxruntime
 * operator, for the fp32 and the int8 graph of the e5-small-v2-shaped benchmark model — onnxruntime's own
 * profiler over a few passage batches. It explains the int8 speed-up `npm run bench:embed` measures: the
 * attention core (QKᵀ, softmax, ·V) runs in fp32 in both graphs, so only the projection and feed-forward
 * GEMMs get faster. A benchmark: prints numbers, asserts nothing.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { createSessionOptions } from "../lib/embed/runtime";
import { ensureBenchModel } from "./lib/bench-model";

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

async function profile(file: string): Promise<{ msPerBatch: number; byOp: [string, number][] }> {
  const dir = mkdtempSync(join(tmpdir(), "ort-profile-"));
  const session = await ort.InferenceSession.create(file, { ...createSessionOptions(), enableProfiling: true, profileFilePrefix: join(dir, "p") });
  const ids = new BigInt64Array(B * S).map((_, i) => BigInt(1000 + ((i * 7919) % 20000)));
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor("int64", ids, [B, S]),
    attention_mask: new ort.Tensor("int64", new BigInt64Array(B * S).fill(1n), [B, S]),
  };
  if (session.inputNames.includes("token_type_ids")) feeds.token_type_ids = new ort.Tensor("int64", new BigInt64Array(B * S), [B, S]);
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
for (const [name, file] of [["fp32", "model.onnx"], ["int8", "model_quantized.onnx"]]) {
  const r = await profile(join(dir, "onnx", file));
  const total = r.byOp.reduce((s, [, d]) => s + d, 0);
  console.log(`\n${name}: ${r.msPerBatch.toFixed(0)} ms per batch (${((1000 * B) / r.msPerBatch).toFixed(2)} passages/s)`);
  for (const [op, d] of r.byOp) if (d / total >= 0.001) console.log(`  ${op.padEnd(26)} ${((100 * d) / total).toFixed(1).padStart(5)} %`);
}
