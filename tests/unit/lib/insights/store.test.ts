import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  appendInsights,
  applyRetention,
  deleteInsightsOlderThan,
  flushInsights,
  insightTableExists,
  newAnswerId,
  queryInsights,
  recordFeedback,
  recordInsight,
  type InsightRow,
} from "@/lib/insights/store";

const dirs: string[] = [];
function freshDb(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "tutor-insights-"));
  dirs.push(dir);
  return path.join(dir, "db");
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const DAY = 86_400_000;
function row(over: Partial<InsightRow> = {}): InsightRow {
  return {
    answer_id: newAnswerId(),
    course: "c1",
    time: Date.now(),
    named: ["Exercise 1.41"],
    absent: [],
    retrieved: ["Section 1.6", "Section 1.5"],
    cited: ["Exercise 1.41", "Theorem 9.9"],
    verdicts: ["verified", "unknown"],
    grounded: true,
    scope: "in",
    hint: false,
    mode: "llm",
    rating: null,
    comment: null,
    question: null,
    ...over,
  };
}

describe("insights store (real LanceDB)", () => {
  it("creates no table until a row is flushed, then returns rows per course and period with their lists", async () => {
    const db = freshDb();
    expect(await insightTableExists(db)).toBe(false);
    await flushInsights(db);
    expect(await insightTableExists(db)).toBe(false);
    const a = row({ time: Date.now() - 3 * DAY });
    const b = row({ time: Date.now() - DAY, named: [], scope: "declined", grounded: false, cited: [], verdicts: [] });
    const other = row({ course: "c2" });
    recordInsight(a, { db });
    recordInsight(b, { db });
    recordInsight(other, { db });
    // Buffered rows are already visible to a query.
    expect((await queryInsights({ db, course: "c1" })).map((r) => r.answer_id)).toEqual([a.answer_id, b.answer_id]);
    await flushInsights(db);
    expect(await insightTableExists(db)).toBe(true);
    const rows = await queryInsights({ db, course: "c1" });
    expect(rows).toEqual([a, b]);
    expect((await queryInsights({ db, course: "c1", since: Date.now() - 2 * DAY })).map((r) => r.answer_id)).toEqual([b.answer_id]);
    expect((await queryInsights({ db, course: "c1", until: Date.now() - 2 * DAY })).map((r) => r.answer_id)).toEqual([a.answer_id]);
    expect((await queryInsights({ db, course: "c2" })).map((r) => r.answer_id)).toEqual([other.answer_id]);
    // Nothing in the period, or a course with no rows: an empty list.
    expect(await queryInsights({ db, course: "c1", since: Date.now() + DAY })).toEqual([]);
    expect(await queryInsights({ db, course: "none" })).toEqual([]);
  });

  it("sets feedback on a buffered row and on a stored one; an unknown answer id or another course is not found", async () => {
    const db = freshDb();
    const stored = row();
    recordInsight(stored, { db });
    await flushInsights(db);
    const buffered = row();
    recordInsight(buffered, { db });
    expect(await recordFeedback({ db, course: "c1", answerId: buffered.answer_id, rating: "up" })).toBe(true);
    expect(await recordFeedback({ db, course: "c1", answerId: stored.answer_id, rating: "down", comment: "  cites the wrong theorem " })).toBe(true);
    expect(await recordFeedback({ db, course: "c1", answerId: newAnswerId(), rating: "down" })).toBe(false);
    expect(await recordFeedback({ db, course: "c2", answerId: stored.answer_id, rating: "up" })).toBe(false);
    await flushInsights(db);
    const byId = new Map((await queryInsights({ db, course: "c1" })).map((r) => [r.answer_id, r]));
    expect(byId.get(stored.answer_id)).toMatchObject({ rating: "down", comment: "cites the wrong theorem" });
    expect(byId.get(buffered.answer_id)).toMatchObject({ rating: "up", comment: null });
    // A changed mind: the thumbs flip, the comment goes.
    expect(await recordFeedback({ db, course: "c1", answerId: stored.answer_id, rating: "up", comment: "" })).toBe(true);
    expect((await queryInsights({ db, course: "c1" })).find((r) => r.answer_id === stored.answer_id)).toMatchObject({ rating: "up", comment: null });
  });

  it("deletes rows past the retention period, of that course only", async () => {
    const db = freshDb();
    const old = row({ time: Date.now() - 200 * DAY });
    const recent = row({ time: Date.now() - 10 * DAY });
    const otherOld = row({ course: "c2", time: Date.now() - 200 * DAY });
    for (const r of [old, recent, otherOld]) recordInsight(r, { db });
    await flushInsights(db);
    const bufferedOld = row({ time: Date.now() - 150 * DAY });
    recordInsight(bufferedOld, { db });
    expect(await applyRetention({ db, course: "c1", retentionDays: 120 })).toBe(2);
    expect((await queryInsights({ db, course: "c1" })).map((r) => r.answer_id)).toEqual([recent.answer_id]);
    expect((await queryInsights({ db, course: "c2" })).map((r) => r.answer_id)).toEqual([otherOld.answer_id]);
    // At most once an hour per course unless forced.
    recordInsight(row({ time: Date.now() - 300 * DAY }), { db });
    expect(await applyRetention({ db, course: "c1", retentionDays: 120 })).toBe(0);
    expect(await applyRetention({ db, course: "c1", retentionDays: 120, force: true })).toBe(1);
    expect(await deleteInsightsOlderThan({ db, before: Date.now() })).toBe(2);
  });

  it("reads back thousands of rows over several appends exactly (lists of every length, nulls, non-ASCII)", async () => {
    const db = freshDb();
    const labels = ["Exercise 1.41", "Théorème 2.3", "Section 1.6", "Øvelse 3.1(b)", ""];
    const rows = Array.from({ length: 12_000 }, (_, i) =>
      row({
        time: 1_700_000_000_000 + i,
        named: labels.slice(0, i % 4),
        absent: i % 7 === 0 ? ["Exercise 9.99"] : [],
        cited: labels.slice(i % 3, (i % 3) + (i % 5)),
        verdicts: labels.slice(i % 3, (i % 3) + (i % 5)).map((_, j) => (j % 2 ? "unknown" : "verified")),
        rating: i % 11 === 0 ? "down" : null,
        comment: i % 22 === 0 ? `ça ne va pas ${i}` : null,
        question: i % 13 === 0 ? `Why $x^${i}$?` : null,
        grounded: i % 2 === 0,
        hint: i % 3 === 0,
      }),
    );
    for (let i = 0; i < rows.length; i += 5000) await appendInsights(rows.slice(i, i + 5000), { db });
    expect(await queryInsights({ db, course: "c1" })).toEqual(rows);
  });
});
