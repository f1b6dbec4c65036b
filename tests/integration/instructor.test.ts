import path from "node:path";
import { NextRequest } from "next/server";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import type { InsightRow } from "@/lib/insights/schema";
import { withCourseJson } from "../support/insights";
import { seedInsights } from "../support/seed-insights";
import { copyDemoCourse, ROOT, tempDir } from "./helpers";

/**
 * The instructor page's APIs and figures (issue 16): the real route handlers called in process over a real
 * LanceDB store in a temp dir — the demo course with insights on (question texts kept) and a second course
 * with insights off — and recorded questions seeded into the insights table.
 */

const TOKEN = "instructor-token-for-tests-0123456789";
const BASE = "http://tutor.test";
const DAY = 86_400_000;
const NOW = Date.now();
const tmp = tempDir();
const db = path.join(tmp.dir, "db");

type Ctx = { params: Promise<{ course: string }> };
interface Routes {
  report: (r: NextRequest, c: Ctx) => Promise<Response>;
  csv: (r: NextRequest, c: Ctx) => Promise<Response>;
  signIn: (r: Request) => Promise<Response>;
  signOut: (r: Request) => Promise<Response>;
}

/** The route handlers as a server started with `token` (or without one) would run them: env is read at module load. */
async function loadRoutes(token: string | null): Promise<Routes> {
  if (token) process.env.TUTOR_INSTRUCTOR_TOKEN = token;
  else delete process.env.TUTOR_INSTRUCTOR_TOKEN;
  vi.resetModules();
  const report = await import("@/app/api/instructor/[course]/route");
  const csv = await import("@/app/api/instructor/[course]/export.csv/route");
  const signIn = await import("@/app/api/instructor/sign-in/route");
  const signOut = await import("@/app/api/instructor/sign-out/route");
  return { report: report.GET, csv: csv.GET, signIn: signIn.POST, signOut: signOut.POST };
}

const ctx = (course: string): Ctx => ({ params: Promise.resolve({ course }) });
const get = (p: string, headers: Record<string, string> = {}) => new NextRequest(`${BASE}${p}`, { headers });
const bearer = { authorization: `Bearer ${TOKEN}` };

/** One recorded answer; the rest of the row says an ordinary grounded answer. */
function row(n: number, daysAgo: number, patch: Partial<InsightRow>): InsightRow {
  return {
    answer_id: `test-${n}`,
    course: "imo-demo",
    time: NOW - daysAgo * DAY,
    named: [],
    absent: [],
    retrieved: ["Section 1.6"],
    cited: [],
    verdicts: [],
    grounded: true,
    scope: "in",
    hint: false,
    mode: "llm",
    rating: null,
    comment: null,
    question: null,
    ...patch,
  };
}

// Within 7 days: three questions about Exercise 1.41 (one thumbed down), two out-of-scope questions about
// bread worded alike, one ungrounded answer. 20 days ago: one more about Exercise 1.41. 200 days ago: Section 1.6.
const ROWS: InsightRow[] = [
  row(1, 1, { named: ["Exercise 1.41"], cited: ["Exercise 1.41"], verdicts: ["verified"], question: "how do I start Exercise 1.41?" }),
  row(2, 2, { named: ["Exercise 1.41"], question: "hint for exercise 1.41 please", rating: "down", comment: "it gave away the answer" }),
  row(3, 3, { named: ["Exercise 1.41"], question: "is my proof of 1.41 right" }),
  row(4, 2, { scope: "declined", retrieved: [], grounded: false, question: "how do I bake sourdough bread" }),
  row(5, 4, { scope: "declined", retrieved: [], grounded: false, question: "how to bake sourdough bread at home" }),
  row(6, 5, { grounded: false, cited: ["Theorem 9.99"], verdicts: ["unknown"], question: "=HYPERLINK(\"http://evil\") what is a power set" }),
  row(7, 20, { named: ["Exercise 1.41"], question: "exercise 1.41 again" }),
  row(8, 200, { question: "what is a set difference" }),
];

let routes: Routes;

beforeAll(async () => {
  const on = copyDemoCourse(tmp.dir);
  withCourseJson(on, { insights: { keepQuestions: true } });
  await ingestCourse({ tex: "none", path: on, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
  await ingestCourse({ tex: "none", path: path.join(ROOT, "tests/e2e/courses/la-demo"), db, embedder: null, modelStatus: { available: false, modelId: "none" } });
  await seedInsights(db, ROWS);
  process.env.TUTOR_DB_DIR = db;
  process.env.TUTOR_MODEL_DIR = path.join(tmp.dir, "no-models");
  process.env.TUTOR_RATE_LIMIT_PER_MINUTE = "0";
  process.env.LOG_LEVEL = "silent";
  routes = await loadRoutes(TOKEN);
}, 180_000);

afterAll(() => {
  delete process.env.TUTOR_INSTRUCTOR_TOKEN;
  tmp.cleanup();
});

describe("instructor APIs: the token", () => {
  it("answers 401 with WWW-Authenticate without the token or with a wrong one, and never echoes it", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Basic ${TOKEN}` }, { cookie: `tutor-instructor=${TOKEN}` }];
    for (const headers of attempts) {
      for (const res of [await routes.report(get("/api/instructor/imo-demo", headers), ctx("imo-demo")), await routes.csv(get("/api/instructor/imo-demo/export.csv", headers), ctx("imo-demo"))]) {
        expect(res.status, JSON.stringify(headers)).toBe(401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
        const body = await res.text();
        expect(body).toMatch(/unauthorized/);
        expect(body).not.toContain(TOKEN);
      }
    }
  });

  it("serves the report with the bearer token or the session cookie the sign-in sets", async () => {
    expect((await routes.report(get("/api/instructor/imo-demo", bearer), ctx("imo-demo"))).status).toBe(200);
    const signIn = await routes.signIn(
      new Request(`${BASE}/api/instructor/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE, host: "tutor.test" },
        body: new URLSearchParams({ token: TOKEN, course: "imo-demo" }).toString(),
      }),
    );
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get("location")).toBe("/instructor/imo-demo");
    const cookie = signIn.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(";")[0];
    expect((await routes.report(get("/api/instructor/imo-demo", { cookie: session }), ctx("imo-demo"))).status).toBe(200);
    expect((await routes.csv(get("/api/instructor/imo-demo/export.csv", { cookie: `other=1; ${session}` }), ctx("imo-demo"))).status).toBe(200);
  });

  it("sends a wrong sign-in back to the form without a cookie, and refuses another site's form", async () => {
    const form = (token: string, origin: string) =>
      new Request(`${BASE}/api/instructor/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin, host: "tutor.test" },
        body: new URLSearchParams({ token, course: "imo-demo" }).toString(),
      });
    const wrong = await routes.signIn(form("guess", BASE));
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get("location")).toBe("/instructor/imo-demo?failed=1");
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect((await routes.signIn(form(TOKEN, "https://evil.example"))).status).toBe(403);
    const out = await routes.signOut(new Request(`${BASE}/api/instructor/sign-out`, { method: "POST", headers: { origin: BASE, host: "tutor.test" } }));
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/^tutor-instructor=; .*Max-Age=0/);
  });

  it("does not exist (404) when TUTOR_INSTRUCTOR_TOKEN is unset, whatever the request carries", async () => {
    const off = await loadRoutes(null);
    try {
      expect((await off.report(get("/api/instructor/imo-demo", bearer), ctx("imo-demo"))).status).toBe(404);
      expect((await off.csv(get("/api/instructor/imo-demo/export.csv", bearer), ctx("imo-demo"))).status).toBe(404);
      const signIn = await off.signIn(
        new Request(`${BASE}/api/instructor/sign-in`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE, host: "tutor.test" },
          body: new URLSearchParams({ token: TOKEN, course: "imo-demo" }).toString(),
        }),
      );
      expect(signIn.status).toBe(404);
      expect(signIn.headers.get("set-cookie")).toBeNull();
    } finally {
      routes = await loadRoutes(TOKEN);
    }
  });
});

describe("instructor APIs: the figures", () => {
  it("counts the period's questions by outline, most asked exercise first", async () => {
    const week = await (await routes.report(get("/api/instructor/imo-demo?period=7d", bearer), ctx("imo-demo"))).json();
    expect(week.totals).toMatchObject({ questions: 6, thumbsDown: 1, declined: 2 });
    expect(week.topExercises[0]).toMatchObject({ label: "Exercise 1.41", questions: 3, thumbsDown: 1 });
    const all = await (await routes.report(get("/api/instructor/imo-demo?period=all", bearer), ctx("imo-demo"))).json();
    expect(all.totals.questions).toBe(8);
    expect(all.topExercises[0]).toMatchObject({ label: "Exercise 1.41", questions: 4 });
    const ch1 = all.chapters.find((c: { label: string }) => c.label === "Chapter 1");
    const s16 = ch1.sections.find((s: { label: string }) => s.label === "Section 1.6");
    // 4 about Exercise 1.41 (in Section 1.6), 1 answered from Section 1.6, 1 ungrounded answered from Section 1.6.
    expect(s16.questions).toBe(6);
    expect(all.insights).toEqual({ keepQuestions: true, retentionDays: 120 });
    // The two bread questions are one group, worded alike.
    expect(all.groups.notCovered.groups[0]).toMatchObject({ count: 2, example: "how do I bake sourdough bread" });
    expect(all.weeks.reduce((n: number, w: { questions: number }) => n + w.questions, 0)).toBe(8);
  });

  it("reads the same rows as the insights store's own query (question texts apart)", async () => {
    const { readInsightRows } = await import("@/lib/instructor/columns");
    const { queryInsights } = await import("@/lib/insights/store");
    const byId = (a: { answer_id: string }, b: { answer_id: string }) => a.answer_id.localeCompare(b.answer_id);
    const since = NOW - 30 * DAY;
    const fast = (await readInsightRows({ course: "imo-demo", since })).sort(byId);
    const slow = (await queryInsights({ course: "imo-demo", since })).sort(byId);
    expect(fast.length).toBe(7);
    expect(fast).toEqual(slow.map((r) => ({ ...r, question: null })));
    expect(await readInsightRows({ course: "la-demo" })).toEqual([]);
  });

  it("refuses a bad period (400) and an unknown course (404)", async () => {
    const bad = await routes.report(get("/api/instructor/imo-demo?period=5y", bearer), ctx("imo-demo"));
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/period must be one of 7d, 30d, 120d, all/);
    const unknown = await routes.report(get("/api/instructor/nope", bearer), ctx("nope"));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "unknown-course" });
  });

  it("exports the figures as CSV, formulas in students' words defused", async () => {
    const res = await routes.csv(get("/api/instructor/imo-demo/export.csv?period=7d", bearer), ctx("imo-demo"));
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="imo-demo-questions-7d-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await res.text()).split("\r\n");
    expect(lines[0]).toBe("kind,label,title,parent,questions,not_covered,ungrounded,thumbs_down,terms,example");
    expect(lines[1]).toMatch(/^total,imo-demo,.*,7d,6,2,\d+,1,,$/);
    expect(lines.find((l) => l.startsWith("item,Exercise 1.41,"))).toMatch(/^item,Exercise 1\.41,[^,]*,Section 1\.6,3,,,1,,$/);
    expect(lines.find((l) => l.startsWith("not-covered,"))).toMatch(/^not-covered,,,,2,,,,[^,]*,how do I bake sourdough bread$/);
    const formula = lines.find((l) => l.includes("HYPERLINK"));
    expect(formula).toContain(`"'=HYPERLINK(""http://evil"") what is a power set"`);
  });

  it("renders the page's figures from the store, and says when a course records nothing", async () => {
    const { buildInstructorReport } = await import("@/lib/instructor/report");
    const { InstructorDashboard } = await import("@/components/instructor/dashboard");
    const report = await buildInstructorReport({ course: "imo-demo", period: "7d", embedder: null });
    const html = renderToStaticMarkup(createElement(InstructorDashboard, { report }));
    expect(html).toMatch(/data-testid="total-questions">6</);
    expect(html).toMatch(/data-label="Exercise 1.41" data-count="3"/);
    expect(html).toContain("how do I bake sourdough bread");
    expect(html).not.toContain("Insights are off");
    const off = await buildInstructorReport({ course: "la-demo", period: "all", embedder: null });
    const offHtml = renderToStaticMarkup(createElement(InstructorDashboard, { report: off }));
    expect(offHtml).toContain("Insights are off for this course");
    expect(offHtml).toMatch(/data-testid="total-questions">0</);
  });
});
