import type { Env } from "../env";

export type LlmProvider = "openai-compatible" | "openai" | "anthropic";

/** The chat LLM the tutor talks to; null means none is configured (the tutor answers without one). */
export interface LlmConfig {
  provider: LlmProvider;
  model: string;
  baseURL?: string;
  apiKey?: string;
  /** Longest wait for the first token and between tokens. */
  timeoutMs: number;
}

/**
 * The LLM settings of a parsed environment (lib/env.ts validated them already, cross-field checks included).
 * TUTOR_LLM_PROVIDER unset with TUTOR_LLM_BASE_URL set means an OpenAI-compatible server.
 */
export function llmConfigFromEnv(e: Pick<Env, "TUTOR_LLM_PROVIDER" | "TUTOR_LLM_BASE_URL" | "TUTOR_LLM_MODEL" | "TUTOR_LLM_API_KEY" | "TUTOR_LLM_TIMEOUT_MS">): LlmConfig | null {
  const provider = e.TUTOR_LLM_PROVIDER ?? (e.TUTOR_LLM_BASE_URL ? "openai-compatible" : "none");
  if (provider === "none" || !e.TUTOR_LLM_MODEL) return null;
  return {
    provider,
    model: e.TUTOR_LLM_MODEL,
    baseURL: e.TUTOR_LLM_BASE_URL,
    apiKey: e.TUTOR_LLM_API_KEY,
    timeoutMs: e.TUTOR_LLM_TIMEOUT_MS,
  };
}

/** "openai-compatible qwen2.5 at http://…" — for logs and the CLI; never includes the key. */
export function describeLlm(config: LlmConfig | null): string {
  if (!config) return "none";
  return `${config.provider} ${config.model}${config.baseURL ? ` at ${config.baseURL}` : ""}`;
}
