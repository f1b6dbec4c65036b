import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { corpusPath, LATEX_BOOKS, listBooks } from "../lib/eval/books";
import type { CourseDoc } from "../lib/course/types";
import { parseTruth, percent, scoreBook, type BookScore, type Tally } from "../lib/eval/latex-eval";
import { parseCli } from "./lib/cli";

const USAGE = `Usage: npm run eval:latex -- <name…|--all> [--tex auto|none] [--json] [--misses n] [--extras n]

Ingest-parses each LaTeX book of tests/eval/latex-books/ (extracted with npm run eval:corpus -- --latex --all)
with loadCourse — no store — and scores it against its printed truth (truth.jsonl): numbered items found
with the printed number, with the begin line within 3, wrong number, missing, extra, and how many misses a
warning covers (at the item's place or naming its environment/macro). Chapters and sections are scored apart.
--tex none: sets TUTOR_TEX=none for the ingest (no TeX engine); auto (default): as the environment says.
--misses n: lists the first n misses per book.
--extras n: lists the first n numbered things found that the book does not print.`;

const { values, positionals } = parseCli(USAGE, {
  all: { type: "boolean" },
  json: { type: "boolean" },
  tex: { type: "string" },
  extras: { type: "string" },
  misses: { type: "string" },
});
const books = listBooks(process.cwd(), LATEX_BOOKS);
const chosen = values.all ? books : books.filter((b) => positionals.includes(b.name));
const unknown = positionals.filter((p) => !books.some((b) => b.name === p));
if (!chosen.length || unknown.length || (values.tex && !["auto", "none"].includes(values.tex))) {
  process.stderr.write(`${unknown.length ? `unknown book: ${unknown.join(", ")}\n\n` : ""}${USAGE}\n`);
  process.exit(2);
}
// The engine reads TUTOR_TEX through lib/env, which parses the environment once when first imported: set it
// before the ingest modules load.
if (values.tex === "none") process.env.TUTOR_TEX = "none";
const courseModule = await import("../lib/course/load-course");
// The ingest's own entry: with TeX when the build has an engine (loadCourseWithTex, async), else the derived parse.
type Loader = (o: { path: string }) => CourseDoc | Promise<CourseDoc & { numbers?: string }>;
const load: Loader = ((courseModule as Record<string, unknown>).loadCourseWithTex as Loader | undefined) ?? courseModule.loadCourse;
const { listItems } = await import("../lib/course/items");
const { env } = await import("../lib/env");
// Which mode ran is the build's business (an engine, when there is one, uses TeX unless TUTOR_TEX=none); the report
// says what it was given: the setting and whether pdflatex is on the PATH.
const texSetting = (env as Record<string, unknown>).TUTOR_TEX;
const onPath = spawnSync("pdflatex", ["--version"], { stdio: "ignore" }).status === 0;
const mode = values.tex === "none" ? "without TeX (TUTOR_TEX=none)" : `TeX as the build does it (TUTOR_TEX ${texSetting === undefined ? "unset" : `= ${String(texSetting)}`}; pdflatex on PATH: ${onPath ? "yes" : "no"})`;

interface BookReport {
  name: string;
  mode: string;
  /** How the ingest says it numbered the book, when it says ("numbers as printed by pdfTeX …"). */
  numbers?: string;
  seconds: number;
  diagnostics: { errors: number; warnings: number };
  items: Tally;
  headings: Tally;
  byName: BookScore["byName"];
}
const reports: BookReport[] = [];
const missLimit = values.misses ? Number(values.misses) : 0;
const extraLimit = values.extras ? Number(values.extras) : 0;
let failed = 0;
for (const book of chosen) {
  const dir = corpusPath(book, process.cwd(), LATEX_BOOKS);
  const truthFile = path.join(LATEX_BOOKS.booksDir, book.name, "truth.jsonl");
  if (!existsSync(dir)) {
    process.stderr.write(`${book.name}: not extracted — npm run eval:corpus -- --latex ${book.name}\n`);
    failed++;
    continue;
  }
  const truth = parseTruth(readFileSync(truthFile, "utf8"), truthFile);
  const t0 = performance.now();
  const doc = (await load({ path: dir })) as CourseDoc & { numbers?: string };
  const seconds = (performance.now() - t0) / 1000;
  const found = listItems(doc).map((i) => ({ kind: i.kind, label: i.label, number: i.number, file: i.source.file, line: i.source.line }));
  const score = scoreBook(truth, found, doc.diagnostics);
  reports.push({
    name: book.name,
    mode,
    ...(doc.numbers ? { numbers: doc.numbers } : {}),
    seconds,
    diagnostics: {
      errors: doc.diagnostics.filter((d) => d.severity === "error").length,
      warnings: doc.diagnostics.filter((d) => d.severity === "warning").length,
    },
    items: score.items,
    headings: score.headings,
    byName: score.byName,
  });
  if (!values.json && missLimit > 0) {
    const misses = score.rows.filter((r) => r.verdict !== "exact").slice(0, missLimit);
    process.stdout.write(`${book.name}: first ${misses.length} misses\n`);
    for (const m of misses) {
      const what = m.found ? ` (found ${m.found.label} at ${m.found.file}:${m.found.line})` : "";
      const cover = m.coveredBy ? ` — covered by ${m.coveredBy.file}:${m.coveredBy.line} ${m.coveredBy.message.slice(0, 100)}` : " — no warning";
      process.stdout.write(`  ${m.verdict.padEnd(12)} ${m.row.label} ${m.row.file}:${m.row.line}${what}${cover}\n`);
    }
  }
  if (!values.json && extraLimit > 0) {
    const extras = score.extras.slice(0, extraLimit);
    process.stdout.write(`${book.name}: first ${extras.length} of ${score.extras.length} extras\n`);
    for (const f of extras) process.stdout.write(`  ${f.label} (${f.kind}) ${f.file}:${f.line}\n`);
  }
}

if (values.json) {
  for (const r of reports) process.stdout.write(`${JSON.stringify(r)}\n`);
} else {
  process.stdout.write(`mode: ${mode}\n\n`);
  const head = ["book", "kind", "truth", "right no.", "line ≤3", "wrong no.", "missing", "extra", "misses warned", "errors/warnings", "s"];
  const table = [head];
  for (const r of reports) {
    for (const [label, t] of [["items", r.items], ["headings", r.headings]] as const) {
      const misses = t.truth - t.exact;
      table.push([
        label === "items" ? r.name : "",
        label,
        String(t.truth),
        `${t.rightNumber} (${percent(t.rightNumber, t.truth)})`,
        `${t.exact} (${percent(t.exact, t.truth)})`,
        String(t.wrongNumber),
        String(t.missing),
        String(t.extra),
        `${t.missesCovered}/${misses}`,
        label === "items" ? `${r.diagnostics.errors}/${r.diagnostics.warnings}` : "",
        label === "items" ? r.seconds.toFixed(1) : "",
      ]);
    }
  }
  const widths = head.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table) process.stdout.write(`${row.map((cell, c) => cell.padEnd(widths[c])).join("  ")}\n`);
  process.stdout.write(`\n"line ≤3" = printed number and begin line within 3 (the issue-12 measure); "misses warned" = misses a diagnostic covers.\n`);
  for (const r of reports) {
    if (r.numbers) process.stdout.write(`${r.name}: ${r.numbers}\n`);
    const parts = Object.entries(r.byName).map(([name, s]) => `${name} ${s.exact}/${s.truth}`);
    process.stdout.write(`${r.name}: ${parts.join(", ")}\n`);
  }
}
process.exit(failed ? 1 : 0);
