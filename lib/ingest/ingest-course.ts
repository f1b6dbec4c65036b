import { chunkCourse } from "../course/chunk";
import type { ExercisePolicyLine } from "../policy/solutions";
import { countByKind, listItems } from "../course/items";
import { loadCourseWithTex, type TexChoice, type TexRunSummary } from "../course/load-course";
import type { Diagnostic, SkippedFile } from "../course/types";
import { TutorError } from "../errors";
import { writeCourse } from "../store/write";

/** The minimal embedder surface ingestion needs (lib/embed's Embedder satisfies it). */
export interface PassageEmbedder {
  modelId: string;
  dimension: number;
  maxTokens: number;
  embed(texts: string[], opts?: { prompt?: "query" | "passage" | null; batchSize?: number }): Promise<Float32Array[]>;
  countTokens(text: string, opts?: { prompt?: "query" | "passage" | null }): number;
}

export interface IngestOptions {
  path: string;
  courseId?: string;
  db?: string;
  /** Parse and report only; write nothing. */
  check?: boolean;
  /** Store what could be read even when the notes have errors (by default errors leave the store as it was). */
  allowErrors?: boolean;
  rebuild?: boolean;
  /** The embedder to use; null = full-text only (the caller says why in `modelStatus`). */
  embedder: PassageEmbedder | null;
  modelStatus: { available: boolean; modelId: string; reason?: string };
  onProgress?: (event: { phase: "parse" | "embed" | "write"; done: number; total: number }) => void;
  /**
   * LaTeX numbers: `"auto"` (default, as the CLI: TUTOR_TEX, else pdflatex or lualatex on the PATH — a LaTeX main
   * file is compiled in a sandboxed copy), a given engine, or `"none"`/null: derived from the source.
   */
  tex?: TexChoice;
}

export interface IngestSummary {
  course: string;
  title: string;
  counts: Record<string, number>;
  passages: number;
  embedded: number;
  unchanged: number;
  removed: number;
  /** The files read as notes. */
  files: string[];
  /** Files of the folder not read as notes, and why (README, transcript, exam, build folder, a .tex no main \inputs…). */
  skipped: SkippedFile[];
  /** The LaTeX main file(s) read as the book. */
  main?: string[];
  /** Where the LaTeX numbers come from (a TeX run, or derived from the source and why). */
  numbers?: string;
  /** The TeX runs, one per LaTeX main file: seconds, CPU seconds, pages. */
  tex?: TexRunSummary[];
  /** course.json's solutions policy, per exercise in notes order (lib/policy/solutions.ts), when it has one. */
  solutions?: ExercisePolicyLine[];
  /** Warnings that mean the notes were read wrongly (no numbered items, numbers from 0), said again at the end. */
  alerts?: string[];
  warnings: Omit<Diagnostic, "severity">[];
  errors: Omit<Diagnostic, "severity">[];
  model: { available: boolean; id: string; reason?: string };
  written: boolean;
  check: boolean;
  durationMs: number;
}

/**
 * The whole instructor pipeline: parse → number → chunk → embed (changed passages only) → store.
 * Throws `TutorError("bad-request")` when nothing usable was found, or when the notes have errors and
 * `allowErrors` is not set (nothing is written then; the summary is in `details`). Every problem in the
 * notes is a warning or error in the summary with file:line.
 */
export async function ingestCourse(opts: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  opts.onProgress?.({ phase: "parse", done: 0, total: 1 });
  const doc = await loadCourseWithTex({ path: opts.path, courseId: opts.courseId, tex: opts.tex ?? "auto" });
  const items = listItems(doc);
  const counts = countByKind(items);
  const embedder = opts.embedder;
  const chunks = chunkCourse(doc, {
    maxTokens: embedder?.maxTokens ?? 512,
    countTokens: embedder ? (t) => embedder.countTokens(t, { prompt: "passage" }) : undefined,
  });
  opts.onProgress?.({ phase: "parse", done: 1, total: 1 });

  const diagnostics = [...doc.diagnostics];
  for (const o of chunks.oversized) {
    diagnostics.push({
      severity: "warning",
      file: o.file,
      line: o.line,
      message: `${o.label} is ${embedder ? "" : "about "}${o.tokens} tokens${embedder ? "" : " (estimated without the model's tokenizer)"}, over the model's ${embedder?.maxTokens ?? 512}: the dense retriever sees only its beginning (full-text search sees all of it)`,
    });
  }
  const strip = ({ severity: _s, ...d }: Diagnostic) => d;
  const summary: IngestSummary = {
    course: doc.id,
    title: doc.title,
    counts,
    passages: chunks.passages.length,
    embedded: 0,
    unchanged: 0,
    removed: 0,
    files: doc.files,
    skipped: doc.skipped ?? [],
    ...(doc.mains ? { main: doc.mains } : {}),
    ...(doc.numbers ? { numbers: doc.numbers } : {}),
    ...(doc.texRuns ? { tex: doc.texRuns } : {}),
    ...(doc.solutions ? { solutions: doc.solutions.exercises } : {}),
    ...alertsOf(diagnostics),
    warnings: diagnostics.filter((d) => d.severity === "warning").map(strip),
    errors: diagnostics.filter((d) => d.severity === "error").map(strip),
    model: { available: opts.modelStatus.available, id: opts.modelStatus.modelId, ...(opts.modelStatus.reason ? { reason: opts.modelStatus.reason } : {}) },
    written: false,
    check: !!opts.check,
    durationMs: 0,
  };

  if (!chunks.passages.length) {
    summary.durationMs = Math.round(performance.now() - started);
    throw new TutorError("bad-request", `Nothing usable found in ${opts.path}: no chapters, sections or numbered items.`, {
      details: { summary },
    });
  }

  if (!opts.check && summary.errors.length && !opts.allowErrors) {
    summary.durationMs = Math.round(performance.now() - started);
    const n = summary.errors.length;
    throw new TutorError(
      "bad-request",
      `${n} error${n === 1 ? "" : "s"} in the notes: nothing written, the store keeps its previous version. Fix ${n === 1 ? "it" : "them"}, or pass --allow-errors to store what could be read.`,
      { details: { summary } },
    );
  }

  if (!opts.check) {
    const result = await writeCourse({
      db: opts.db,
      doc,
      passages: chunks.passages,
      items,
      passageOf: chunks.passageOf,
      counts,
      embed: embedder ? (texts) => embedder.embed(texts, { prompt: "passage" }) : undefined,
      modelId: embedder?.modelId,
      dimension: embedder?.dimension,
      rebuild: opts.rebuild,
      onProgress: (e) => opts.onProgress?.(e),
    });
    summary.embedded = result.embedded;
    summary.unchanged = result.unchanged;
    summary.removed = result.removed;
    summary.written = true;
  }
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

/** Diagnostics that say the notes were read wrongly, in capitals at their start ("NO NUMBERED ITEMS: …"). */
function alertsOf(diagnostics: Diagnostic[]): { alerts?: string[] } {
  const alerts = diagnostics.filter((d) => /^[A-Z][A-Z0-9 ]{6,}:/.test(d.message)).map((d) => `${d.file}:${d.line}: ${d.message}`);
  return alerts.length ? { alerts } : {};
}
