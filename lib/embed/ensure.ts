import { CONVERTER_VERSION, convertModelDir, readConversionStamp } from "./convert";
import { fetchModelFromHub, HubFetchError, HubUnreachableError, type FetchProgress } from "./hub";
import { getGraphFile, inspectModelDir, resolveModelDir } from "./paths";

/**
 * `npm run model -- ensure`: make the configured model usable with the least work — nothing when the
 * converted graph is there, a conversion when only the weights are, a download + conversion when
 * nothing is. Never throws for "no network / nothing cached": that is an expected state (retrieval
 * then runs on full-text only) reported as `unavailable` with a reason.
 */

export type EnsureOutcome =
  | { status: "ready"; dir: string; action: "none" | "converted" | "fetched and converted" }
  | { status: "unavailable"; dir: string; reason: string };

export interface EnsureOptions {
  modelId: string;
  modelsDir: string;
  dtype: "fp32" | "int8";
  endpoint: string;
  token?: string;
  log?: (message: string) => void;
  onFetchProgress?: (event: FetchProgress) => void;
}

/** Brings the model to a usable state if it can; see the module comment. */
export async function ensureModel(opts: EnsureOptions): Promise<EnsureOutcome> {
  const log = opts.log ?? (() => {});
  const dir = resolveModelDir(opts.modelsDir, opts.modelId);
  const state = await inspectModelDir(dir);
  const hasGraph = opts.dtype === "fp32" ? state.hasFp32 : state.hasInt8;
  const stamp = hasGraph ? await readConversionStamp(dir) : null;
  const stale = stamp !== null && stamp.converterVersion !== CONVERTER_VERSION;
  if (hasGraph && state.hasTokenizer && !(stale && state.hasSafetensors)) {
    log(`${opts.modelId}: ${getGraphFile(opts.dtype)} present in ${dir}`);
    return { status: "ready", dir, action: "none" };
  }
  let action: "converted" | "fetched and converted" = "converted";
  if (!(state.hasSafetensors && state.hasConfig && state.hasTokenizer)) {
    log(`${opts.modelId}: not in ${dir}; fetching from ${opts.endpoint}`);
    try {
      await fetchModelFromHub({ modelId: opts.modelId, destDir: dir, endpoint: opts.endpoint, token: opts.token, onProgress: opts.onFetchProgress });
    } catch (e) {
      if (e instanceof HubUnreachableError || e instanceof HubFetchError) {
        return { status: "unavailable", dir, reason: `${e.message}; no usable copy in ${dir}` };
      }
      throw e;
    }
    action = "fetched and converted";
  }
  log(`${opts.modelId}: converting model.safetensors to ONNX${stale ? " (graph from an older converter)" : ""}`);
  try {
    await convertModelDir(dir, { log });
  } catch (e) {
    return { status: "unavailable", dir, reason: `conversion failed: ${(e as Error).message}` };
  }
  return { status: "ready", dir, action };
}
