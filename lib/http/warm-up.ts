import { log } from "../log";

/**
 * What the first student would otherwise pay for. Next.js loads a route's compiled modules on its first
 * request: measured on the demo course, the chat route's took ~0.7 s of CPU (the AI SDK, zod schemas,
 * the tutor), the page's ~1 s, before any retrieval ran — so the first question after a start waited
 * 1.7–2.8 s for its first token where later ones wait 0.2–0.4 s (`npm run bench:first-token`). Requests
 * that load a module without doing anything (a 405, a 400) warm it up; none of them calls the LLM or
 * counts against a client's limits.
 */
export const WARM_UP_PATHS = [
  // The chat page: server components, the outline, the health read.
  "/",
  // The chat route (GET is a 405 with Allow: POST).
  "/api/chat",
  // The passage panel's route (no ref: a 400).
  "/api/cite",
] as const;

/** Requests each path once, one after the other; a failure is logged and skipped (the server serves anyway). */
export async function warmUpRoutes(baseUrl: string, paths: readonly string[] = WARM_UP_PATHS): Promise<{ path: string; status: number; ms: number }[]> {
  const done: { path: string; status: number; ms: number }[] = [];
  for (const path of paths) {
    const start = performance.now();
    try {
      const res = await fetch(new URL(path, baseUrl), { signal: AbortSignal.timeout(30_000) });
      await res.arrayBuffer();
      done.push({ path, status: res.status, ms: Math.round(performance.now() - start) });
    } catch (e) {
      log.warn({ path, err: (e as Error).message }, "warm-up request failed");
    }
  }
  return done;
}
