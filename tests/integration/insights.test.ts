import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { flushInsights, queryInsights, recordInsight, newAnswerId, type InsightRow } from "@/lib/insights/store";
import { startFakeOpenAI, type FakeOpenAI } from "../support/openai-server";
import { chatRequest, feedbackRequest, folderContains, readChunks, withCourseJson } from "../support/insights";
import { copyDemoCourse, tempDir } from "./helpers";

/**
 * Insights on (issue 16): /api/chat and /api/feedback called in process (their real handlers, real LanceDB in a
 * temp dir, a real OpenAI-protocol server as the LLM) over a store of three copies of the demo course: `imo-demo`
 * records without question texts, `imo-keep` keeps them, `imo-off` does not record.
 */

const BASE = "http://tutor.test";
type Handler = (r: Request) => Promise<Response>;
const LLM_KEYS = ["TUTOR_LLM_PROVIDER", "TUTOR_LLM_BASE_URL", "TUTOR_LLM_MODEL", "TUTOR_LLM_TIMEOUT_MS"];

/** The route handlers as a server started with `llm` would run them (env is read once per module load). */
async function loadRoutes(llm: Record<string, string> | null): Promise<{ chat: Handler; feedback: Handler }> {
  for (const k of LLM_KEYS) delete process.env[k];
  Object.assign(process.env, llm ?? { TUTOR_LLM_PROVIDER: "none" });
  vi.resetModules();
  delete (globalThis as { __tutorChatLlm?: unknown }).__tutorChatLlm;
  const chat = await import("@/app/api/chat/route");
  const feedback = await import("@/app/api/feedback/route");
  return { chat: chat.POST, feedback: feedback.POST };
}

const tmp = tempDir();
const db = path.join(tmp.dir, "db");
let fake: FakeOpenAI;
let llmRoutes: { chat: Handler; feedback: Handler };

beforeAll(async () => {
  for (const [id, insights] of [
    ["imo-demo", { retentionDays: 30 }],
    ["imo-keep", { keepQuestions: true }],
    ["imo-off", undefined],
  ] as const) {
    const dir = copyDemoCourse(path.join(tmp.dir, id));
    withCourseJson(dir, { id, ...(insights ? { insights } : {}) });
    await ingestCourse({ tex: "none", path: dir, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
  }
  // Cites a label the passages hold and one the course lacks: one verified, one unknown verdict.
  fake = await startFakeOpenAI({ script: () => ({ text: "Start from the definition [Exercise 1.41], then use [Theorem 9.99]." }) });
  Object.assign(process.env, {
    TUTOR_DB_DIR: db,
    TUTOR_MODEL_DIR: path.join(tmp.dir, "no-models"),
    TUTOR_RATE_LIMIT_PER_MINUTE: "1000",
    TUTOR_LLM_CALLS_PER_MINUTE: "1000",
    LOG_LEVEL: "silent",
  });
  llmRoutes = await loadRoutes({ TUTOR_LLM_PROVIDER: "openai-compatible", TUTOR_LLM_BASE_URL: fake.url, TUTOR_LLM_MODEL: "fake-model", TUTOR_LLM_TIMEOUT_MS: "5000" });
}, 240_000);
afterAll(async () => {
  await fake?.close();
  tmp.cleanup();
});

async function ask(chat: Handler, course: string, question: string, extra: Record<string, unknown> = {}) {
  const res = await chat(chatRequest(BASE, question, { course, ...extra }));
  expect(res.status).toBe(200);
  const chunks = await readChunks(res);
  const insight = chunks.find((c) => c.type === "data-insight") as { data: { answerId: string } } | undefined;
  return { chunks, answerId: insight?.data.answerId };
}

async function rowsOf(course: string): Promise<InsightRow[]> {
  await flushInsights(db);
  return queryInsights({ db, course });
}

describe("insights: recording answered questions", () => {
  it("records an LLM answer as exactly one row: labels named, retrieved and cited, verdicts, hint mode, no question text", async () => {
    const question = "How do I prove the identity in Exercise 1.41? (quokka)";
    const { chunks, answerId } = await ask(llmRoutes.chat, "imo-demo", question, { hint: true });
    expect(answerId).toMatch(/^[0-9a-f-]{36}$/);
    // The id comes after the citations, before the finish.
    const types = chunks.map((c) => c.type);
    expect(types.indexOf("data-insight")).toBeGreaterThan(types.indexOf("data-citations"));
    expect(types.at(-1)).toBe("finish");

    const rows = await rowsOf("imo-demo");
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({
      answer_id: answerId,
      course: "imo-demo",
      named: ["Exercise 1.41"],
      absent: [],
      cited: ["Exercise 1.41", "Theorem 9.99"],
      verdicts: ["verified", "unknown"],
      grounded: true,
      scope: "in",
      hint: true,
      mode: "llm",
      rating: null,
      comment: null,
      question: null,
    });
    expect(row.retrieved[0]).toBe("Section 1.6");
    expect(Math.abs(row.time - Date.now())).toBeLessThan(60_000);
    // keepQuestions off: the text is nowhere in the table, neither a column nor a file of the store.
    expect(Object.values(row).some((v) => JSON.stringify(v).includes("quokka"))).toBe(false);
    expect(folderContains(db, "quokka")).toEqual([]);
  });

  it("keeps the question's text when the course's insights.keepQuestions is true", async () => {
    await ask(llmRoutes.chat, "imo-keep", "Is there a hint for Exercise 1.41? (wombat)");
    const rows = await rowsOf("imo-keep");
    expect(rows.map((r) => r.question)).toEqual(["Is there a hint for Exercise 1.41? (wombat)"]);
    // The same file scan that finds nothing for imo-demo finds a kept question: the check above can fail.
    expect(folderContains(db, "(wombat)").length).toBeGreaterThan(0);
  });

  it("records a no-LLM answer, an answer naming a label the course lacks, and a declined question", async () => {
    const noLlm = await loadRoutes(null);
    const named = await ask(noLlm.chat, "imo-demo", "What does Exercise 2.99 ask?");
    const declined = await ask(noLlm.chat, "imo-demo", "What is a good recipe for bouillabaisse with saffron and fennel?");
    expect(named.answerId && declined.answerId).toBeTruthy();
    const rows = await rowsOf("imo-demo");
    const byId = new Map(rows.map((r) => [r.answer_id, r]));
    expect(byId.get(named.answerId!)).toMatchObject({ mode: "no-llm", absent: ["Exercise 2.99"], hint: false });
    expect(byId.get(declined.answerId!)).toMatchObject({ mode: "no-llm", scope: "declined", named: [] });
    llmRoutes = await loadRoutes({ TUTOR_LLM_PROVIDER: "openai-compatible", TUTOR_LLM_BASE_URL: fake.url, TUTOR_LLM_MODEL: "fake-model", TUTOR_LLM_TIMEOUT_MS: "5000" });
  });

  it("a course without insights records nothing and sends no answer id", async () => {
    const before = (await rowsOf("imo-off")).length;
    const { chunks, answerId } = await ask(llmRoutes.chat, "imo-off", "How do I prove the identity in Exercise 1.41?");
    expect(chunks.some((c) => c.type === "text-delta")).toBe(true);
    expect(answerId).toBeUndefined();
    expect(before).toBe(0);
    expect(await rowsOf("imo-off")).toEqual([]);
  });

  it("keeps the recorded rows through a re-ingest and a --rebuild of the course", async () => {
    const before = await rowsOf("imo-demo");
    expect(before.length).toBeGreaterThan(0);
    const dir = path.join(tmp.dir, "imo-demo", "course");
    await ingestCourse({ tex: "none", path: dir, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
    await ingestCourse({ tex: "none", path: dir, db, embedder: null, rebuild: true, modelStatus: { available: false, modelId: "none" } });
    expect(await rowsOf("imo-demo")).toEqual(before);
  });
});

describe("insights: POST /api/feedback", () => {
  it("sets the thumbs and the comment of a recorded answer", async () => {
    const { answerId } = await ask(llmRoutes.chat, "imo-demo", "Why is Theorem 1.40 true?");
    const res = await llmRoutes.feedback(feedbackRequest(BASE, { course: "imo-demo", answerId, rating: "down", comment: "It cites a theorem the notes lack." }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ recorded: true });
    const row = (await rowsOf("imo-demo")).find((r) => r.answer_id === answerId);
    expect(row).toMatchObject({ rating: "down", comment: "It cites a theorem the notes lack." });
    // Changing one's mind: up, no comment.
    expect((await llmRoutes.feedback(feedbackRequest(BASE, { course: "imo-demo", answerId, rating: "up" }))).status).toBe(200);
    expect((await rowsOf("imo-demo")).find((r) => r.answer_id === answerId)).toMatchObject({ rating: "up", comment: null });
  });

  it("answers 404 when the course does not record insights, and for an answer it never recorded", async () => {
    const off = await llmRoutes.feedback(feedbackRequest(BASE, { course: "imo-off", answerId: newAnswerId(), rating: "up" }));
    expect(off.status).toBe(404);
    expect((await off.json()).message).toMatch(/does not record feedback/);
    const unknown = await llmRoutes.feedback(feedbackRequest(BASE, { course: "imo-demo", answerId: newAnswerId(), rating: "up" }));
    expect(unknown.status).toBe(404);
    expect((await llmRoutes.feedback(feedbackRequest(BASE, { course: "no-such-course", answerId: newAnswerId(), rating: "up" }))).status).toBe(404);
  });

  it("refuses bad input with a reason: rating, id, comment length, unknown keys, not JSON, too large, another site", async () => {
    const id = newAnswerId();
    const cases: [unknown, number, RegExp][] = [
      [{ course: "imo-demo", answerId: id, rating: "meh" }, 400, /rating must be "up" or "down"/],
      [{ course: "imo-demo", answerId: "chat-1", rating: "up" }, 400, /answerId must be the id the answer carried/],
      [{ course: "imo-demo", answerId: id, rating: "up", comment: "x".repeat(2001) }, 400, /longer than 2000 characters/],
      [{ course: "imo-demo", answerId: id, rating: "up", conversation: "c1" }, 400, /conversation/],
      [{ answerId: id, rating: "up" }, 400, /course/],
      ["{not json", 400, /JSON/i],
      [{ course: "imo-demo", answerId: id, rating: "up", comment: "y".repeat(20_000) }, 413, /./],
    ];
    for (const [body, status, message] of cases) {
      const res = await llmRoutes.feedback(feedbackRequest(BASE, body));
      expect({ body: String(JSON.stringify(body)).slice(0, 80), status: res.status }).toEqual({ body: String(JSON.stringify(body)).slice(0, 80), status });
      expect((await res.json()).message).toMatch(message);
    }
    const crossSite = await llmRoutes.feedback(feedbackRequest(BASE, { course: "imo-demo", answerId: id, rating: "up" }, { origin: "https://evil.example" }));
    expect(crossSite.status).toBe(403);
    const get = await import("@/app/api/feedback/route").then((m) => m.GET(new Request(`${BASE}/api/feedback`)));
    expect(get.status).toBe(405);
  });
});

describe("insights: retention", () => {
  it("the sweep deletes a course's rows older than its retentionDays, and no others", async () => {
    const day = 86_400_000;
    const old: Omit<InsightRow, "course"> = { answer_id: newAnswerId(), time: Date.now() - 40 * day, named: [], absent: [], retrieved: [], cited: [], verdicts: [], grounded: false, scope: "in", hint: false, mode: "llm", rating: null, comment: null, question: null };
    recordInsight({ ...old, course: "imo-demo" }, { db }); // past imo-demo's 30 days
    recordInsight({ ...old, answer_id: newAnswerId(), course: "imo-keep" }, { db }); // within imo-keep's default 120
    await flushInsights(db);
    const { startInsightsSweep } = await import("@/lib/insights/sweep");
    const stop = startInsightsSweep(db);
    try {
      await expect.poll(async () => (await rowsOf("imo-demo")).some((r) => r.answer_id === old.answer_id), { timeout: 10_000 }).toBe(false);
    } finally {
      stop();
    }
    expect((await rowsOf("imo-keep")).some((r) => r.time < Date.now() - 39 * day)).toBe(true);
    expect((await rowsOf("imo-demo")).length).toBeGreaterThan(0);
  });
});
