import type { AnswerOutcome, PreparedTurn } from "../tutor/answer";
import { log } from "../log";
import type { InsightsConfig } from "./config";
import type { InsightRow, InsightScope } from "./schema";
import { applyRetention, recordInsight } from "./store";

/**
 * One answered question → its insights row (pure). Labels and verdicts only; the question's text only when
 * the course keeps questions. Nothing about the student or the conversation.
 */
export function insightRowOf(turn: PreparedTurn, outcome: AnswerOutcome, opts: { answerId: string; config: InsightsConfig; now?: number }): InsightRow {
  const { search } = turn;
  const scope: InsightScope = search.outOfScope ? "declined" : search.scope?.verdict === "unsure" ? "doubted" : "in";
  return {
    answer_id: opts.answerId,
    course: turn.course.id,
    time: opts.now ?? Date.now(),
    named: search.named ?? [],
    absent: search.absent.map((a) => a.label),
    retrieved: [...new Set(search.results.map((r) => r.label))],
    cited: outcome.citations.citations.map((c) => c.label),
    verdicts: outcome.citations.citations.map((c) => c.verdict),
    grounded: outcome.citations.grounded,
    scope,
    hint: turn.hint,
    mode: outcome.mode,
    rating: null,
    comment: null,
    question: opts.config.keepQuestions ? turn.question : null,
  };
}

/**
 * Records one answered question (buffered: the answer never waits for the store) and, at most once an hour
 * per course, deletes the course's rows past its retention period.
 */
export function recordAnswered(turn: PreparedTurn, outcome: AnswerOutcome, opts: { answerId: string; config: InsightsConfig; db?: string }): void {
  recordInsight(insightRowOf(turn, outcome, opts), { db: opts.db });
  applyRetention({ db: opts.db, course: turn.course.id, retentionDays: opts.config.retentionDays }).catch((e: Error) =>
    log.warn({ err: e.message }, "insights: retention check failed"),
  );
}
