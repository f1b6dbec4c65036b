import { describe, expect, it } from "vitest";
import { buildInsightsReport, isoWeek, parseSince, subjectsOf, type ReportOutline } from "@/lib/insights/report";
import type { InsightRow } from "@/lib/insights/schema";

const outline: ReportOutline = {
  course: { id: "c", title: "C" },
  chapters: [
    {
      label: "Chapter 1",
      title: "One",
      items: [{ label: "Definition 1.1", kind: "definition", title: "" }],
      sections: [
        { label: "Section 1.1", title: "A", items: [{ label: "Exercise 1.2", kind: "exercise", title: "" }, { label: "Exercise 1.3", kind: "exercise", title: "Hard" }] },
        { label: "Section 1.2", title: "B", items: [{ label: "Theorem 1.4", kind: "theorem", title: "" }] },
      ],
    },
    { label: "Chapter 2", title: "Two", items: [], sections: [{ label: "Section 2.1", title: "C", items: [{ label: "Exercise 2.1", kind: "exercise", title: "" }] }] },
  ],
};

let n = 0;
const T0 = Date.UTC(2026, 10, 30, 12); // Monday of 2026-W49
function row(over: Partial<InsightRow>): InsightRow {
  return { answer_id: `a${n++}`, course: "c", time: T0, named: [], absent: [], retrieved: [], cited: [], verdicts: [], grounded: true, scope: "in", hint: false, mode: "llm", rating: null, comment: null, question: null, ...over };
}

describe("insights report", () => {
  it("a question's subjects: what it named, else what its answer cited and the check verified, else the first passage", () => {
    expect(subjectsOf(row({ named: ["Exercise 1.2"], cited: ["Theorem 1.4"], verdicts: ["verified"] }))).toEqual(["Exercise 1.2"]);
    expect(subjectsOf(row({ cited: ["Theorem 9.9", "Theorem 1.4"], verdicts: ["unknown", "verified"], retrieved: ["Section 2.1"] }))).toEqual(["Theorem 1.4"]);
    expect(subjectsOf(row({ cited: ["Theorem 9.9"], verdicts: ["unknown"], retrieved: ["Section 2.1", "Section 1.1"] }))).toEqual(["Section 2.1"]);
  });

  it("counts each question once per chapter, section and item; ranks exercises; lists not covered and flagged; fills weeks", () => {
    const W = 7 * 86_400_000;
    const rows = [
      row({ named: ["Exercise 1.2", "Exercise 1.3"], rating: "down", comment: "wrong" }),
      row({ named: ["Exercise 1.3"], time: T0 + 1000 }),
      row({ named: ["Exercise 1.3"], hint: true, time: T0 - 2 * W }),
      row({ retrieved: ["Subsection 1.2.1"], grounded: false }), // ungrounded, placed by its subsection's section
      row({ scope: "declined", mode: "no-llm", grounded: false }), // not covered, not flagged (no-LLM)
      row({ named: [], absent: ["Exercise 9.9"], scope: "doubted", grounded: false, cited: ["Exercise 9.9"], verdicts: ["unknown"], question: "What is 9.9?" }),
      row({ named: ["Definition 1.1"], rating: "up", mode: "no-llm" }),
    ];
    const r = buildInsightsReport(rows, outline, { since: null, until: T0 + W });
    expect(r.totals).toMatchObject({ questions: 7, llm: 5, noLlm: 2, hint: 1, ungrounded: 2, declined: 1, doubted: 1, thumbsUp: 1, thumbsDown: 1, comments: 1, unplaced: 2 });
    const [c1, c2] = r.chapters;
    expect(c1.questions).toBe(5);
    expect(c1.items[0]).toMatchObject({ label: "Definition 1.1", questions: 1 });
    expect(c1.sections.map((s) => [s.label, s.questions])).toEqual([["Section 1.1", 3], ["Section 1.2", 1]]);
    expect(c1.sections[0].items.map((i) => [i.label, i.questions, i.thumbsDown])).toEqual([["Exercise 1.2", 1, 1], ["Exercise 1.3", 3, 1]]);
    expect(c2.questions).toBe(0);
    expect(r.topExercises.map((e) => [e.label, e.questions])).toEqual([["Exercise 1.3", 3], ["Exercise 1.2", 1]]);
    expect(r.notCovered.map((a) => a.reasons)).toEqual([["declined"], ["doubted", "absent-label"]]);
    expect(r.notCovered[1].question).toBe("What is 9.9?");
    expect(r.flagged.map((a) => a.reasons.join("+")).sort()).toEqual(["thumbs-down", "ungrounded", "ungrounded"]);
    expect(r.weeks.map((w) => [w.week, w.questions])).toEqual([["2026-W47", 1], ["2026-W48", 0], ["2026-W49", 6]]);
    expect(r.weeks[2]).toMatchObject({ start: "2026-11-30", notCovered: 2, ungrounded: 2, thumbsDown: 1 });
  });

  it("ISO weeks across year ends, and --since periods", () => {
    expect(isoWeek(Date.UTC(2026, 11, 31)).week).toBe("2026-W53");
    expect(isoWeek(Date.UTC(2027, 0, 3)).week).toBe("2026-W53");
    expect(isoWeek(Date.UTC(2027, 0, 4))).toEqual({ week: "2027-W01", start: "2027-01-04" });
    expect(isoWeek(Date.UTC(2024, 11, 30)).week).toBe("2025-W01");
    const now = Date.UTC(2026, 11, 1);
    expect(parseSince("30d", now)).toBe(now - 30 * 86_400_000);
    expect(parseSince("2w", now)).toBe(now - 14 * 86_400_000);
    expect(parseSince("2026-09-01", now)).toBe(Date.UTC(2026, 8, 1));
    expect(() => parseSince("last month", now)).toThrow(/--since must be a period such as 30d/);
  });
});
