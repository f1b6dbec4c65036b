import type { InstructorReport } from "./report";

/**
 * The instructor report as one tidy CSV (RFC 4180, CRLF), a row per figure, filterable by its `kind`:
 * `total`, `chapter`, `section`, `item` (every item of the outline, zeros included), `exercise` (the most
 * asked), `week` (label: ISO week, title: its Monday), `not-covered` and `flagged` (groups of similar questions). Students' words are data: a cell
 * that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with an apostrophe.
 */
export const CSV_COLUMNS = ["kind", "label", "title", "parent", "questions", "not_covered", "ungrounded", "thumbs_down", "terms", "example"] as const;

type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string | number>>;

export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function reportCsv(report: InstructorReport): string {
  const rows: CsvRow[] = [];
  const { totals, chapters, topExercises, weeks } = report;
  rows.push({
    kind: "total",
    label: report.course.id,
    title: report.course.title,
    parent: report.periodName,
    questions: totals.questions,
    not_covered: report.counts.notCovered,
    ungrounded: totals.ungrounded,
    thumbs_down: totals.thumbsDown,
  });
  for (const ch of chapters) {
    rows.push({ kind: "chapter", label: ch.label, title: ch.title, questions: ch.questions });
    for (const i of ch.items) rows.push({ kind: "item", label: i.label, title: i.title, parent: ch.label, questions: i.questions, thumbs_down: i.thumbsDown });
    for (const s of ch.sections) {
      rows.push({ kind: "section", label: s.label, title: s.title, parent: ch.label, questions: s.questions });
      for (const i of s.items) rows.push({ kind: "item", label: i.label, title: i.title, parent: s.label, questions: i.questions, thumbs_down: i.thumbsDown });
    }
  }
  for (const e of topExercises) rows.push({ kind: "exercise", label: e.label, title: e.title, questions: e.questions, thumbs_down: e.thumbsDown });
  for (const w of weeks) {
    rows.push({ kind: "week", label: w.week, title: w.start, questions: w.questions, not_covered: w.notCovered, ungrounded: w.ungrounded, thumbs_down: w.thumbsDown });
  }
  for (const [kind, grouping] of [["not-covered", report.groups.notCovered], ["flagged", report.groups.flagged]] as const) {
    for (const g of grouping.groups) {
      rows.push({ kind, label: g.labels.join("; "), questions: g.count, terms: g.terms.join(" "), example: g.example });
    }
  }
  const lines = [CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

/** The download's file name: `<course>-questions-<period>-<YYYY-MM-DD>.csv`, safe in a header. */
export function csvFileName(report: InstructorReport): string {
  const id = report.course.id.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 60) || "course";
  return `${id}-questions-${report.periodName}-${new Date(report.period.until).toISOString().slice(0, 10)}.csv`;
}
