import { loadOutline } from "../../app/api/outline/outline";
import { getEmbedder } from "../embed";
import { readInsightsColumn, type InsightsConfig } from "../insights/config";
import { buildInsightsReport, type InsightsReport, type ListedAnswer } from "../insights/report";
import { requireSnapshot, resolveCourse } from "../store/read";
import { readInsightRows, readQuestionTexts } from "./columns";
import { groupQuestions, type GroupEmbedder, type Grouping } from "./groups";

/**
 * Everything the instructor page, its JSON API and its CSV show for one course and period: the figures of
 * lib/insights/report.ts (the very ones `npm run insights` prints) over the rows read column-wise
 * (lib/instructor/columns.ts), plus the page's own views of them — the questions not covered and the flagged
 * answers grouped by wording (lib/instructor/groups.ts) and the heat scale's top at each outline level.
 * Server-only.
 */

export const PERIODS = { "7d": 7, "30d": 30, "120d": 120, all: null } as const;
export type Period = keyof typeof PERIODS;
export const DEFAULT_PERIOD: Period = "30d";

/** Listed answers kept (the newest) and grouped: the lists of 100,000 rows would be megabytes of JSON. */
export const LISTED_MAX = 400;

export interface InstructorReport extends Omit<InsightsReport, "notCovered" | "flagged"> {
  /** The course's insights settings as ingested; null when the course records nothing. */
  insights: InsightsConfig | null;
  periodName: Period;
  /** The newest LISTED_MAX of each list, and how many the period holds in all. */
  notCovered: ListedAnswer[];
  flagged: ListedAnswer[];
  counts: { notCovered: number; flagged: number };
  groups: { notCovered: Grouping; flagged: Grouping };
  /** The largest count at each level of the outline: the heat scale's top. */
  max: { chapter: number; section: number; item: number };
  /** Where the time went (the benchmark prints it). */
  timings: { readMs: number; reportMs: number; groupsMs: number };
}

/** Memoised query embeddings of listed questions (the same questions come back on every page load). */
const embedded = ((globalThis as Record<string, unknown>).__tutorInstructorEmbeddings ??= new Map()) as Map<string, Float32Array>;
const EMBEDDED_MAX = 5000;

async function groupEmbedder(): Promise<GroupEmbedder | null> {
  const model = await getEmbedder().catch(() => null);
  if (!model) return null;
  const key = (t: string) => `${model.modelId}\0${t}`;
  return {
    modelId: model.modelId,
    async embed(texts) {
      const missing = [...new Set(texts.filter((t) => !embedded.has(key(t))))];
      if (missing.length) {
        const vectors = await model.embed(missing, { prompt: "query" });
        missing.forEach((t, i) => embedded.set(key(t), vectors[i]));
        while (embedded.size > EMBEDDED_MAX) embedded.delete(embedded.keys().next().value!);
      }
      return texts.map((t) => embedded.get(key(t))!);
    },
  };
}

function maxCounts(report: InsightsReport): InstructorReport["max"] {
  const max = { chapter: 0, section: 0, item: 0 };
  for (const c of report.chapters) {
    max.chapter = Math.max(max.chapter, c.questions);
    for (const i of c.items) max.item = Math.max(max.item, i.questions);
    for (const s of c.sections) {
      max.section = Math.max(max.section, s.questions);
      for (const i of s.items) max.item = Math.max(max.item, i.questions);
    }
  }
  return max;
}

/**
 * The report of `course` over `period` ending at `now`. Unknown course → `unknown-course` (404).
 * `embedder`: for grouping; default the app's model when present (null: group by terms).
 */
export async function buildInstructorReport(opts: { db?: string; course: string; period: Period; now?: number; embedder?: GroupEmbedder | null }): Promise<InstructorReport> {
  const until = opts.now ?? Date.now();
  const days = PERIODS[opts.period];
  const since = days == null ? null : until - days * 86_400_000;
  const snap = await requireSnapshot(opts.db);
  const course = await resolveCourse(snap, opts.course);
  const t0 = performance.now();
  const [outline, rows] = await Promise.all([
    loadOutline({ course: course.id, db: opts.db }),
    readInsightRows({ db: opts.db, course: course.id, since, until: until + 1 }),
  ]);
  const t1 = performance.now();
  const report = buildInsightsReport(rows, outline, { since, until });
  const t2 = performance.now();
  const notCovered = report.notCovered.slice(0, LISTED_MAX);
  const flagged = report.flagged.slice(0, LISTED_MAX);
  // The texts of the listed questions only (the rows were read without them).
  const texts = await readQuestionTexts({ db: opts.db, course: course.id, answerIds: [...notCovered, ...flagged].map((a) => a.answerId) });
  for (const a of [...notCovered, ...flagged]) a.question = texts.get(a.answerId) ?? null;
  const embedder = opts.embedder === undefined ? await groupEmbedder() : opts.embedder;
  const [notCoveredGroups, flaggedGroups] = await Promise.all([groupQuestions(notCovered, embedder), groupQuestions(flagged, embedder)]);
  const t3 = performance.now();
  return {
    ...report,
    insights: readInsightsColumn(course.insights),
    periodName: opts.period,
    notCovered,
    flagged,
    counts: { notCovered: report.notCovered.length, flagged: report.flagged.length },
    groups: { notCovered: notCoveredGroups, flagged: flaggedGroups },
    max: maxCounts(report),
    timings: { readMs: t1 - t0, reportMs: t2 - t1, groupsMs: t3 - t2 },
  };
}
