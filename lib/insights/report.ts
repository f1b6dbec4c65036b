import type { InsightRow } from "./schema";

/**
 * The instructor's figures over a course's recorded answers (issue 16): questions per chapter › section › item,
 * the most asked exercises, the questions the notes did not cover, the answers flagged ungrounded or given a
 * thumbs down, questions per ISO week. Pure and client-safe: `npm run insights` prints it, the instructor page
 * renders it — the same figures.
 *
 * What a question is about (its subjects): the labels it named (a follow-up's referent included); when it named
 * none, the labels its answer cited and the check verified; when none verified, the heading of the first passage
 * it was given. A question counts once in each chapter, section and item its subjects fall in.
 */

/** The course outline as `GET /api/outline` (and the chat page) gives it; only what the report reads. */
export interface ReportOutline {
  course: { id: string; title: string };
  chapters: {
    label: string;
    title: string;
    items: ReportOutlineItem[];
    sections: { label: string; title: string; items: ReportOutlineItem[] }[];
  }[];
}
export interface ReportOutlineItem {
  label: string;
  kind: string;
  title: string;
}

export interface ItemCount {
  label: string;
  kind: string;
  title: string;
  questions: number;
  thumbsDown: number;
}
export interface SectionCount {
  label: string;
  title: string;
  questions: number;
  items: ItemCount[];
}
export interface ChapterCount {
  label: string;
  title: string;
  questions: number;
  /** Items before the chapter's first section. */
  items: ItemCount[];
  sections: SectionCount[];
}

/** One answer as the lists show it. `question` is null unless the course keeps questions. */
export interface ListedAnswer {
  answerId: string;
  time: number;
  question: string | null;
  named: string[];
  absent: string[];
  cited: string[];
  verdicts: string[];
  scope: InsightRow["scope"];
  grounded: boolean;
  rating: InsightRow["rating"];
  comment: string | null;
  /** Why it is in the list: "declined" / "doubted" / "absent-label" (not covered); "ungrounded" / "thumbs-down" (flagged). */
  reasons: string[];
}

export interface WeekCount {
  /** ISO 8601 week, "2026-W49". */
  week: string;
  /** Monday of that week, "2026-11-30". */
  start: string;
  questions: number;
  notCovered: number;
  ungrounded: number;
  thumbsDown: number;
}

export interface InsightsReport {
  course: { id: string; title: string };
  /** ms since the epoch; `since` null = since the first row kept. */
  period: { since: number | null; until: number };
  totals: {
    questions: number;
    llm: number;
    noLlm: number;
    hint: number;
    grounded: number;
    ungrounded: number;
    declined: number;
    doubted: number;
    thumbsUp: number;
    thumbsDown: number;
    comments: number;
    /** Questions none of whose subjects is in the outline (e.g. a label the course lacks). */
    unplaced: number;
  };
  chapters: ChapterCount[];
  /** Exercises by questions, most first (ties in notes order), those asked at least once, at most `top`. */
  topExercises: ItemCount[];
  /** Declined or doubted by the scope check, or naming a label the course lacks; newest first. */
  notCovered: ListedAnswer[];
  /** Ungrounded answers (an LLM answer whose citations none verified) and thumbs down; newest first. */
  flagged: ListedAnswer[];
  /** Every ISO week from the first to the last question, empty weeks included. */
  weeks: WeekCount[];
}

const DAY_MS = 86_400_000;

/** Subjects of a recorded question (see the module comment). */
export function subjectsOf(row: InsightRow): string[] {
  if (row.named.length) return row.named;
  const verified = row.cited.filter((_, i) => row.verdicts[i] === "verified");
  if (verified.length) return [...new Set(verified)];
  return row.retrieved.slice(0, 1);
}

/** Flagged as ungrounded: an answer that cites, or should have (not declined), and whose citations none verified. */
export function isUngrounded(row: InsightRow): boolean {
  return row.mode === "llm" && !row.grounded && !(row.scope === "declined" && row.cited.length === 0);
}

export function isNotCovered(row: InsightRow): boolean {
  return row.scope !== "in" || row.absent.length > 0;
}

/** isoWeek by UTC day: every row asks, and 100,000 rows fall on a few hundred days (bench:instructor). */
const weekOfDay = new Map<number, { week: string; start: string }>();

/** ISO 8601 week of a UTC time: "2026-W49", and its Monday. */
export function isoWeek(time: number): { week: string; start: string } {
  const day = Math.floor(time / DAY_MS);
  let w = weekOfDay.get(day);
  if (!w) {
    w = isoWeekOfDay(time);
    if (weekOfDay.size > 100_000) weekOfDay.clear();
    weekOfDay.set(day, w);
  }
  return w;
}

function isoWeekOfDay(time: number): { week: string; start: string } {
  const d = new Date(time);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - day * DAY_MS;
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { week: `${year}-W${String(week).padStart(2, "0")}`, start: new Date(monday).toISOString().slice(0, 10) };
}

function listed(row: InsightRow, reasons: string[]): ListedAnswer {
  return {
    answerId: row.answer_id,
    time: row.time,
    question: row.question,
    named: row.named,
    absent: row.absent,
    cited: row.cited,
    verdicts: row.verdicts,
    scope: row.scope,
    grounded: row.grounded,
    rating: row.rating,
    comment: row.comment,
    reasons,
  };
}

export function buildInsightsReport(
  rows: readonly InsightRow[],
  outline: ReportOutline,
  opts: { since?: number | null; until?: number; top?: number } = {},
): InsightsReport {
  // Where each label sits: its chapter, section (if any) and item (if it is one).
  type Place = { chapter: ChapterCount; section?: SectionCount; item?: ItemCount };
  const places = new Map<string, Place>();
  const item = (i: ReportOutlineItem): ItemCount => ({ label: i.label, kind: i.kind, title: i.title, questions: 0, thumbsDown: 0 });
  const chapters: ChapterCount[] = outline.chapters.map((c) => {
    const chapter: ChapterCount = { label: c.label, title: c.title, questions: 0, items: c.items.map(item), sections: [] };
    places.set(c.label, { chapter });
    for (const it of chapter.items) places.set(it.label, { chapter, item: it });
    for (const s of c.sections) {
      const section: SectionCount = { label: s.label, title: s.title, questions: 0, items: s.items.map(item) };
      chapter.sections.push(section);
      places.set(s.label, { chapter, section });
      for (const it of section.items) places.set(it.label, { chapter, section, item: it });
    }
    return chapter;
  });
  // A subsection ("Subsection 1.6.2") is not in the outline: it counts for the section whose number starts it.
  const sectionByNumber = new Map<string, Place>();
  for (const c of chapters) for (const s of c.sections) sectionByNumber.set(s.label.replace(/^\S+\s+/, ""), { chapter: c, section: s });
  const placeOf = (label: string): Place | undefined => {
    const exact = places.get(label);
    if (exact) return exact;
    const number = /\s(\d+(?:\.\d+)+)$/.exec(label)?.[1];
    for (let n = number; n && n.includes("."); n = n.slice(0, n.lastIndexOf("."))) {
      const p = sectionByNumber.get(n);
      if (p) return p;
    }
    return undefined;
  };

  const totals: InsightsReport["totals"] = { questions: 0, llm: 0, noLlm: 0, hint: 0, grounded: 0, ungrounded: 0, declined: 0, doubted: 0, thumbsUp: 0, thumbsDown: 0, comments: 0, unplaced: 0 };
  const notCovered: ListedAnswer[] = [];
  const flagged: ListedAnswer[] = [];
  const weeks = new Map<string, WeekCount>();
  for (const row of rows) {
    totals.questions++;
    if (row.mode === "llm") totals.llm++;
    else totals.noLlm++;
    if (row.hint) totals.hint++;
    if (row.grounded) totals.grounded++;
    const ungrounded = isUngrounded(row);
    if (ungrounded) totals.ungrounded++;
    if (row.scope === "declined") totals.declined++;
    if (row.scope === "doubted") totals.doubted++;
    if (row.rating === "up") totals.thumbsUp++;
    if (row.rating === "down") totals.thumbsDown++;
    if (row.comment) totals.comments++;

    const seen = new Set<object>();
    for (const label of subjectsOf(row)) {
      const p = placeOf(label);
      if (!p) continue;
      for (const node of [p.chapter, p.section, p.item]) {
        if (!node || seen.has(node)) continue;
        seen.add(node);
        node.questions++;
        if (node === p.item && row.rating === "down") p.item.thumbsDown++;
      }
    }
    if (!seen.size) totals.unplaced++;

    const notCoveredReasons = [...(row.scope !== "in" ? [row.scope] : []), ...(row.absent.length ? ["absent-label"] : [])];
    if (notCoveredReasons.length) notCovered.push(listed(row, notCoveredReasons));
    const flags = [...(ungrounded ? ["ungrounded"] : []), ...(row.rating === "down" ? ["thumbs-down"] : [])];
    if (flags.length) flagged.push(listed(row, flags));

    const w = isoWeek(row.time);
    const week = weeks.get(w.week) ?? { ...w, questions: 0, notCovered: 0, ungrounded: 0, thumbsDown: 0 };
    week.questions++;
    if (notCoveredReasons.length) week.notCovered++;
    if (ungrounded) week.ungrounded++;
    if (row.rating === "down") week.thumbsDown++;
    weeks.set(w.week, week);
  }

  const exercises = chapters.flatMap((c) => [...c.items, ...c.sections.flatMap((s) => s.items)]).filter((i) => i.kind === "exercise" && i.questions > 0);
  const topExercises = exercises
    .map((e, ord) => ({ e, ord }))
    .sort((a, b) => b.e.questions - a.e.questions || a.ord - b.ord)
    .slice(0, opts.top ?? 10)
    .map(({ e }) => e);
  const newestFirst = (a: ListedAnswer, b: ListedAnswer) => b.time - a.time;

  return {
    course: { id: outline.course.id, title: outline.course.title },
    period: { since: opts.since ?? null, until: opts.until ?? Date.now() },
    totals,
    chapters,
    topExercises,
    notCovered: notCovered.sort(newestFirst),
    flagged: flagged.sort(newestFirst),
    weeks: fillWeeks([...weeks.values()]),
  };
}

/** The weeks from the first to the last, in order, with the empty ones in between. */
function fillWeeks(found: WeekCount[]): WeekCount[] {
  if (!found.length) return [];
  const byWeek = new Map(found.map((w) => [w.week, w]));
  const starts = found.map((w) => Date.parse(`${w.start}T00:00:00Z`));
  const out: WeekCount[] = [];
  for (let t = Math.min(...starts); t <= Math.max(...starts); t += 7 * DAY_MS) {
    const w = isoWeek(t);
    out.push(byWeek.get(w.week) ?? { ...w, questions: 0, notCovered: 0, ungrounded: 0, thumbsDown: 0 });
  }
  return out;
}

/** "30d", "12w", "6m" (30-day months), "1y", or an ISO date → a start time (ms); throws a message on anything else. */
export function parseSince(value: string, now = Date.now()): number {
  const m = /^(\d+)\s*([dwmy])$/i.exec(value.trim());
  if (m) {
    const days = Number(m[1]) * { d: 1, w: 7, m: 30, y: 365 }[m[2].toLowerCase() as "d" | "w" | "m" | "y"];
    return now - days * DAY_MS;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return t;
  }
  throw new Error(`--since must be a period such as 30d, 12w, 6m or 1y, or a date such as 2026-09-01 (got "${value}")`);
}
