import { access } from "node:fs/promises";
import { join, resolve } from "node:path";

/** File names inside a model directory (`<TUTOR_MODEL_DIR>/<model id>/`). */
export const MODEL_FILES = {
  config: "config.json",
  safetensors: "model.safetensors",
  tokenizer: "tokenizer.json",
  /** transformers.js loads `onnx/model.onnx` for dtype "fp32" … */
  onnxFp32: "onnx/model.onnx",
  /** … and `onnx/model_quantized.onnx` for dtype "q8". */
  onnxInt8: "onnx/model_quantized.onnx",
  stamp: "onnx/conversion.json",
} as const;

/** The graph file for a dtype. */
export function getGraphFile(dtype: "fp32" | "int8"): string {
  return dtype === "fp32" ? MODEL_FILES.onnxFp32 : MODEL_FILES.onnxInt8;
}

/** `<modelsDir>/<model id>` as an absolute path (a Hub id `owner/name` becomes two directory levels). */
export function resolveModelDir(modelsDir: string, modelId: string): string {
  if (modelId.split("/").some((part) => part === ".." || part === "")) throw new Error(`invalid model id "${modelId}"`);
  return resolve(modelsDir, modelId);
}

/** True when the path exists. */
export async function checkExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** What a model directory holds, for `ensure` and for readable "unavailable" reasons. */
export interface ModelDirState {
  dir: string;
  hasConfig: boolean;
  hasTokenizer: boolean;
  hasSafetensors: boolean;
  hasFp32: boolean;
  hasInt8: boolean;
}

/** Inspects a model directory without reading any large file. */
export async function inspectModelDir(dir: string): Promise<ModelDirState> {
  const [hasConfig, hasTokenizer, hasSafetensors, hasFp32, hasInt8] = await Promise.all(
    [MODEL_FILES.config, MODEL_FILES.tokenizer, MODEL_FILES.safetensors, MODEL_FILES.onnxFp32, MODEL_FILES.onnxInt8].map((f) =>
      checkExists(join(dir, f)),
    ),
  );
  return { dir, hasConfig, hasTokenizer, hasSafetensors, hasFp32, hasInt8 };
}
