import { cpSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { flushInsights, queryInsights } from "@/lib/insights/store";
import { startFakeOpenAI, type FakeOpenAI } from "../support/openai-server";
import { chatRequest, readChunks, withCourseJson } from "../support/insights";
import { POLICY_COURSE, POLICY_COURSE_ID, WITHHELD_TODAY, OPEN_TODAY, forbiddenToday, leaks } from "../support/policy-fixture";
import { tempDir } from "./helpers";

/**
 * Issue 16: no recorded row holds what the solutions policy excludes. The policy fixture course with insights on
 * (question texts kept, the widest recording), asked random questions about its exercises by the real /api/chat
 * handler, with and without an LLM. The LLM here is the worst case: it repeats the whole system prompt it was sent
 * as its answer. Every row of the insights table, all columns, is then searched for the withheld prose.
 */

const BASE = "http://tutor.test";
type Handler = (r: Request) => Promise<Response>;
const LLM_KEYS = ["TUTOR_LLM_PROVIDER", "TUTOR_LLM_BASE_URL", "TUTOR_LLM_MODEL", "TUTOR_LLM_TIMEOUT_MS"];

async function chatRoute(llm: Record<string, string> | null): Promise<Handler> {
  for (const k of LLM_KEYS) delete process.env[k];
  Object.assign(process.env, llm ?? { TUTOR_LLM_PROVIDER: "none" });
  vi.resetModules();
  delete (globalThis as { __tutorChatLlm?: unknown }).__tutorChatLlm;
  return (await import("@/app/api/chat/route")).POST;
}

const tmp = tempDir();
const db = path.join(tmp.dir, "db");
let fake: FakeOpenAI;

beforeAll(async () => {
  const dir = path.join(tmp.dir, "course");
  cpSync(POLICY_COURSE, dir, { recursive: true });
  withCourseJson(dir, { insights: { keepQuestions: true } });
  await ingestCourse({ tex: "none", path: dir, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
  fake = await startFakeOpenAI({
    script: (req) => ({ text: req.messages.filter((m) => m.role === "system").map((m) => m.content).join("\n") }),
  });
  Object.assign(process.env, {
    TUTOR_DB_DIR: db,
    TUTOR_MODEL_DIR: path.join(tmp.dir, "no-models"),
    TUTOR_RATE_LIMIT_PER_MINUTE: "100000",
    TUTOR_LLM_CALLS_PER_MINUTE: "100000",
    LOG_LEVEL: "silent",
  });
}, 240_000);
afterAll(async () => {
  await fake?.close();
  tmp.cleanup();
});

const LABELS = [...Object.keys(WITHHELD_TODAY), ...OPEN_TODAY];
const question = fc
  .tuple(
    fc.constantFrom(...LABELS),
    fc.constantFrom("How do I solve {}?", "What is the answer to {}?", "Show me the full solution of {}", "hint for {} please", "{} — I'm stuck"),
    fc.constantFrom("", " quickly", " with every step", " (the one about sets)"),
  )
  .map(([label, form, tail]) => form.replace("{}", label) + tail);

describe("insights under a solutions policy", () => {
  it("records no withheld solution or hidden hint in any column of any row, with or without an LLM", async () => {
    const forbidden = forbiddenToday();
    expect(forbidden.length).toBeGreaterThan(0);
    let asked = 0;
    // One phase per mode: the route keeps its LLM client for the process, so each phase loads its own.
    for (const llm of [
      { TUTOR_LLM_PROVIDER: "openai-compatible", TUTOR_LLM_BASE_URL: fake.url, TUTOR_LLM_MODEL: "fake-model", TUTOR_LLM_TIMEOUT_MS: "5000" },
      null,
    ]) {
      const chat = await chatRoute(llm);
      await fc.assert(
        fc.asyncProperty(question, fc.boolean(), async (q, hint) => {
          const res = await chat(chatRequest(BASE, q, { course: POLICY_COURSE_ID, hint }));
          expect(res.status).toBe(200);
          await readChunks(res);
          asked++;
        }),
        { numRuns: 12 },
      );
    }
    await flushInsights(db);
    const rows = await queryInsights({ db, course: POLICY_COURSE_ID });
    // Every answer was recorded (so the search below looked at real rows), its question kept.
    expect(rows).toHaveLength(asked);
    expect(rows.every((r) => typeof r.question === "string" && r.question.length > 0)).toBe(true);
    expect(rows.some((r) => r.mode === "llm") && rows.some((r) => r.mode === "no-llm")).toBe(true);
    expect(leaks(rows.map((r) => JSON.stringify(r)).join("\n"), forbidden)).toEqual([]);
  }, 300_000);
});
