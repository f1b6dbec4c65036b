import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { freePort, type RunningApp } from "../support/next-app";
import { startFakeOpenAI, type FakeOpenAI } from "../support/openai-server";
import { startRedis, type RunningRedis } from "../support/redis-server";
import { DEMO_COURSE, startApp, tempDir } from "./helpers";

/**
 * Issue 13, finding 1: the rate limit keyed on a header any client writes, and LLM calls had no max_tokens and no
 * budget. The built app (server.ts) over HTTP, a real OpenAI-protocol server as the LLM, a real Redis for the
 * limits several replicas share.
 */

const chatBody = (question: string) => JSON.stringify({ id: "c", messages: [{ id: "m", role: "user", parts: [{ type: "text", text: question }] }] });

function postChat(app: RunningApp, headers: Record<string, string> = {}) {
  return fetch(`${app.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: chatBody("hint for exercise 1.41") });
}

const llmCalls = (fake: FakeOpenAI) => fake.requests.filter((r) => r.path.startsWith("/v1/chat/completions")).length;

/** Headers a client would forge to look like someone else. */
const spoofed = (i: number) => ({ "x-forwarded-for": `203.0.113.${i}`, "x-real-ip": `203.0.113.${i}`, "x-tutor-client": `203.0.113.${i}` });

describe("usage limits a client cannot dodge", () => {
  const tmp = tempDir();
  const db = path.join(tmp.dir, "db");
  const apps: RunningApp[] = [];
  let fake: FakeOpenAI;
  let redis: RunningRedis;
  let base: Record<string, string>;

  const start = async (env: Record<string, string>) => {
    const app = await startApp({ ...base, ...env });
    apps.push(app);
    return app;
  };
  const stopAll = async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
  };

  beforeAll(async () => {
    await ingestCourse({ tex: "none", path: DEMO_COURSE, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
    fake = await startFakeOpenAI();
    redis = await startRedis();
    base = {
      TUTOR_DB_DIR: db,
      TUTOR_MODEL_DIR: path.join(tmp.dir, "no-models"),
      TUTOR_LLM_PROVIDER: "openai-compatible",
      TUTOR_LLM_BASE_URL: fake.url,
      TUTOR_LLM_MODEL: "fake-model",
      TUTOR_RATE_LIMIT_PER_MINUTE: "1000",
      TUTOR_LLM_CALLS_PER_MINUTE: "1000",
    };
  }, 120_000);
  afterAll(async () => {
    await stopAll();
    await fake?.close();
    await redis?.stop();
    tmp.cleanup();
  });

  it("spoofed X-Forwarded-For, X-Real-IP and x-tutor-client get the same 429 and no LLM call; every call has max_tokens", async () => {
    const app = await start({ TUTOR_RATE_LIMIT_PER_MINUTE: "5", TUTOR_LLM_MAX_OUTPUT_TOKENS: "321" });
    for (let i = 0; i < 5; i++) {
      const res = await postChat(app);
      expect(res.status).toBe(200);
      await res.text();
    }
    const calls = llmCalls(fake);
    for (let i = 1; i <= 20; i++) {
      const res = await postChat(app, spoofed(i));
      expect(res.status).toBe(429);
      const retry = Number(res.headers.get("retry-after"));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(120);
      expect(await res.json()).toMatchObject({ error: "rate-limited", message: expect.stringMatching(/at most 5 a minute\. Try again in \d+ (s|min)\./) });
    }
    expect(llmCalls(fake)).toBe(calls);
    const bodies = fake.requests.filter((r) => r.path.startsWith("/v1/chat/completions")).map((r) => r.body as { max_tokens?: number });
    expect(bodies.length).toBeGreaterThanOrEqual(5);
    for (const b of bodies) expect(b.max_tokens).toBe(321);
    await stopAll();
  }, 120_000);

  it("a course's daily token budget: once spent, 429 with Retry-After to midnight UTC and a message for the chat", async () => {
    const app = await start({ TUTOR_COURSE_TOKENS_PER_DAY: "50" });
    const first = await postChat(app);
    expect(first.status).toBe(200);
    await first.text();
    const calls = llmCalls(fake);
    // The answer's tokens are recorded when its stream ends.
    let refused: Response | undefined;
    for (let i = 0; i < 20 && !refused; i++) {
      const res = await postChat(app, spoofed(i));
      if (res.status === 429) refused = res;
      else {
        await res.text();
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(refused?.status).toBe(429);
    const toMidnight = Math.ceil((86_400_000 - (Date.now() % 86_400_000)) / 1000);
    expect(Math.abs(Number(refused!.headers.get("retry-after")) - toMidnight)).toBeLessThan(30);
    expect(await refused!.json()).toMatchObject({ error: "rate-limited", message: expect.stringMatching(/course has used the tutor's daily budget \(50 tokens\)\. It resets at midnight UTC/) });
    expect(llmCalls(fake)).toBeLessThanOrEqual(calls + 1);
    await stopAll();
  }, 120_000);

  it("two replicas sharing Redis hold one limit of LLM answers per client per minute between them", async () => {
    const env = { TUTOR_REDIS_URL: redis.url, TUTOR_LLM_CALLS_PER_MINUTE: "3" };
    const [a, b] = [await start(env), await start(env)];
    const calls = llmCalls(fake);
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (const app of [a, b, a, b, a, b]) {
      const res = await postChat(app);
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
      else await res.text();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    expect(llmCalls(fake)).toBe(calls + 3);
    expect(await refused!.json()).toMatchObject({ message: expect.stringMatching(/at most 3 questions a minute from one person/) });
    const client = new Redis(redis.url);
    expect((await client.keys("tutor:limits:*")).length).toBeGreaterThan(0);
    client.disconnect();
    await stopAll();
  }, 120_000);

  it("with the shared counters unreachable the chat answers 503 with a reason and spends nothing", async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const app = await start({ TUTOR_REDIS_URL: closed });
    const calls = llmCalls(fake);
    const res = await postChat(app);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: "limits-unavailable", message: expect.stringMatching(/cannot check its usage limits/) });
    expect(llmCalls(fake)).toBe(calls);
    await stopAll();
  }, 120_000);

  it("behind a trusted proxy the client is the entry that proxy appended, not one the client wrote", async () => {
    const app = await start({ TUTOR_TRUSTED_PROXIES: "127.0.0.1", TUTOR_RATE_LIMIT_PER_MINUTE: "2" });
    const search = (xff: string) => fetch(`${app.url}/api/search?q=sets`, { headers: { "x-forwarded-for": xff } }).then(async (r) => (await r.text(), r.status));
    expect(await search("198.51.100.1")).toBe(200);
    expect(await search("198.51.100.1")).toBe(200);
    expect(await search("198.51.100.1")).toBe(429);
    // The client prepends a made-up address; the proxy appended the real one last: still limited.
    expect(await search("203.0.113.77, 198.51.100.1")).toBe(429);
    // Another client behind the same proxy has its own count.
    expect(await search("198.51.100.2")).toBe(200);
    await stopAll();
  }, 120_000);
});
