import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { env } from "../env";
import { llmConfigFromEnv, type LlmConfig } from "./config";

/** A chat model for a config. Keys are passed explicitly: providers never read process.env on their own here. */
/** The providers' chat models are all LanguageModelV3: the tutor streams from `doStream` (lib/tutor/answer.ts). */
export function createChatModel(config: LlmConfig): LanguageModelV3 {
  switch (config.provider) {
    case "openai-compatible":
      return createOpenAICompatible({
        name: "tutor-llm",
        baseURL: config.baseURL!.replace(/\/+$/, ""),
        apiKey: config.apiKey,
        includeUsage: true,
      }).chatModel(config.model);
    case "openai":
      return createOpenAI({ apiKey: config.apiKey, baseURL: config.baseURL }).chat(config.model);
    case "anthropic":
      return createAnthropic({ apiKey: config.apiKey, baseURL: config.baseURL })(config.model);
  }
}

export interface ChatLlm {
  config: LlmConfig;
  model: LanguageModelV3;
}

const cache = globalThis as { __tutorChatLlm?: ChatLlm | null };

/** The configured chat LLM (from lib/env.ts), built once; null when TUTOR_LLM_PROVIDER is none. */
export function getChatLlm(): ChatLlm | null {
  if (cache.__tutorChatLlm === undefined) {
    const config = llmConfigFromEnv(env);
    cache.__tutorChatLlm = config ? { config, model: createChatModel(config) } : null;
  }
  return cache.__tutorChatLlm;
}
