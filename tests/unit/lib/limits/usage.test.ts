import { describe, expect, it } from "vitest";
import { MemoryCounterStore } from "@/lib/limits/counters";
import { DAY, formatWait, MINUTE, UsageLimiter, type LimitSettings } from "@/lib/limits/usage";

const off: LimitSettings = { requestsPerMinute: 0, llmCallsPerMinute: 0, llmCallsPerDay: 0, tokensPerMinute: 0, tokensPerDay: 0, courseTokensPerDay: 0 };

function limiter(settings: Partial<LimitSettings>, start = Date.UTC(2026, 0, 5, 10, 0, 30)) {
  const clock = { now: start };
  return { clock, l: new UsageLimiter(new MemoryCounterStore(), { ...off, ...settings }, () => clock.now) };
}

describe("UsageLimiter", () => {
  it("limits requests per client and route, with a wait that lets the next one through", async () => {
    const { l, clock } = limiter({ requestsPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await l.takeRequest("/api/chat", "a")).ok).toBe(true);
    const refused = await l.takeRequest("/api/chat", "a");
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.message).toMatch(/at most 3 a minute/);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(120);
    // Another client and another route have their own counts.
    expect((await l.takeRequest("/api/chat", "b")).ok).toBe(true);
    expect((await l.takeRequest("/api/search", "a")).ok).toBe(true);
    clock.now += refused.retryAfterSeconds * 1000;
    expect((await l.takeRequest("/api/chat", "a")).ok).toBe(true);
  });

  it("a burst across a minute's edge is not allowed twice (the previous minute still counts)", async () => {
    const { l, clock } = limiter({ requestsPerMinute: 4 }, Date.UTC(2026, 0, 5, 10, 0, 59, 500));
    for (let i = 0; i < 4; i++) expect((await l.takeRequest("r", "a")).ok).toBe(true);
    clock.now += 1000; // the next minute
    expect((await l.takeRequest("r", "a")).ok).toBe(false);
  });

  it("counts LLM answers per minute and per day, and says when the day's limit resets", async () => {
    const { l, clock } = limiter({ llmCallsPerMinute: 2, llmCallsPerDay: 3 });
    expect((await l.takeLlmCall("a", "c")).ok).toBe(true);
    expect((await l.takeLlmCall("a", "c")).ok).toBe(true);
    const minute = await l.takeLlmCall("a", "c");
    expect(!minute.ok && minute.message).toMatch(/at most 2 questions a minute/);
    clock.now += 3 * MINUTE;
    expect((await l.takeLlmCall("a", "c")).ok).toBe(true);
    clock.now += 3 * MINUTE;
    const day = await l.takeLlmCall("a", "c");
    expect(day.ok).toBe(false);
    if (day.ok) return;
    expect(day.message).toMatch(/today's 3 questions.*midnight UTC/);
    // 10:06:30 UTC → midnight is 13 h 53 min 30 s away.
    expect(day.retryAfterSeconds).toBe(DAY / 1000 - (10 * 3600 + 6 * 60 + 30));
  });

  it("checks token budgets before a call and records them after: the client's and the course's", async () => {
    const { l } = limiter({ tokensPerDay: 1000, courseTokensPerDay: 5000 });
    expect((await l.takeLlmCall("a", "c")).ok).toBe(true);
    await l.recordTokens("a", "c", 1200);
    const client = await l.takeLlmCall("a", "c");
    expect(!client.ok && client.message).toMatch(/today's allowance of the tutor \(1,000 tokens\)/);
    expect((await l.takeLlmCall("b", "c")).ok).toBe(true);
    await l.recordTokens("b", "c", 4000);
    const course = await l.takeLlmCall("z", "c");
    expect(!course.ok && course.message).toMatch(/course has used the tutor's daily budget \(5,000 tokens\)/);
    expect((await l.takeLlmCall("z", "other-course")).ok).toBe(true);
  });

  it("tokens per minute slide like requests", async () => {
    const { l, clock } = limiter({ tokensPerMinute: 500 });
    await l.recordTokens("a", "c", 600);
    expect((await l.takeLlmCall("a", "c")).ok).toBe(false);
    clock.now += 2 * MINUTE;
    expect((await l.takeLlmCall("a", "c")).ok).toBe(true);
  });

  it("0 turns every limit off", async () => {
    const { l } = limiter({});
    for (let i = 0; i < 50; i++) {
      expect((await l.takeRequest("r", "a")).ok).toBe(true);
      expect((await l.takeLlmCall("a", "c")).ok).toBe(true);
      await l.recordTokens("a", "c", 1e6);
    }
  });

  it("formats waits for people", () => {
    expect(formatWait(12)).toBe("12 s");
    expect(formatWait(61)).toBe("2 min");
    expect(formatWait(3 * 3600 + 12 * 60)).toBe("3 h 12 min");
  });
});

describe("MemoryCounterStore", () => {
  it("stays bounded under a flood of distinct keys", async () => {
    const store = new MemoryCounterStore(100);
    for (let i = 0; i < 1000; i++) await store.add(`k${i}`, 1, MINUTE, 0);
    expect(store.size).toBeLessThanOrEqual(100);
  });
});
