/**
 * The solutions policy in a real LanceDB store (a temp dir), in process: the store keeps the notes whole and
 * the policy beside them; its readers withhold until the release day and show the solution from that day on,
 * within one snapshot (no re-ingest). The clock is the only thing faked (Date), to cross the release day.
 */
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { lookupCitation } from "@/lib/cite/lookup";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { findPassages } from "@/lib/retrieve/search";
import * as lancedb from "@lancedb/lancedb";
import { getPassages, invalidateSnapshots, listCourseItems, listCoursePassages, listCourses, requireSnapshot } from "@/lib/store/read";
import { manifestSchema, TABLES, type ManifestRow } from "@/lib/store/schema";
import { prepareTurn } from "@/lib/tutor/answer";
import { fixtureExercises, POLICY_COURSE, POLICY_COURSE_ID } from "../support/policy-fixture";
import { tempDir } from "./helpers";

describe("release dates against a real store", () => {
  const tmp = tempDir();
  const db = path.join(tmp.dir, "db");
  const ex = fixtureExercises().get("Exercise 1.2")!;
  const fragment = ex.solution[0];

  beforeAll(async () => {
    const summary = await ingestCourse({ tex: "none", path: POLICY_COURSE, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
    expect(summary.errors).toEqual([]);
  }, 120_000);
  afterEach(() => vi.useRealTimers());
  afterAll(() => tmp.cleanup());

  const at = (iso: string) => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(iso));
  };

  it("stores the notes whole and the policy with the course", async () => {
    const snap = await requireSnapshot(db);
    const [course] = await listCourses(snap);
    expect(JSON.parse(course.policy!)["Exercise 1.2"]).toEqual({ solutions: "hints-only", from: "Exercise 1.2", release: "2099-12-12" });
    const stored = await getPassages(snap, ["policy-demo/Section 1.1#0"]);
    expect(stored[0].text).toContain(fragment);
  });

  it("withholds Exercise 1.2's solution until 12 Dec 2099 and shows it from that day, in items, passages, citations, search and the prompt", async () => {
    const snap = await requireSnapshot(db);
    const seen = async () => {
      const items = await listCourseItems(snap, POLICY_COURSE_ID);
      const passages = await listCoursePassages(snap, POLICY_COURSE_ID);
      const cited = await lookupCitation({ ref: "Exercise 1.2", course: POLICY_COURSE_ID, db });
      const search = await findPassages({ question: "Exercise 1.2 distributive law reverse inclusion", course: POLICY_COURSE_ID, db, k: 5 });
      const turn = await prepareTurn({ question: "Solve Exercise 1.2 for me", course: POLICY_COURSE_ID, db });
      return {
        item: items.find((i) => i.label === "Exercise 1.2")!.text,
        section: items.find((i) => i.label === "Section 1.1")!.text,
        passages: passages.map((p) => p.text).join("\n"),
        cited: cited.status === "found" ? cited.item.text : "",
        search: search.results.map((r) => r.text).join("\n"),
        system: turn.system,
        hint: turn.hint,
        notice: turn.withheld?.message ?? "",
      };
    };

    at("2099-12-11T23:59:00Z");
    const before = await seen();
    for (const [where, text] of Object.entries(before)) if (typeof text === "string" && where !== "notice") expect(text, where).not.toContain(fragment);
    expect(before.cited).toContain("Solution withheld: Your instructor releases the solution to Exercise 1.2 on 12 Dec.");
    expect(before.hint).toBe(true);
    expect(before.notice).toBe("Your instructor releases the solution to Exercise 1.2 on 12 Dec. The tutor answers in hint mode: hints and guiding questions, no full solution.");
    const withheldLine = (system: string) => /^The instructor has not released the solutions to .*$/m.exec(system)?.[0] ?? "";
    expect(withheldLine(before.system)).toContain("[Exercise 1.2]");

    at("2099-12-12T00:00:00Z");
    const after = await seen();
    for (const where of ["item", "section", "passages", "cited", "search", "system"] as const) expect(after[where], where).toContain(fragment);
    expect(after.hint).toBe(false);
    expect(after.notice).toBe("");
    expect(withheldLine(after.system)).not.toContain("[Exercise 1.2]");
  });

  it("a store written before the policy column reads as every exercise open, and the next ingest adds it", async () => {
    const conn = await lancedb.connect(db);
    const courses = await conn.openTable(TABLES.courses);
    await courses.dropColumns(["policy"]);
    const manifest = await conn.openTable(TABLES.manifest);
    const rows = (await manifest.query().toArray()) as ManifestRow[];
    const last = rows.sort((a, b) => b.seq - a.seq)[0];
    await manifest.add(lancedb.makeArrowTable([{ ...last, seq: last.seq + 1, courses_version: await courses.version() } as unknown as Record<string, unknown>], { schema: manifestSchema }));
    invalidateSnapshots(db);
    const old = await lookupCitation({ ref: "Exercise 1.2", course: POLICY_COURSE_ID, db });
    expect(old.status === "found" && old.item.text).toContain(fragment);

    await ingestCourse({ tex: "none", path: POLICY_COURSE, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
    invalidateSnapshots(db);
    const fresh = await lookupCitation({ ref: "Exercise 1.2", course: POLICY_COURSE_ID, db });
    expect(fresh.status === "found" && fresh.item.text).not.toContain(fragment);
  });
});
