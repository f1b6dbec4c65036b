/**
 * Ingest-with-TeX benchmark (`npm run bench:ingest-tex -- <name…|--all> [--tex auto|none] [--json]`): ingests each
 * LaTeX book of tests/eval/latex-books/ (extracted with `npm run eval:corpus -- --latex --all`) as an instructor
 * does — `ingestCourse`: the TeX run, one parse with its trace, chunking and a real LanceDB write in a temporary
 * folder (no embedding model: that cost is `bench:embed`'s) — and prints, per book: the pages TeX typeset, the TeX
 * run's wall and CPU seconds, the whole ingest's wall seconds, the CPU seconds of the ingest itself (Node) and
 * seconds per 100 pages. Issue 12's target: a 300-page book with TeX in ≤ 60 s, i.e. ≤ 20 s per 100 pages.
 * The machine is shared: the load average is printed, and CPU seconds are what load does not inflate.
 * A benchmark: it prints numbers and asserts nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { corpusPath, LATEX_BOOKS, listBooks } from "../lib/eval/books";
import { parseCli } from "../scripts/lib/cli";

const USAGE = `Usage: npm run bench:ingest-tex -- <name…|--all> [--tex auto|none] [--json]

Ingests each LaTeX book of tests/eval/latex-books/ with TeX (ingestCourse into a temporary store, no embedding
model) and prints pages, TeX seconds (wall and CPU), total seconds and seconds per 100 pages.`;

const { values, positionals } = parseCli(USAGE, { all: { type: "boolean" }, tex: { type: "string" }, json: { type: "boolean" } });
const books = listBooks(process.cwd(), LATEX_BOOKS);
const chosen = values.all ? books : books.filter((b) => positionals.includes(b.name));
const unknown = positionals.filter((p) => !books.some((b) => b.name === p));
if (!chosen.length || unknown.length || (values.tex && !["auto", "none"].includes(values.tex))) {
  process.stderr.write(`${unknown.length ? `unknown book: ${unknown.join(", ")} (books: ${books.map((b) => b.name).join(", ")})\n\n` : ""}${USAGE}\n`);
  process.exit(2);
}
const { ingestCourse } = await import("../lib/ingest/ingest-course");

interface Row {
  book: string;
  numbers: string;
  pages: number | null;
  texSeconds: number | null;
  texCpuSeconds: number | null;
  seconds: number;
  nodeCpuSeconds: number;
  secondsPer100Pages: number | null;
  cpuSecondsPer100Pages: number | null;
  items: number;
  warnings: number;
}
const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const rows: Row[] = [];
const loadBefore = loadavg()[0];
for (const book of chosen) {
  const db = mkdtempSync(path.join(tmpdir(), "tutor-bench-tex-"));
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const s = await ingestCourse({
      path: corpusPath(book, process.cwd(), LATEX_BOOKS),
      db,
      embedder: null,
      modelStatus: { available: false, modelId: "", reason: "benchmark without embeddings" },
      allowErrors: true,
      tex: values.tex === "none" ? "none" : "auto",
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const runs = s.tex ?? [];
    const pages = runs.length && runs.every((r) => r.pages !== undefined) ? runs.reduce((n, r) => n + (r.pages ?? 0), 0) : null;
    const texSeconds = runs.length ? runs.reduce((n, r) => n + r.seconds, 0) : null;
    const texCpu = runs.length && runs.every((r) => r.cpuSeconds !== undefined) ? runs.reduce((n, r) => n + (r.cpuSeconds ?? 0), 0) : null;
    const nodeCpu = (cpu.user + cpu.system) / 1e6;
    rows.push({
      book: book.name,
      numbers: s.numbers ?? "",
      pages,
      texSeconds: round(texSeconds),
      texCpuSeconds: round(texCpu),
      seconds: round(seconds)!,
      nodeCpuSeconds: round(nodeCpu)!,
      secondsPer100Pages: pages ? round((seconds / pages) * 100) : null,
      cpuSecondsPer100Pages: pages && texCpu !== null ? round(((texCpu + nodeCpu) / pages) * 100) : null,
      items: Object.values(s.counts).reduce((a, b) => a + b, 0),
      warnings: s.warnings.length,
    });
    if (!values.json) process.stderr.write(`${book.name}: ${rows.at(-1)!.seconds} s\n`);
  } finally {
    rmSync(db, { recursive: true, force: true });
  }
}
const machine = { cores: availableParallelism(), loadAverage1m: { before: round(loadBefore), after: round(loadavg()[0]) } };
if (values.json) {
  process.stdout.write(`${JSON.stringify({ machine, rows }, null, 2)}\n`);
} else {
  const head = ["book", "pages", "TeX s", "TeX CPU s", "total s", "ingest CPU s", "s/100 pages", "CPU s/100 pages", "items", "warnings"];
  const cell = (x: number | null) => (x === null ? "–" : String(x));
  const table = [head, ...rows.map((r) => [r.book, cell(r.pages), cell(r.texSeconds), cell(r.texCpuSeconds), cell(r.seconds), cell(r.nodeCpuSeconds), cell(r.secondsPer100Pages), cell(r.cpuSecondsPer100Pages), String(r.items), String(r.warnings)])];
  const widths = head.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table) process.stdout.write(`${row.map((v, c) => v.padEnd(widths[c])).join("  ")}\n`);
  process.stdout.write(
    `\n${machine.cores} cores, load average ${machine.loadAverage1m.before} → ${machine.loadAverage1m.after}. Target: a 300-page book in ≤ 60 s (≤ 20 s per 100 pages).\n` +
      `"CPU s/100 pages" = (TeX CPU + ingest CPU) per 100 pages: what the ingest costs on an idle machine of this speed.\n`,
  );
  for (const r of rows) process.stdout.write(`${r.book}: ${r.numbers}\n`);
}
