import { SingleBar, Presets } from "cli-progress";
import { ingestCourse, type IngestSummary } from "../lib/ingest/ingest-course";
import { TutorError } from "../lib/errors";
import { findTexEngine } from "../lib/course/latex/engine";
import { fail, loadOptionalEmbedder, parseCli, warnNoModel } from "./lib/cli";

const USAGE = `Usage: npm run ingest -- <course folder or file> [--course id] [--db dir] [--check] [--rebuild] [--json] [--require-model] [--allow-errors] [--tex auto|none]

Parses the notes (.txt plain-text export, .tex LaTeX, .md Markdown), numbers and chunks them, embeds the
passages and stores them in LanceDB (default data/lancedb, or TUTOR_DB_DIR).
  --check          parse and report only, write nothing
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
  const tex = values.tex === "none" ? null : findTexEngine().engine;
  const summary = await ingestCourse({
    tex,
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

function report(s: IngestSummary) {
  if (json) {
    process.stdout.write(`${JSON.stringify(s)}\n`);
    return;
  }
  const counts = Object.entries(s.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${n === 1 ? k : k.replace(/y$/, "ie") + "s"}`).join(", ");
  for (const w of s.warnings) log(`${w.file}:${w.line}: warning: ${w.message}`);
  for (const e of s.errors) log(`${e.file}:${e.line}: error: ${e.message}`);
  log("");
  log(`course   ${s.course} — ${s.title}`);
  log(`files    ${s.files.length} (${s.files.join(", ")})`);
  if (s.main?.length) log(`main     ${s.main.join(", ")} (LaTeX: the file with \\documentclass that no other file \\inputs)`);
  if (s.numbers) log(`numbers  ${s.numbers}`);
  if (s.ignored?.length) log(`ignored  ${s.ignored.join(", ")} (readme, licence and changelog files are not notes)`);
  log(`items    ${counts}`);
  log(`passages ${s.passages}${s.written ? ` (embedded ${s.embedded}, unchanged ${s.unchanged}, removed ${s.removed})` : ""}`);
  log(`model    ${s.model.available ? s.model.id : `none — full-text only (${s.model.reason ?? "unavailable"})`}`);
  const done = s.check ? "checked, nothing written (--check)" : s.alerts?.length ? "stored, BUT THE NOTES WERE NOT READ AS PRINTED" : "store updated";
  log(`result   ${done}; ${s.warnings.length} warnings, ${s.errors.length} errors; ${(s.durationMs / 1000).toFixed(1)} s`);
  for (const a of s.alerts ?? []) log(`WARNING  ${a}`);
}

main().catch((e) => {
  const summary = e instanceof TutorError ? (e.details?.summary as IngestSummary | undefined) : undefined;
  if (summary && !json) {
    for (const w of summary.warnings) log(`${w.file}:${w.line}: warning: ${w.message}`);
    for (const d of summary.errors) log(`${d.file}:${d.line}: error: ${d.message}`);
    log("");
  }
  if (summary && json) {
    process.stdout.write(`${JSON.stringify({ ...summary, errors: [...summary.errors, { file: positionals[0], line: 0, message: e.message }] })}\n`);
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  }
  fail(e, { json });
});
