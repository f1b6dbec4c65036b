import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildBertOnnx, type BuildGraphOptions } from "./bert-onnx";
import { parseBertConfig } from "./model-config";
import { DEFAULT_QUANTIZATION, type QuantizationOptions } from "./quantize";
import { readSafetensors } from "./safetensors";
import { MODEL_FILES } from "./paths";

/**
 * safetensors + config.json → `onnx/model.onnx` (float32) and `onnx/model_quantized.onnx` (int8),
 * the file names transformers.js looks for with dtype "fp32" and "q8". Written to a temporary file and
 * renamed, so a crash or a concurrent reader never sees half a graph; a stamp file records what was
 * converted with which converter version so `model ensure` can tell a stale conversion.
 */

/** Bumped whenever the emitted graph changes; older conversions are redone by `ensureModel`. */
export const CONVERTER_VERSION = 2;

/** What to build. */
export interface ConvertOptions {
  /** Graph layout, see bert-onnx.ts. Default `fused`. */
  layout?: BuildGraphOptions["layout"];
  /** Weight quantisation of the int8 graph. */
  quantization?: QuantizationOptions;
  /** QAttention in the int8 graph (default true: it quantises the QKV GEMM, a quarter of the work). */
  quantizeAttention?: boolean;
  /** Which graphs to write (default both). */
  dtypes?: ("fp32" | "int8")[];
  /** Progress lines for CLIs. */
  log?: (message: string) => void;
}

/** Paths and sizes of the written graphs. */
export interface ConvertResult {
  written: { dtype: "fp32" | "int8"; path: string; bytes: number }[];
  seconds: number;
}

/** The stamp written next to the graphs. */
export interface ConversionStamp {
  converterVersion: number;
  layout: string;
  quantization: QuantizationOptions & { quantizeAttention: boolean };
  source: { file: string; bytes: number; mtimeMs: number };
  dtypes: ("fp32" | "int8")[];
}

/** Writes bytes atomically (temp file + rename in the same directory). */
async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Converts the BERT checkpoint in `dir` (config.json + model.safetensors) into ONNX graphs under
 * `dir/onnx/`. Throws with a readable message when a file is missing or the weights do not match.
 */
export async function convertModelDir(dir: string, opts: ConvertOptions = {}): Promise<ConvertResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const layout = opts.layout ?? "fused";
  const quantization = opts.quantization ?? DEFAULT_QUANTIZATION;
  const quantizeAttention = opts.quantizeAttention ?? true;
  const dtypes = opts.dtypes ?? ["fp32", "int8"];
  const configPath = join(dir, "config.json");
  const weightsPath = join(dir, MODEL_FILES.safetensors);
  let configText: string;
  try {
    configText = await readFile(configPath, "utf8");
  } catch {
    throw new Error(`cannot convert ${dir}: config.json is missing`);
  }
  const config = parseBertConfig(JSON.parse(configText));
  const weightsStat = await stat(weightsPath).catch(() => null);
  if (!weightsStat) throw new Error(`cannot convert ${dir}: ${MODEL_FILES.safetensors} is missing`);
  log(`reading ${weightsPath} (${(weightsStat.size / 1e6).toFixed(1)} MB)`);
  const { tensors } = await readSafetensors(weightsPath);
  await mkdir(join(dir, "onnx"), { recursive: true });
  const written: ConvertResult["written"] = [];
  for (const dtype of dtypes) {
    const bytes = buildBertOnnx(tensors, config, {
      layout,
      ...(dtype === "int8" ? { quantization, quantizeAttention } : {}),
    });
    const path = join(dir, dtype === "fp32" ? MODEL_FILES.onnxFp32 : MODEL_FILES.onnxInt8);
    await writeFileAtomic(path, bytes);
    written.push({ dtype, path, bytes: bytes.byteLength });
    log(`wrote ${path} (${(bytes.byteLength / 1e6).toFixed(1)} MB, ${dtype}, ${layout})`);
  }
  const stamp: ConversionStamp = {
    converterVersion: CONVERTER_VERSION,
    layout,
    quantization: { ...quantization, quantizeAttention },
    source: { file: MODEL_FILES.safetensors, bytes: weightsStat.size, mtimeMs: weightsStat.mtimeMs },
    dtypes,
  };
  await writeFileAtomic(join(dir, MODEL_FILES.stamp), new TextEncoder().encode(JSON.stringify(stamp, null, 2) + "\n"));
  return { written, seconds: (performance.now() - started) / 1000 };
}

/** Reads the conversion stamp, or null when there is none (or it is unreadable). */
export async function readConversionStamp(dir: string): Promise<ConversionStamp | null> {
  try {
    return JSON.parse(await readFile(join(dir, MODEL_FILES.stamp), "utf8")) as ConversionStamp;
  } catch {
    return null;
  }
}
