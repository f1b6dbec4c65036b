import { Field, FixedSizeList, Float32, Int32, List, Schema, Utf8 } from "apache-arrow";

/** Table names. Data tables are only ever read at the versions the newest manifest row names. */
export const TABLES = { passages: "passages", items: "items", courses: "courses", manifest: "manifest" } as const;

/** Dimension used for the vector column when the store is created without a model (e5-small-v2's). */
export const DEFAULT_DIMENSION = 384;

export function passagesSchema(dimension: number): Schema {
  return new Schema([
    new Field("id", new Utf8(), false),
    new Field("course", new Utf8(), false),
    new Field("section", new Utf8(), false),
    new Field("heading", new Utf8(), false),
    /** Heading path joined with " › ". */
    new Field("heading_path", new Utf8(), false),
    new Field("text", new Utf8(), false),
    new Field("refs", new List(new Field("item", new Utf8(), true)), false),
    new Field("file", new Utf8(), false),
    new Field("line", new Int32(), false),
    new Field("end_line", new Int32(), false),
    /** sha256 of the text; re-embedding is skipped when hash and model are unchanged. */
    new Field("hash", new Utf8(), false),
    new Field("tokens", new Int32(), false),
    /** Model id that produced `vector`; "" when the passage was stored without one (full-text only). */
    new Field("model", new Utf8(), false),
    new Field("vector", new FixedSizeList(dimension, new Field("item", new Float32(), true)), true),
  ]);
}

export const itemsSchema = new Schema([
  /** `<course>/<label>` */
  new Field("id", new Utf8(), false),
  new Field("course", new Utf8(), false),
  new Field("kind", new Utf8(), false),
  new Field("number", new Utf8(), false),
  new Field("label", new Utf8(), false),
  new Field("title", new Utf8(), false),
  new Field("text", new Utf8(), false),
  new Field("chapter", new Utf8(), false),
  new Field("chapter_title", new Utf8(), false),
  new Field("section", new Utf8(), false),
  new Field("section_title", new Utf8(), false),
  new Field("path", new Utf8(), false),
  new Field("parts", new Utf8(), false),
  new Field("passage_id", new Utf8(), false),
  new Field("file", new Utf8(), false),
  new Field("line", new Int32(), false),
  new Field("end_line", new Int32(), false),
  /** A LaTeX source's item printed in the PDF beside it: that PDF and the physical page (null otherwise, and in older stores). */
  new Field("pdf", new Utf8(), true),
  new Field("page", new Int32(), true),
  /** Position in the notes, for outlines and "the next exercise". */
  new Field("ord", new Int32(), false),
  new Field("hash", new Utf8(), false),
]);

export const coursesSchema = new Schema([
  new Field("id", new Utf8(), false),
  new Field("title", new Utf8(), false),
  new Field("language", new Utf8(), false),
  new Field("guidance", new Utf8(), false),
  new Field("root", new Utf8(), false),
  new Field("model", new Utf8(), false),
  /** JSON: counts per kind. */
  new Field("counts", new Utf8(), false),
  new Field("updated_at", new Utf8(), false),
  new Field("hash", new Utf8(), false),
  /**
   * JSON: the notes' own math macros for KaTeX (`{"\\norm": "\\lVert #1\\rVert"}`). Added after the first
   * release: a store written before it lacks the column (readers treat that as no macros; the next
   * ingest adds it), hence nullable and last.
   */
  new Field("macros", new Utf8(), true),
  /**
   * JSON: the image files the notes show (`["tex/figures/chord.pdf"]`, relative to `root`) — the only
   * files GET /api/figure serves. Added with `macros`, nullable for the same reason.
   */
  new Field("figures", new Utf8(), true),
  /**
   * JSON: course.json's `insights` as in force (`{"keepQuestions":false,"retentionDays":120}`); "" or null when
   * the course does not record questions (lib/insights/config.ts `readInsightsColumn`). Nullable, last, as `macros`.
   */
  new Field("insights", new Utf8(), true),
  /**
   * JSON: the exercise solutions policy, per exercise whose solutions are not open (`ExercisePolicies`,
   * lib/policy/withhold.ts; release dates are decided at each read). Nullable like `macros`: an older store
   * has no policy.
   */
  new Field("policy", new Utf8(), true),
]);

export const manifestSchema = new Schema([
  new Field("seq", new Int32(), false),
  new Field("passages_version", new Int32(), false),
  new Field("items_version", new Int32(), false),
  new Field("courses_version", new Int32(), false),
  new Field("dimension", new Int32(), false),
  new Field("course", new Utf8(), false),
  new Field("finished_at", new Utf8(), false),
]);

export interface PassageRow {
  id: string;
  course: string;
  section: string;
  heading: string;
  heading_path: string;
  text: string;
  refs: string[];
  file: string;
  line: number;
  end_line: number;
  hash: string;
  tokens: number;
  model: string;
  vector: number[] | Float32Array | null;
}

export interface ItemRow {
  id: string;
  course: string;
  kind: string;
  number: string;
  label: string;
  title: string;
  text: string;
  chapter: string;
  chapter_title: string;
  section: string;
  section_title: string;
  path: string;
  parts: string;
  passage_id: string;
  file: string;
  line: number;
  end_line: number;
  pdf?: string | null;
  page?: number | null;
  ord: number;
  hash: string;
}

export interface CourseRow {
  id: string;
  title: string;
  language: string;
  guidance: string;
  root: string;
  model: string;
  counts: string;
  updated_at: string;
  hash: string;
  /** Absent in a store written before the column existed; null or "" when the notes define none. */
  macros?: string | null;
  /** Absent in an older store; null or "" when the notes show no image. */
  figures?: string | null;
  /** Absent in an older store; null or "" when insights are off (lib/insights/config.ts `readInsightsColumn`). */
  insights?: string | null;
  /** Absent in an older store; null or "" when every exercise is open. */
  policy?: string | null;
}

export interface ManifestRow {
  seq: number;
  passages_version: number;
  items_version: number;
  courses_version: number;
  dimension: number;
  course: string;
  finished_at: string;
}
