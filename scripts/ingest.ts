import { SingleBar, Presets } from "cli-progress";
import { ingestCourse, type IngestSummary } from "../lib/ingest/ingest-course";
import { TutorError } from "../lib/errors";
import { isSweaveFile } from "../lib/course/latex/sweave";
import { fail, loadOptionalEmbedder, parseCli, warnNoModel } from "./lib/cli";
import type { ExercisePolicyLine } from "../lib/policy/solutions";
import { isReleased, SOLUTION_MODES } from "../lib/policy/withhold";

const USAGE = `Usage: npm run ingest -- <course folder or file> [--course id] [--db dir] [--check] [--rebuild] [--json] [--require-model] [--allow-errors] [--tex auto|none]

Parses the notes (.txt plain-text export, .tex LaTeX, .Rnw Sweave/knitr, .md Markdown), numbers and chunks them, embeds the
passages and stores them in LanceDB (default data/lancedb, or TUTOR_DB_DIR).
  --check          parse and report only, write nothing (and list each exercise's solutions policy)
  --rebuild        re-embed and rewrite every passage of the course
  --json           print the summary as one JSON document on stdout
  --require-model  fail instead of falling back to full-text only when the embedding model is missing
  --allow-errors   store what could be read even when the notes have errors (by default an error in the
                   notes writes nothing and the store keeps its previous version)
  --tex auto|none  LaTeX numbers: auto (default) compiles the main file with pdflatex/lualatex (TUTOR_TEX, else
                   the PATH) and takes the printed numbers from its trace; none derives them from the source`;

const { values, positionals } = parseCli(USAGE, {
  course: { type: "string" },
  db: { type: "string" },
  check: { type: "boolean" },
  rebuild: { type: "boolean" },
  json: { type: "boolean" },
  "require-model": { type: "boolean" },
  "allow-errors": { type: "boolean" },
  tex: { type: "string" },
});
if (values.tex !== undefined && values.tex !== "auto" && values.tex !== "none") {
  process.stderr.write(`--tex must be auto or none\n\n${USAGE}\n`);
  process.exit(2);
}
if (positionals.length !== 1) {
  process.stderr.write(`${positionals.length ? "give exactly one course folder or file" : "missing the course folder"}\n\n${USAGE}\n`);
  process.exit(2);
}

const json = !!values.json;
const tty = !json && process.stderr.isTTY;
const log = (line: string) => process.stderr.write(`${line}\n`);

async function main() {
  const { embedder, status } = values.check ? { embedder: null, status: { available: false, modelId: "(not loaded: --check)" } } : await loadOptionalEmbedder();
  if (!values.check && !status.available) {
    if (values["require-model"]) throw new TutorError("model-unavailable", `no embedding model (${status.modelId}): ${(status as { reason?: string }).reason}`);
    warnNoModel(status);
  }
  const bar = tty ? new SingleBar({ format: "{phase} [{bar}] {value}/{total}", hideCursor: true, clearOnComplete: true }, Presets.shades_classic) : null;
  let phase = "";
  const summary = await ingestCourse({
    tex: values.tex === "none" ? "none" : "auto",
    path: positionals[0],
    courseId: values.course,
    db: values.db,
    check: values.check,
    allowErrors: values["allow-errors"],
    rebuild: values.rebuild,
    embedder,
    modelStatus: status,
    onProgress: (e) => {
      if (bar) {
        if (e.phase !== phase) {
          if (phase) bar.stop();
          phase = e.phase;
          bar.start(e.total, e.done, { phase: e.phase.padEnd(6) });
        } else bar.update(e.done);
      } else if (!json && (e.done === e.total || e.phase !== phase)) {
        phase = e.phase;
        log(`${e.phase}: ${e.done}/${e.total}`);
      }
    },
  }).finally(() => bar?.stop());
  report(summary);
}

/** file:line, or file:line:column when the column is known (course.json). */
function where(d: { file: string; line: number; column?: number }): string {
  return `${d.file}:${d.line}${d.column ? `:${d.column}` : ""}`;
}

function report(s: IngestSummary) {
  if (json) {
    process.stdout.write(`${JSON.stringify(s)}\n`);
    return;
  }
  const counts = Object.entries(s.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${n === 1 || k.endsWith("s") ? k : k.replace(/y$/, "ie") + "s"}`).join(", ");
  for (const w of s.warnings) log(`${where(w)}: warning: ${w.message}`);
  for (const e of s.errors) log(`${where(e)}: error: ${e.message}`);
  log("");
  log(`course   ${s.course} — ${s.title}`);
  log(`read     ${s.files.length} file${s.files.length === 1 ? "" : "s"} (${s.files.join(", ")})`);
  if (s.skipped.length) {
    // Grouped by reason: a book's repository can hold hundreds of transcripts; --json lists every file.
    const byReason = new Map<string, string[]>();
    for (const k of s.skipped) byReason.set(k.reason, [...(byReason.get(k.reason) ?? []), k.file]);
    log(`skipped  ${s.skipped.length} file${s.skipped.length === 1 ? "" : "s"}${s.skipped.length > 1 ? " (--json lists them all)" : ""}:`);
    for (const [reason, files] of byReason) log(`  ${files.slice(0, 3).join(", ")}${files.length > 3 ? ` and ${files.length - 3} more` : ""}: ${reason}`);
  }
  if (s.main?.length) {
    const how = s.main.every(isSweaveFile) ? "Sweave/knitr: LaTeX whose R chunks are read as code; R is not run" : "LaTeX: the file with \\documentclass that no other file \\inputs";
    log(`main     ${s.main.join(", ")} (${how})`);
  }
  if (s.numbers) log(`numbers  ${s.numbers}`);
  log(`items    ${counts}`);
  if (s.solutions) for (const line of solutionLines(s.solutions, s.check)) log(line);
  log(`passages ${s.passages}${s.written ? ` (embedded ${s.embedded}, unchanged ${s.unchanged}, removed ${s.removed})` : ""}`);
  log(`model    ${s.model.available ? s.model.id : `none — full-text only (${s.model.reason ?? "unavailable"})`}`);
  const done = s.check ? "checked, nothing written (--check)" : s.alerts?.length ? "stored, BUT THE NOTES WERE NOT READ AS PRINTED" : "store updated";
  log(`result   ${done}; ${s.warnings.length} warnings, ${s.errors.length} errors; ${(s.durationMs / 1000).toFixed(1)} s`);
  for (const a of s.alerts ?? []) log(`WARNING  ${a}`);
}

/** The solutions policy: a count per policy in force today, and with --check one line per exercise. */
function solutionLines(exercises: ExercisePolicyLine[], perExercise: boolean): string[] {
  const now = new Date();
  const today = (e: ExercisePolicyLine) => (e.solutions !== "open" && isReleased(e, now) ? "open" : e.solutions);
  const tally = SOLUTION_MODES.map((m) => [m, exercises.filter((e) => today(e) === m).length] as const).filter(([, n]) => n > 0);
  const lines = [`solutions ${exercises.length} exercise${exercises.length === 1 ? "" : "s"} today: ${tally.map(([m, n]) => `${n} ${m}`).join(", ") || "none"}${perExercise ? "" : " (--check lists each)"}`];
  if (!perExercise) return lines;
  const width = Math.max(...exercises.map((e) => e.label.length));
  for (const e of exercises) {
    const from = e.from ? (e.from === e.label ? "" : ` (from ${e.from})`) : " (course.json says nothing: open)";
    const what =
      e.solutions === "open" ? "open"
      : isReleased(e, now) ? `open since ${e.release} (${e.solutions} before)`
      : `${e.solutions}${e.release ? ` until ${e.release}` : ""}`;
    lines.push(`  ${e.label.padEnd(width)}  ${what}${from}`);
  }
  return lines;
}

main().catch((e) => {
  const summary = e instanceof TutorError ? (e.details?.summary as IngestSummary | undefined) : undefined;
  if (summary && !json) {
    for (const w of summary.warnings) log(`${where(w)}: warning: ${w.message}`);
    for (const d of summary.errors) log(`${where(d)}: error: ${d.message}`);
    log("");
  }
  if (summary && json) {
    process.stdout.write(`${JSON.stringify({ ...summary, errors: [...summary.errors, { file: positionals[0], line: 0, message: e.message }] })}\n`);
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  }
  fail(e, { json });
});
