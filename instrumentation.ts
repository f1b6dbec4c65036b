/**
 * Runs once when the server starts (Next.js instrumentation hook): parse the environment and the LLM
 * settings now, so a bad variable stops `next start` with a message naming it instead of failing the
 * first request; then warm retrieval up in the background (model, passages, term statistics, vectors),
 * so the first question does not pay for loading them.
 */
export async function register() {
  // NEXT_RUNTIME is set by Next itself, not configuration: the one read of process.env outside lib/env.ts.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  const { llmConfigFromEnv } = await import("./lib/llm/config");
  llmConfigFromEnv(env);
  const { log } = await import("./lib/log");
  void import("./lib/retrieve/search")
    .then(({ warmUp }) => warmUp())
    .then(({ courses }) => log.info({ courses }, "retrieval warmed up"))
    .catch((e: Error) => log.warn({ err: e.message }, "retrieval warm-up failed; the first question will load what it needs"));
  // Insights past a course's retention period are deleted at start and every hour (lib/insights/sweep.ts).
  void import("./lib/insights/sweep").then(({ startInsightsSweep }) => startInsightsSweep());
}
