import { getEmbedder } from "../embed";
import { listCourseItems, requireSnapshot, resolveCourse } from "../store/read";
import type { CourseRow } from "../store/schema";
import { readFlaggedQuestions, readInsightColumns, type InsightColumns } from "./columns";
import { computeFigures, PERIODS, type Figures, type Period } from "./figures";
import { groupQuestions, type GroupEmbedder, type Grouping } from "./groups";
import { courseInsights, type CourseInsights } from "./settings";

/**
 * Everything the instructor page, its JSON API and its CSV show for one course and period: the figures of the
 * period's answered questions (lib/instructor/figures.ts) and the flagged questions grouped by wording
 * (lib/instructor/groups.ts). Server-only.
 */
export interface InstructorReport {
  course: { id: string; title: string };
  /** The course's insights settings as ingested; null when the course records nothing. */
  insights: CourseInsights | null;
  period: Period;
  /** ms since the epoch; null for "all". */
  since: number | null;
  until: number;
  figures: Figures;
  /** Questions the notes did not cover (scope "declined"). */
  notCovered: Grouping;
  /** Answers flagged ungrounded (no verified citation) or thumbed down. */
  flagged: Grouping;
  /** How the figures were read: for the benchmark and the page's footnote. */
  timings: { readMs: number; figuresMs: number; groupsMs: number };
}

/** Flagged questions grouped at most (the newest): grouping is quadratic in the worst case. */
export const GROUPED_MAX = 400;

/** Memoised query embeddings of flagged questions (the same questions come back on every page load). */
const embedded = ((globalThis as Record<string, unknown>).__tutorInstructorEmbeddings ??= new Map()) as Map<string, Float32Array>;
const EMBEDDED_MAX = 5000;

async function groupEmbedder(): Promise<GroupEmbedder | null> {
  const model = await getEmbedder().catch(() => null);
  if (!model) return null;
  return {
    modelId: model.modelId,
    async embed(texts) {
      const missing = [...new Set(texts.filter((t) => !embedded.has(`${model.modelId}\0${t}`)))];
      if (missing.length) {
        const vectors = await model.embed(missing, { prompt: "query" });
        missing.forEach((t, i) => embedded.set(`${model.modelId}\0${t}`, vectors[i]));
        while (embedded.size > EMBEDDED_MAX) embedded.delete(embedded.keys().next().value!);
      }
      return texts.map((t) => embedded.get(`${model.modelId}\0${t}`)!);
    },
  };
}

/** The time of the `max`-th newest flagged question (declined, ungrounded or thumbed down); null when none. */
function newestFlaggedTime(c: InsightColumns, max: number): number | null {
  const declined = c.dict.indexOf("declined");
  const down = c.dict.indexOf("down");
  const times: number[] = [];
  for (let r = 0; r < c.count; r++) {
    if ((declined >= 0 && c.scope[r] === declined) || c.grounded[r] === 0 || (down >= 0 && c.rating[r] === down)) times.push(c.time[r]);
  }
  if (!times.length) return null;
  times.sort((a, b) => b - a);
  return times[Math.min(max, times.length) - 1];
}

/** The report of `course` over `period` ending at `now`. Unknown course → `unknown-course` (404). */
export async function buildInstructorReport(opts: { db?: string; course: string; period: Period; now?: number; embedder?: GroupEmbedder | null }): Promise<InstructorReport> {
  const until = opts.now ?? Date.now();
  const days = PERIODS[opts.period];
  const since = days == null ? null : until - days * 86_400_000;
  const snap = await requireSnapshot(opts.db);
  const course: CourseRow = await resolveCourse(snap, opts.course);
  const range = { db: opts.db, course: course.id, since: since ?? undefined, until: until + 1 };
  const t0 = performance.now();
  const [items, columns] = await Promise.all([listCourseItems(snap, course.id), readInsightColumns(range)]);
  // The text columns are read only for the newest flagged questions: those the lists group.
  const newest = newestFlaggedTime(columns, GROUPED_MAX);
  const flaggedRows =
    newest == null ? [] : (await readFlaggedQuestions({ ...range, since: Math.max(newest, range.since ?? -Infinity) })).slice(0, GROUPED_MAX);
  const t1 = performance.now();
  const figures = computeFigures({ columns, items, since: since ?? undefined, until });
  const t2 = performance.now();
  const embedder = opts.embedder === undefined ? await groupEmbedder() : opts.embedder;
  const [notCovered, flagged] = await Promise.all([
    groupQuestions(flaggedRows.filter((q) => q.scope === "declined"), embedder),
    groupQuestions(flaggedRows.filter((q) => q.scope !== "declined" && (!q.grounded || q.rating === "down")), embedder),
  ]);
  const t3 = performance.now();
  return {
    course: { id: course.id, title: course.title },
    insights: courseInsights(course),
    period: opts.period,
    since,
    until,
    figures,
    notCovered,
    flagged,
    timings: { readMs: t1 - t0, figuresMs: t2 - t1, groupsMs: t3 - t2 },
  };
}
