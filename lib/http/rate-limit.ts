import { env } from "../env";
import { errorBody, TutorError } from "../errors";
import { getUsageLimiter, type LimitDecision } from "../limits/usage";
import { log } from "../log";
import { clientKey } from "./client-address";

/** The 429 of a refused request: JSON like every error, plus `Retry-After` (and `retryAfter` in the body). */
export function limitedResponse(decision: Extract<LimitDecision, { ok: false }>): Response {
  const err = new TutorError("rate-limited", decision.message, { details: { retryAfter: decision.retryAfterSeconds } });
  return Response.json(errorBody(err), {
    status: err.status,
    headers: { "retry-after": String(decision.retryAfterSeconds), "cache-control": "no-store" },
  });
}

/** The 503 when the counters cannot be reached (Redis down): the LLM budget is not spent unchecked. */
export function limitsUnavailableResponse(e: unknown, route: string): Response {
  log.error({ route, err: e instanceof Error ? e.message : String(e) }, "usage counters unreachable");
  const err = new TutorError("limits-unavailable", "The tutor cannot check its usage limits right now, so it is not answering. Please try again in a minute.");
  return Response.json(errorBody(err), { status: err.status, headers: { "cache-control": "no-store", "retry-after": "30" } });
}

/**
 * Applies TUTOR_RATE_LIMIT_PER_MINUTE to a route: null when the request may proceed, else the response (429, or
 * 503 when the shared counters are unreachable).
 */
export async function rateLimit(request: Request, route: string): Promise<Response | null> {
  try {
    const decision = await getUsageLimiter(env).takeRequest(route, clientKey(request));
    return decision.ok ? null : limitedResponse(decision);
  } catch (e) {
    return limitsUnavailableResponse(e, route);
  }
}
