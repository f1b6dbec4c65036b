import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { flushAllInsights, insightTableExists, newAnswerId } from "@/lib/insights/store";
import { startFakeOpenAI, type FakeOpenAI } from "../support/openai-server";
import { chatRequest, feedbackRequest, folderListing, readChunks } from "../support/insights";
import { DEMO_COURSE, tempDir } from "./helpers";

/**
 * Insights off (the demo course's course.json has no `insights`): answering questions writes nothing about them
 * anywhere in the store folder — no table, no file added, changed or touched — and no answer id reaches the browser.
 */

const BASE = "http://tutor.test";
type Handler = (r: Request) => Promise<Response>;
const tmp = tempDir();
const db = path.join(tmp.dir, "db");
let fake: FakeOpenAI;

async function loadRoutes(llm: Record<string, string>): Promise<{ chat: Handler; feedback: Handler }> {
  for (const k of ["TUTOR_LLM_PROVIDER", "TUTOR_LLM_BASE_URL", "TUTOR_LLM_MODEL"]) delete process.env[k];
  Object.assign(process.env, llm);
  vi.resetModules();
  delete (globalThis as { __tutorChatLlm?: unknown }).__tutorChatLlm;
  return { chat: (await import("@/app/api/chat/route")).POST, feedback: (await import("@/app/api/feedback/route")).POST };
}

beforeAll(async () => {
  await ingestCourse({ tex: "none", path: DEMO_COURSE, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
  fake = await startFakeOpenAI({ script: () => ({ text: "See [Exercise 1.41]." }) });
  Object.assign(process.env, { TUTOR_DB_DIR: db, TUTOR_MODEL_DIR: path.join(tmp.dir, "no-models"), TUTOR_RATE_LIMIT_PER_MINUTE: "1000", TUTOR_LLM_CALLS_PER_MINUTE: "1000", LOG_LEVEL: "silent" });
}, 180_000);
afterAll(async () => {
  await fake?.close();
  tmp.cleanup();
});

describe("insights off", () => {
  it("LLM and no-LLM answers and feedback leave the store folder exactly as it was", async () => {
    const before = folderListing(db);
    const questions = ["How do I prove the identity in Exercise 1.41?", "What is a good bouillabaisse recipe?", "What does Exercise 9.99 ask?"];
    // One server with an LLM, then one without (the LLM is built once per process: loaded in turn).
    for (const llm of [{ TUTOR_LLM_PROVIDER: "openai-compatible", TUTOR_LLM_BASE_URL: fake.url, TUTOR_LLM_MODEL: "fake-model" }, { TUTOR_LLM_PROVIDER: "none" }] as Record<string, string>[]) {
      const routes = await loadRoutes(llm);
      for (const q of questions) {
        const res = await routes.chat(chatRequest(BASE, q, { course: "imo-demo", hint: q.length % 2 === 0 }));
        expect(res.status).toBe(200);
        const chunks = await readChunks(res);
        expect(chunks.some((c) => c.type === "text-delta")).toBe(true);
        expect(chunks.some((c) => c.type === "data-insight")).toBe(false);
      }
      const feedback = await routes.feedback(feedbackRequest(BASE, { course: "imo-demo", answerId: newAnswerId(), rating: "down", comment: "wrong" }));
      expect(feedback.status).toBe(404);
    }
    expect(fake.requests.filter((r) => r.path.startsWith("/v1/chat/completions")).length).toBe(questions.length);
    // Whatever a buffer could hold is written now, and the store's retention sweep runs: still nothing.
    await flushAllInsights();
    const { startInsightsSweep } = await import("@/lib/insights/sweep");
    startInsightsSweep(db)();
    await new Promise((r) => setTimeout(r, 500));
    expect(await insightTableExists(db)).toBe(false);
    expect(folderListing(db)).toEqual(before);
  });
});
