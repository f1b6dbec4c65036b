/**
 * Runs once when the server starts (Next.js instrumentation hook): parse the environment and the LLM
 * settings now, so a bad variable stops `next start` with a message naming it instead of failing the
 * first request.
 */
export async function register() {
  // NEXT_RUNTIME is set by Next itself, not configuration: the one read of process.env outside lib/env.ts.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  const { llmConfigFromEnv } = await import("./lib/llm/config");
  llmConfigFromEnv(env);
}
