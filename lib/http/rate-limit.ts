import { env } from "../env";
import { errorBody, TutorError } from "../errors";

/**
 * Per-client request limits for the expensive routes (/api/chat, /api/search): a sliding window of one minute,
 * kept in process memory (one app process; a multi-instance deployment would put this in a shared store).
 */

export type RateDecision = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

interface Window {
  /** Request times (ms), oldest first; never longer than the limit. */
  hits: number[];
}

const store = ((globalThis as Record<string, unknown>).__tutorRateLimits ??= new Map()) as Map<string, Window>;
const MAX_KEYS = 50_000;

/** Counts one request of `key` and decides. Pure apart from the shared map; `now` is injectable for tests. */
export function takeToken(opts: { key: string; limit: number; windowMs?: number; now?: number; buckets?: Map<string, Window> }): RateDecision {
  const windowMs = opts.windowMs ?? 60_000;
  const now = opts.now ?? Date.now();
  const buckets = opts.buckets ?? store;
  if (opts.limit <= 0) return { ok: true, remaining: Infinity };
  let w = buckets.get(opts.key);
  if (!w) {
    if (buckets.size >= MAX_KEYS) prune(buckets, now, windowMs);
    w = { hits: [] };
    buckets.set(opts.key, w);
  }
  while (w.hits.length && w.hits[0] <= now - windowMs) w.hits.shift();
  if (w.hits.length >= opts.limit) {
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.hits[0] + windowMs - now) / 1000)) };
  }
  w.hits.push(now);
  return { ok: true, remaining: opts.limit - w.hits.length };
}

function prune(buckets: Map<string, Window>, now: number, windowMs: number) {
  for (const [k, w] of buckets) if (!w.hits.length || w.hits[w.hits.length - 1] <= now - windowMs) buckets.delete(k);
  // Still full (a flood of distinct clients): drop the oldest keys rather than grow without bound.
  for (const k of buckets.keys()) {
    if (buckets.size < MAX_KEYS) break;
    buckets.delete(k);
  }
}

/**
 * The client a request counts against. `next start` fills `x-forwarded-for` with the socket's address when the
 * request has none; a reverse proxy appends the address it saw. The last entry is therefore the one a client
 * cannot choose (earlier entries are whatever the client sent), so that is the key.
 */
export function clientKey(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return forwarded || request.headers.get("x-real-ip")?.trim() || "unknown";
}

/**
 * Applies TUTOR_RATE_LIMIT_PER_MINUTE to a route: null when the request may proceed, else the 429 response
 * (JSON body like every error, plus Retry-After).
 */
export function rateLimit(request: Request, route: string): Response | null {
  const decision = takeToken({ key: `${route} ${clientKey(request)}`, limit: env.TUTOR_RATE_LIMIT_PER_MINUTE });
  if (decision.ok) return null;
  const err = new TutorError("rate-limited", `Too many requests. Try again in ${decision.retryAfterSeconds} s.`, {
    details: { retryAfter: decision.retryAfterSeconds },
  });
  return Response.json(errorBody(err), {
    status: err.status,
    headers: { "retry-after": String(decision.retryAfterSeconds), "cache-control": "no-store" },
  });
}
