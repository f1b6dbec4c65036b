import { Bool, Field, Float64, List, Schema, Utf8 } from "apache-arrow";

/**
 * The `insights` table: one row per answered question of a course whose course.json turns insights on
 * (issue 16). A table of its own beside the course tables, never named by the manifest (lib/store/schema.ts
 * `TABLES`): an ingest neither versions it nor rolls it back, and `--rebuild` does not drop it.
 * Nothing identifies a student: no account, address, user agent or conversation id.
 */
export const INSIGHTS_TABLE = "insights";

const labels = (name: string) => new Field(name, new List(new Field("item", new Utf8(), true)), false);

export const insightsSchema = new Schema([
  /** Random per answer (not a conversation id): what the browser names when it sends feedback. */
  new Field("answer_id", new Utf8(), false),
  new Field("course", new Utf8(), false),
  /** When the answer finished, milliseconds since the epoch (UTC). */
  new Field("time", new Float64(), false),
  /** Labels the question named (and a follow-up's referent), as the course prints them: "Exercise 1.41". */
  labels("named"),
  /** Labels the question named that the course does not have ("Exercise 9.99"). */
  labels("absent"),
  /** The heading labels of the passages the answer was given, best first. */
  labels("retrieved"),
  /** The labels the answer cited, in the order written; `verdicts[i]` is `cited[i]`'s verdict. */
  labels("cited"),
  /** "verified" | "not-retrieved" | "unknown" (lib/tutor/contract.ts `CitationVerdict`). */
  labels("verdicts"),
  /** At least one citation verified. */
  new Field("grounded", new Bool(), false),
  /** "in" | "doubted" (retrieval unsure the notes cover it) | "declined" (the notes do not cover it). */
  new Field("scope", new Utf8(), false),
  new Field("hint", new Bool(), false),
  /** "llm" | "no-llm": who wrote the answer. */
  new Field("mode", new Utf8(), false),
  /** The student's thumbs: "up" | "down"; null until feedback arrives. */
  new Field("rating", new Utf8(), true),
  /** The student's optional comment with the thumbs; null when none. */
  new Field("comment", new Utf8(), true),
  /** The question's text, only when the course's `insights.keepQuestions` is true; else null. */
  new Field("question", new Utf8(), true),
]);

export type InsightScope = "in" | "doubted" | "declined";
export type InsightRating = "up" | "down";

/** One recorded answer (a row of `insights`), as the store module hands it out. */
export interface InsightRow {
  answer_id: string;
  course: string;
  /** ms since the epoch. */
  time: number;
  named: string[];
  absent: string[];
  retrieved: string[];
  cited: string[];
  verdicts: string[];
  grounded: boolean;
  scope: InsightScope;
  hint: boolean;
  mode: "llm" | "no-llm";
  rating: InsightRating | null;
  comment: string | null;
  question: string | null;
}
