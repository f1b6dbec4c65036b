import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { flushInsights, newAnswerId, recordInsight, type InsightRow } from "@/lib/insights/store";
import { withCourseJson } from "../support/insights";
import { copyDemoCourse, runCli, tempDir } from "./helpers";

/** `npm run insights` in a child process over a seeded insights table of the demo course. */

const tmp = tempDir();
const db = path.join(tmp.dir, "db");
const DAY = 86_400_000;
const now = Date.now();
const seeded: InsightRow[] = [];
function seed(over: Partial<InsightRow>): void {
  const row: InsightRow = { answer_id: newAnswerId(), course: "imo-demo", time: now - DAY, named: [], absent: [], retrieved: [], cited: [], verdicts: [], grounded: true, scope: "in", hint: false, mode: "llm", rating: null, comment: null, question: null, ...over };
  seeded.push(row);
  recordInsight(row, { db });
}

beforeAll(async () => {
  const dir = copyDemoCourse(tmp.dir);
  withCourseJson(dir, { insights: { keepQuestions: true } });
  await ingestCourse({ tex: "none", path: dir, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
  for (let i = 0; i < 4; i++) seed({ named: ["Exercise 1.41"], cited: ["Exercise 1.41"], verdicts: ["verified"], rating: i === 0 ? "down" : null, comment: i === 0 ? "too vague" : null });
  for (let i = 0; i < 2; i++) seed({ named: ["Exercise 2.3"], time: now - 10 * DAY });
  seed({ scope: "declined", grounded: false, question: "Best bouillabaisse?" });
  seed({ cited: ["Theorem 9.99"], verdicts: ["unknown"], grounded: false, retrieved: ["Section 1.6"] });
  seed({ named: ["Exercise 1.41"], time: now - 60 * DAY }); // outside --since 30d
  seed({ named: ["Exercise 1.41"], course: "other" }); // another course
  await flushInsights(db);
}, 180_000);
afterAll(() => tmp.cleanup());

describe("npm run insights", () => {
  it("--json: the figures of the seeded rows for the period", () => {
    const r = runCli("insights", ["--course", "imo-demo", "--since", "30d", "--db", db, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.insights).toEqual({ keepQuestions: true, retentionDays: 120 });
    expect(report.totals).toMatchObject({ questions: 8, ungrounded: 1, declined: 1, thumbsDown: 1, comments: 1, unplaced: 1 });
    expect(report.topExercises.map((e: { label: string; questions: number }) => [e.label, e.questions])).toEqual([["Exercise 1.41", 4], ["Exercise 2.3", 2]]);
    const ch1 = report.chapters.find((c: { label: string }) => c.label === "Chapter 1");
    expect(ch1.questions).toBe(5); // four on Exercise 1.41, one placed by its first passage (Section 1.6)
    expect(ch1.sections.find((s: { label: string }) => s.label === "Section 1.6").questions).toBe(5);
    expect(report.notCovered.map((a: { question: string }) => a.question)).toEqual(["Best bouillabaisse?"]);
    // The thumbs down and the answer citing only a label the notes lack; the declined answer cited nothing and says so.
    expect(report.flagged.map((a: { reasons: string[] }) => a.reasons.join("+")).sort()).toEqual(["thumbs-down", "ungrounded"]);
    expect(report.weeks.reduce((n: number, w: { questions: number }) => n + w.questions, 0)).toBe(8);
  }, 120_000);

  it("prints the same figures as text; without --since every row kept counts", () => {
    const r = runCli("insights", ["--course", "imo-demo", "--db", db]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^9 questions: 9 answered by the LLM, 0 without/m);
    expect(r.stdout).toMatch(/^ {6}Exercise 1\.41 +5 {2}\(1 thumbs down\)$/m);
    expect(r.stdout).toMatch(/^ +1\. Exercise 1\.41: 5 questions {2}\(1 thumbs down\)$/m);
    expect(r.stdout).toMatch(/declined: "Best bouillabaisse\?"/);
    expect(r.stdout).toMatch(/thumbs-down: .*\n {6}cited Exercise 1\.41 \(verified\); comment: "too vague"/);
    expect(r.stdout).toMatch(/^Questions per ISO week\n {2}\d{4}-W\d\d \(from \d{4}-\d\d-\d\d\) +1 /m);
  }, 120_000);

  it("bad usage: exit 2 with the reason; an unknown course: exit 1 with the known ones", () => {
    const since = runCli("insights", ["--course", "imo-demo", "--since", "last month", "--db", db]);
    expect(since.status).toBe(2);
    expect(since.stderr).toMatch(/--since must be a period such as 30d/);
    expect(runCli("insights", ["--db", db]).stderr).toMatch(/missing --course/);
    const unknown = runCli("insights", ["--course", "nope", "--db", db]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/Unknown course "nope"/);
  }, 120_000);
});
