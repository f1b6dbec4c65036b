import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { describeLlm, llmConfigFromEnv } from "@/lib/llm/config";
import { createChatModel } from "@/lib/llm/model";

const parse = (vars: Record<string, string>) => parseEnv(vars as NodeJS.ProcessEnv);
const problem = (vars: Record<string, string>) => {
  try {
    parse(vars);
  } catch (e) {
    return (e as Error).message;
  }
  return "";
};

describe("LLM environment", () => {
  it("defaults to no LLM", () => {
    const env = parse({});
    expect(env.TUTOR_LLM_PROVIDER).toBeUndefined();
    expect(env.TUTOR_LLM_TIMEOUT_MS).toBe(30_000);
    expect(llmConfigFromEnv(env)).toBeNull();
    expect(llmConfigFromEnv(parse({ TUTOR_LLM_PROVIDER: "none", TUTOR_LLM_MODEL: "x" }))).toBeNull();
  });

  it("openai-compatible needs a base URL and a model, named in the message", () => {
    expect(problem({ TUTOR_LLM_PROVIDER: "openai-compatible" })).toMatch(/TUTOR_LLM_BASE_URL: required when TUTOR_LLM_PROVIDER=openai-compatible/);
    expect(problem({ TUTOR_LLM_PROVIDER: "openai-compatible" })).toMatch(/TUTOR_LLM_MODEL: required/);
    expect(problem({ TUTOR_LLM_PROVIDER: "openai-compatible", TUTOR_LLM_BASE_URL: "http://127.0.0.1:11434/v1" })).toMatch(/^Invalid environment: TUTOR_LLM_MODEL: required/);
    expect(problem({ TUTOR_LLM_BASE_URL: "not a url", TUTOR_LLM_MODEL: "m" })).toMatch(/TUTOR_LLM_BASE_URL/);
  });

  it("a base URL alone implies openai-compatible", () => {
    expect(problem({ TUTOR_LLM_BASE_URL: "http://127.0.0.1:8080/v1" })).toMatch(/TUTOR_LLM_MODEL: required when TUTOR_LLM_PROVIDER=openai-compatible/);
    const config = llmConfigFromEnv(parse({ TUTOR_LLM_BASE_URL: "http://127.0.0.1:8080/v1", TUTOR_LLM_MODEL: "qwen", TUTOR_LLM_TIMEOUT_MS: "5000" }));
    expect(config).toEqual({ provider: "openai-compatible", model: "qwen", baseURL: "http://127.0.0.1:8080/v1", apiKey: undefined, timeoutMs: 5000 });
    expect(describeLlm(config)).toBe("openai-compatible qwen at http://127.0.0.1:8080/v1");
  });

  it("openai and anthropic need a key and a model", () => {
    expect(problem({ TUTOR_LLM_PROVIDER: "openai", TUTOR_LLM_MODEL: "gpt-4o-mini" })).toMatch(/TUTOR_LLM_API_KEY: required when TUTOR_LLM_PROVIDER=openai/);
    expect(problem({ TUTOR_LLM_PROVIDER: "anthropic", TUTOR_LLM_API_KEY: "k" })).toMatch(/TUTOR_LLM_MODEL: required when TUTOR_LLM_PROVIDER=anthropic/);
    expect(problem({ TUTOR_LLM_PROVIDER: "anthropic", TUTOR_LLM_API_KEY: "k", TUTOR_LLM_MODEL: "claude" })).toBe("");
  });

  it("rejects an unknown provider and a bad timeout by name", () => {
    expect(problem({ TUTOR_LLM_PROVIDER: "ollama" })).toMatch(/TUTOR_LLM_PROVIDER/);
    expect(problem({ TUTOR_LLM_TIMEOUT_MS: "soon" })).toMatch(/TUTOR_LLM_TIMEOUT_MS/);
    expect(problem({ TUTOR_RATE_LIMIT_PER_MINUTE: "-1" })).toMatch(/TUTOR_RATE_LIMIT_PER_MINUTE/);
  });

  it("empty strings count as unset", () => {
    expect(llmConfigFromEnv(parse({ TUTOR_LLM_PROVIDER: "", TUTOR_LLM_BASE_URL: "" }))).toBeNull();
  });
});

describe("createChatModel", () => {
  it.each([
    ["openai-compatible", "http://127.0.0.1:11434/v1/"],
    ["openai", undefined],
    ["anthropic", undefined],
  ] as const)("builds a %s model without touching the network", (provider, baseURL) => {
    const model = createChatModel({ provider, model: "m-1", baseURL, apiKey: "k", timeoutMs: 1000 });
    expect(typeof model).toBe("object");
    expect((model as { modelId: string }).modelId).toBe("m-1");
  });
});
