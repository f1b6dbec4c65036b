import type { InsightRow } from "../../lib/insights/schema";
import { appendInsights } from "../../lib/insights/store";
import type { ItemRow } from "../../lib/store/schema";
import { prng } from "./prng";

/**
 * Recorded questions for tests and benchmarks, written into a real store's insights table by the insights
 * store's own `appendInsights`, in a few large appends — recording 100,000 answers one by one through the
 * chat's buffered writer would take minutes and test the writer, not the page.
 */



const OFF_TOPIC = ["how do I bake sourdough bread", "who won the world cup in 2018", "best pizza dough recipe with sourdough", "which football team won the world cup"];

/**
 * `count` rows of `course` spread over the `days` before `now`: about half name an exercise (skewed towards a
 * few), most cite and retrieve a section, some are out of scope, ungrounded or thumbed down.
 */
export function makeInsightRows(opts: { course: string; items: ItemRow[]; count: number; now: number; days: number; seed?: number; keepQuestions?: boolean }): InsightRow[] {
  const rand = prng(opts.seed ?? 1);
  const exercises = opts.items.filter((i) => i.kind === "exercise");
  const sections = opts.items.filter((i) => i.kind === "section");
  const rows: InsightRow[] = [];
  for (let n = 0; n < opts.count; n++) {
    // Skewed: the square of a uniform number favours the first exercises.
    const ex = exercises[Math.floor(rand() * rand() * exercises.length)];
    const sec = sections.find((s) => s.label === ex?.section) ?? sections[Math.floor(rand() * sections.length)];
    const u = rand();
    const scope: InsightRow["scope"] = u < 0.07 ? "declined" : u < 0.15 ? "doubted" : "in";
    const namesExercise = scope !== "declined" && !!ex && rand() < 0.5;
    const grounded = scope !== "declined" && rand() < 0.8;
    const r = rand();
    const rating: InsightRow["rating"] = r < 0.05 ? "down" : r < 0.15 ? "up" : null;
    const question =
      scope === "declined" ? OFF_TOPIC[Math.floor(rand() * OFF_TOPIC.length)] : namesExercise ? `how do I start ${ex.label}?` : `what does ${sec?.title ?? "this"} mean?`;
    rows.push({
      answer_id: `seed-${opts.seed ?? 1}-${n}`,
      course: opts.course,
      time: opts.now - Math.floor(rand() * opts.days * 86_400_000),
      named: namesExercise ? [ex.label] : [],
      absent: [],
      retrieved: scope === "declined" || !sec ? [] : [sec.label],
      cited: grounded && sec ? [namesExercise ? ex.label : sec.label] : [],
      verdicts: grounded && sec ? ["verified"] : [],
      grounded,
      scope,
      hint: rand() < 0.3,
      mode: "llm",
      rating,
      comment: rating === "down" && rand() < 0.5 ? "the answer skipped a step" : null,
      question: opts.keepQuestions ? question : null,
    });
  }
  return rows;
}

/** Appends `rows` to the store's insights table (created when missing), `batch` rows per append. */
export async function seedInsights(db: string, rows: InsightRow[], batch = 25_000): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) await appendInsights(rows.slice(i, i + batch), { db });
}
