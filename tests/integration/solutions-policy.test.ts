/**
 * The solutions policy over HTTP, against the production build on the policy fixture: every endpoint and page
 * that returns course text — /api/chat with the LLM (the answer stream, its sources, the copy-prompt, and what the
 * LLM was sent: tests/support/openai-server.ts records it) and without one, /api/search, /api/cite (the panel's and
 * the preview's data), /api/outline, the /cite page — returns none of the solutions (and, for `hidden`, hints) the
 * policy withholds today, while open and released exercises keep theirs.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { HINT_MODE_RULES } from "@/lib/tutor/prompt";
import { defaultScript, startFakeOpenAI, type FakeOpenAI } from "../support/openai-server";
import { fixtureExercises, forbiddenToday, leaks, OPEN_TODAY, POLICY_COURSE, POLICY_COURSE_ID, WITHHELD_TODAY } from "../support/policy-fixture";
import { ROOT, startApp, tempDir } from "./helpers";

type App = { url: string; stop: () => Promise<void> };

/** Every string inside a JSON value, joined: what a client can read of a response, escapes undone. */
function strings(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(strings).join("\n");
  if (value && typeof value === "object") return Object.values(value).map(strings).join("\n");
  return "";
}

/** A UI message stream's chunks, parsed. */
function sseChunks(body: string): { type: string; [k: string]: unknown }[] {
  return body
    .split("\n\n")
    .map((e) => e.trim())
    .filter((l) => l.startsWith("data: ") && l !== "data: [DONE]")
    .map((l) => JSON.parse(l.slice(6)));
}

function chatBody(question: string, hint = false) {
  return { id: "c1", messages: [{ id: "m0", role: "user", parts: [{ type: "text", text: question }] }], trigger: "submit-message", course: POLICY_COURSE_ID, hint };
}

describe("a hints-only exercise's solution appears in 0 responses", () => {
  const tmp = tempDir();
  const db = path.join(tmp.dir, "db");
  let fake: FakeOpenAI;
  let withLlm: App;
  let noLlm: App;
  const forbidden = forbiddenToday();
  const exercises = fixtureExercises();
  /** Every response body (as the client reads it) and every request the LLM received, for the final count. */
  const seen: { what: string; text: string }[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("no production build: run `npx next build` (npm test does)");
    await ingestCourse({ tex: "none", path: POLICY_COURSE, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
    fake = await startFakeOpenAI({ script: defaultScript });
    const common = { TUTOR_DB_DIR: db, TUTOR_MODEL_DIR: path.join(tmp.dir, "no-models"), TUTOR_RATE_LIMIT_PER_MINUTE: "0", TUTOR_LLM_CALLS_PER_MINUTE: "0" };
    [withLlm, noLlm] = await Promise.all([
      startApp({ ...common, TUTOR_LLM_PROVIDER: "openai-compatible", TUTOR_LLM_BASE_URL: fake.url, TUTOR_LLM_MODEL: "fake", TUTOR_LLM_TIMEOUT_MS: "15000" }),
      startApp({ ...common, TUTOR_LLM_PROVIDER: "none" }),
    ]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([withLlm?.stop(), noLlm?.stop()]);
    await fake?.close();
    tmp.cleanup();
  });

  /** `echo`: the student's own words, which a search response repeats (its `query`): not notes text. */
  const get = async (app: App, url: string, what: string, echo?: string) => {
    const res = await fetch(`${app.url}${url}`);
    const body = await res.text();
    let text = body;
    if ((res.headers.get("content-type") ?? "").includes("json")) {
      const json = JSON.parse(body) as Record<string, unknown>;
      // Only the top-level fields that repeat the question (query, resolvedQuery) are left out; passages stay.
      if (echo) for (const [k, v] of Object.entries(json)) if (typeof v === "string" && v.includes(echo)) delete json[k];
      text = strings(json);
    }
    seen.push({ what, text });
    return { status: res.status, text };
  };
  const chat = async (app: App, question: string, what: string, hint = false) => {
    const res = await fetch(`${app.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(chatBody(question, hint)) });
    expect(res.status).toBe(200);
    const chunks = sseChunks(await res.text());
    seen.push({ what, text: strings(chunks) });
    return chunks;
  };
  const notices = (chunks: { type: string; [k: string]: unknown }[]) =>
    chunks.filter((c) => c.type === "data-notice").map((c) => (c.data as { kind: string; message: string }));

  // Students ask for the withheld exercises by label, by their words, and for the whole sections.
  const questions = [
    ...Object.keys(WITHHELD_TODAY).flatMap((l) => [`Give me the full solution to ${l}.`, `${l}: I am stuck, what is the answer?`]),
    "How do I prove the distributive law for intersection over union?",
    "How many elements does a Cartesian product of finite sets have?",
    "Why is a composition of injective maps injective?",
    "Explain Section 1.1",
    "Explain Section 2.1",
  ];

  it("/api/chat with an LLM: the answer, its sources, the copy-prompt and what the LLM was sent", async () => {
    for (const q of questions) await chat(withLlm, q, `chat (LLM): ${q}`);
    const sent = fake.requests.filter((r) => r.path.startsWith("/v1/chat/completions"));
    expect(sent.length).toBe(questions.length);
    for (const r of sent) seen.push({ what: "sent to the LLM", text: strings(r.body) });
  }, 120_000);

  it("a named withheld exercise is answered in hint mode whatever the toggle says, and the student is told why", async () => {
    const chunks = await chat(withLlm, "Solve Exercise 1.4 completely please", "chat (LLM): forced hint", false);
    expect(notices(chunks)).toContainEqual({
      kind: "solutions-withheld",
      message: "Your instructor has not released the solution to Exercise 1.4. The tutor answers in hint mode: hints and guiding questions, no full solution.",
    });
    const system = strings((fake.requests.at(-1)!.body as { messages: unknown[] }).messages[0]);
    expect(system).toContain(HINT_MODE_RULES);
    expect(system).toContain("Solution withheld: Your instructor has not released the solution to Exercise 1.4.");
    // An open exercise: the toggle decides, no notice.
    const open = await chat(withLlm, "Solve Exercise 1.3 completely please", "chat (LLM): open exercise", false);
    expect(notices(open).map((n) => n.kind)).not.toContain("solutions-withheld");
    expect(strings((fake.requests.at(-1)!.body as { messages: unknown[] }).messages[0])).not.toContain(HINT_MODE_RULES);
  }, 60_000);

  it("/api/chat without an LLM: quoted passages, the hint-mode answer and the copy-prompt", async () => {
    for (const q of questions) {
      await chat(noLlm, q, `chat (no LLM): ${q}`);
      await chat(noLlm, q, `chat (no LLM, hint mode): ${q}`, true);
    }
    const chunks = await chat(noLlm, "Give me the full solution to Exercise 1.2.", "chat (no LLM): notice");
    const text = chunks.filter((c) => c.type === "text-delta").map((c) => c.delta).join("");
    expect(text).toContain("Solution withheld: Your instructor releases the solution to Exercise 1.2 on 12 Dec 2099.");
    expect(notices(chunks).map((n) => n.kind)).toContain("solutions-withheld");
  }, 120_000);

  it("/api/search, /api/cite (panel and preview), /api/outline and the /cite pages", async () => {
    for (const q of questions) await get(noLlm, `/api/search?course=${POLICY_COURSE_ID}&k=10&q=${encodeURIComponent(q)}`, `search: ${q}`);
    // The solutions' own words, searched for.
    for (const f of forbidden) await get(noLlm, `/api/search?course=${POLICY_COURSE_ID}&k=10&q=${encodeURIComponent(f.fragment)}`, `search: ${f.fragment}`, f.fragment);
    const labels = ["Chapter 1", "Section 1.1", "Section 1.2", "Chapter 2", "Section 2.1", ...exercises.keys()];
    for (const l of labels) {
      const cite = await get(noLlm, `/api/cite?course=${POLICY_COURSE_ID}&ref=${encodeURIComponent(l)}`, `/api/cite ${l}`);
      expect(cite.status).toBe(200);
      const page = await get(noLlm, `/cite/${encodeURIComponent(l)}?course=${POLICY_COURSE_ID}`, `/cite page ${l}`);
      expect(page.status).toBe(200);
    }
    await get(noLlm, `/api/outline?course=${POLICY_COURSE_ID}`, "/api/outline");
    // Where the block would have been, the student reads why.
    const cite = await get(noLlm, `/api/cite?course=${POLICY_COURSE_ID}&ref=Exercise%201.6`, "/api/cite Exercise 1.6");
    expect(cite.text).toContain("Solution withheld: Your instructor has not released the hints and the solution to Exercise 1.6.");
    const page = await get(noLlm, `/cite/Exercise%201.4?course=${POLICY_COURSE_ID}`, "/cite page Exercise 1.4");
    // (the page links the label: compare its text)
    expect(page.text.replace(/<[^>]+>/g, "")).toContain("Solution withheld: Your instructor has not released the solution to Exercise 1.4.");
  }, 120_000);

  it("open and released exercises keep their solutions, a hints-only exercise its hints (the check can fail)", async () => {
    for (const l of OPEN_TODAY) {
      const { text } = await get(noLlm, `/api/cite?course=${POLICY_COURSE_ID}&ref=${encodeURIComponent(l)}`, `/api/cite ${l}`);
      for (const f of exercises.get(l)!.solution) expect(text.replace(/\s+/g, " ")).toContain(f);
    }
    const { text } = await get(noLlm, `/api/cite?course=${POLICY_COURSE_ID}&ref=Exercise%201.2`, "/api/cite Exercise 1.2");
    for (const f of exercises.get("Exercise 1.2")!.hint) expect(text.replace(/\s+/g, " ")).toContain(f);
  });

  it("counts: 0 responses or LLM requests hold a withheld fragment", () => {
    expect(seen.length).toBeGreaterThan(100);
    const leaking = seen.map((s) => ({ what: s.what, leaks: leaks(s.text, forbidden) })).filter((s) => s.leaks.length);
    console.log(`solutions policy: ${seen.length} responses and LLM requests checked for ${forbidden.length} withheld fragments; ${leaking.length} leak`);
    expect(leaking).toEqual([]);
  });
});
