import type { Env } from "../env";
import { MemoryCounterStore, windowEnd, type CounterStore } from "./counters";
import { RedisCounterStore } from "./redis-counters";

/**
 * The usage limits of the expensive routes, per client (its address, lib/http/client-address.ts) and per
 * course: requests a minute, LLM answers a minute and a day, LLM tokens a minute and a day, and a course's
 * daily token budget. Minute limits slide (the previous minute's count weighs by the share of it still inside
 * the last 60 s, so a burst across a minute's edge is not counted twice as allowed); day limits are UTC days,
 * so they reset at a stated time.
 * Tokens are known only after an answer, so they are checked before the call and recorded after it: a budget
 * can be overshot by the answers in flight when it runs out, each bounded by TUTOR_LLM_MAX_OUTPUT_TOKENS.
 */

export type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number; message: string };

export interface LimitSettings {
  /** Requests per minute per client and route; 0 = off (as every limit here). */
  requestsPerMinute: number;
  llmCallsPerMinute: number;
  llmCallsPerDay: number;
  tokensPerMinute: number;
  tokensPerDay: number;
  courseTokensPerDay: number;
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;

export function limitSettingsFromEnv(e: Env): LimitSettings {
  return {
    requestsPerMinute: e.TUTOR_RATE_LIMIT_PER_MINUTE,
    llmCallsPerMinute: e.TUTOR_LLM_CALLS_PER_MINUTE,
    llmCallsPerDay: e.TUTOR_LLM_CALLS_PER_DAY,
    tokensPerMinute: e.TUTOR_LLM_TOKENS_PER_MINUTE,
    tokensPerDay: e.TUTOR_LLM_TOKENS_PER_DAY,
    courseTokensPerDay: e.TUTOR_COURSE_TOKENS_PER_DAY,
  };
}

/** "12 s", "4 min", "3 h 12 min". */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const min = Math.ceil(seconds / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ""}`;
}

const n = (x: number) => x.toLocaleString("en-US");

export class UsageLimiter {
  constructor(
    private readonly store: CounterStore,
    private readonly settings: LimitSettings,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts one request of `client` on `route` against the per-minute limit. */
  async takeRequest(route: string, client: string): Promise<LimitDecision> {
    const limit = this.settings.requestsPerMinute;
    if (limit <= 0) return { ok: true };
    const now = this.clock();
    const { ok, wait } = await this.slide(`req:${route}:${client}`, 1, limit, now);
    if (ok) return { ok: true };
    return { ok: false, retryAfterSeconds: wait, message: `Too many requests: at most ${limit} a minute. Try again in ${formatWait(wait)}.` };
  }

  /**
   * Whether `client` may have one more LLM answer in `course` now: the token budgets (course, then client) must
   * have room, then the answer is counted against the per-minute and per-day answer limits.
   */
  async takeLlmCall(client: string, course: string): Promise<LimitDecision> {
    const s = this.settings;
    const now = this.clock();
    // Every counter the checks need, read at once: with Redis one round trip (auto-pipelined), not one per check.
    const [courseDay, clientDay, minuteTokens, minuteCalls] = await Promise.all([
      s.courseTokensPerDay > 0 ? this.store.get(`tok:course:${course}`, DAY, now) : 0,
      s.tokensPerDay > 0 ? this.store.get(`tok:client:${client}`, DAY, now) : 0,
      s.tokensPerMinute > 0 ? this.lastMinute(`tok:client:${client}`, now) : null,
      s.llmCallsPerMinute > 0 ? this.lastMinute(`llm:${client}`, now) : null,
    ]);
    if (s.courseTokensPerDay > 0 && courseDay >= s.courseTokensPerDay) {
      const wait = this.wait(DAY, now);
      return { ok: false, retryAfterSeconds: wait, message: `This course has used the tutor's daily budget (${n(s.courseTokensPerDay)} tokens). It resets at midnight UTC, in ${formatWait(wait)}.` };
    }
    if (s.tokensPerDay > 0 && clientDay >= s.tokensPerDay) {
      const wait = this.wait(DAY, now);
      return { ok: false, retryAfterSeconds: wait, message: `You have used today's allowance of the tutor (${n(s.tokensPerDay)} tokens). It resets at midnight UTC, in ${formatWait(wait)}.` };
    }
    const tokens = minuteTokens && this.fits(minuteTokens, 0, s.tokensPerMinute, now);
    if (tokens && !tokens.ok) {
      return { ok: false, retryAfterSeconds: tokens.wait, message: `Your questions this minute have used the tutor's allowance (${n(s.tokensPerMinute)} tokens a minute). Try again in ${formatWait(tokens.wait)}.` };
    }
    const calls = minuteCalls && this.fits(minuteCalls, 1, s.llmCallsPerMinute, now);
    if (calls && !calls.ok) {
      return { ok: false, retryAfterSeconds: calls.wait, message: `The tutor answers at most ${s.llmCallsPerMinute} questions a minute from one person. Try again in ${formatWait(calls.wait)}.` };
    }
    const [, dayCalls] = await Promise.all([
      calls ? this.store.add(`llm:${client}`, 1, MINUTE, now) : null,
      s.llmCallsPerDay > 0 ? this.store.add(`llm:${client}`, 1, DAY, now) : 0,
    ]);
    if (s.llmCallsPerDay > 0 && dayCalls > s.llmCallsPerDay) {
      const wait = this.wait(DAY, now);
      return { ok: false, retryAfterSeconds: wait, message: `You have asked today's ${s.llmCallsPerDay} questions, the most the tutor answers in a day. It resets at midnight UTC, in ${formatWait(wait)}.` };
    }
    return { ok: true };
  }

  /** Records the tokens one answer cost (prompt + output) against the client's and the course's budgets. */
  async recordTokens(client: string, course: string, tokens: number): Promise<void> {
    if (!(tokens > 0)) return;
    const now = this.clock();
    const t = Math.ceil(tokens);
    const s = this.settings;
    // Only the budgets in force are counted (nothing to keep when a limit is off).
    await Promise.all([
      s.tokensPerMinute > 0 ? this.store.add(`tok:client:${client}`, t, MINUTE, now) : null,
      s.tokensPerDay > 0 ? this.store.add(`tok:client:${client}`, t, DAY, now) : null,
      s.courseTokensPerDay > 0 ? this.store.add(`tok:course:${course}`, t, DAY, now) : null,
    ]);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /**
   * The sliding count of the last 60 s — this minute's counter plus the previous minute's weighted by how much
   * of it is still inside — and whether `amount` more fits under `limit` (amount 0: whether the count is still
   * below it). What fits is added; a refused request is not counted. `wait`: seconds until it would fit.
   * (Read, then add: replicas racing may overshoot by the requests in flight, never by more.)
   */
  private async slide(key: string, amount: number, limit: number, now: number): Promise<{ ok: boolean; wait: number }> {
    const decision = this.fits(await this.lastMinute(key, now), amount, limit, now);
    if (decision.ok && amount > 0) await this.store.add(key, amount, MINUTE, now);
    return decision;
  }

  /** This minute's and the previous minute's counters of `key`. */
  private async lastMinute(key: string, now: number): Promise<{ current: number; previous: number }> {
    const [current, previous] = await Promise.all([this.store.get(key, MINUTE, now), this.store.get(key, MINUTE, now - MINUTE)]);
    return { current, previous };
  }

  /** Whether `amount` more fits the sliding minute under `limit` (see `slide`), and if not, the wait in seconds. */
  private fits({ current, previous }: { current: number; previous: number }, amount: number, limit: number, now: number): { ok: boolean; wait: number } {
    const elapsed = now % MINUTE;
    const left = MINUTE - elapsed;
    const count = (previous * left) / MINUTE + current;
    const ok = amount > 0 ? count + amount <= limit : count < limit;
    if (ok) return { ok, wait: 0 };
    const room = limit - amount;
    const waitMs =
      current <= room && previous > 0
        ? Math.max(0, left - (MINUTE * (room - current)) / previous)
        : // Only after this minute ends, once it has decayed enough as "the previous minute".
          left + MINUTE * Math.max(0, 1 - room / Math.max(current, 1));
    return { ok, wait: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  private wait(windowMs: number, now: number): number {
    return Math.max(1, Math.ceil((windowEnd(windowMs, now) - now) / 1000));
  }
}

const holder = globalThis as { __tutorUsageLimiter?: UsageLimiter };

/** The process's limiter, built once from lib/env.ts: Redis counters when TUTOR_REDIS_URL is set. */
export function getUsageLimiter(e: Env): UsageLimiter {
  holder.__tutorUsageLimiter ??= new UsageLimiter(e.TUTOR_REDIS_URL ? new RedisCounterStore(e.TUTOR_REDIS_URL) : new MemoryCounterStore(), limitSettingsFromEnv(e));
  return holder.__tutorUsageLimiter;
}
