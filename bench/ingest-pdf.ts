/**
 * PDF ingest benchmark (`npm run bench:ingest-pdf -- [<file.pdf>] [--copies 14] [--json]`): reads a PDF of
 * notes as the ingest does (pdf.js text layer → headings and items, `loadCourseWithPdfs`), then stores it
 * full-text only in a temporary LanceDB store, and prints seconds, pages, pages per second and what was
 * found. Without a file it compiles the demo course's LaTeX chapters `--copies` times into one book
 * (≈ 300 pages; pdflatex's time is not counted). Target: a 300-page PDF in ≤ 60 s on this machine.
 * A benchmark: it prints numbers and asserts nothing.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { listItems } from "../lib/course/items";
import { loadCourseWithPdfs } from "../lib/course/load-course";
import { ingestCourse } from "../lib/ingest/ingest-course";
import { compileLongDemoPdf } from "../tests/support/pdf-fixtures";

const USAGE = "Usage: npm run bench:ingest-pdf -- [<file.pdf>] [--copies 14] [--json]";
let parsed;
try {
  parsed = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { copies: { type: "string" }, json: { type: "boolean" } } });
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
const json = !!parsed.values.json;
const copies = Number(parsed.values.copies ?? 14);
const [given] = parsed.positionals;
if (!Number.isInteger(copies) || copies < 1 || copies > 100 || parsed.positionals.length > 1) {
  process.stderr.write(`--copies must be a whole number from 1 to 100, and at most one PDF given\n${USAGE}\n`);
  process.exit(2);
}

const tmp = mkdtempSync(path.join(tmpdir(), "bench-ingest-pdf-"));
try {
  let source = given ? path.resolve(given) : "";
  if (!source) {
    const t = performance.now();
    source = compileLongDemoPdf(tmp, copies);
    if (!json) process.stderr.write(`compiled ${copies} copies of the demo chapters in ${((performance.now() - t) / 1000).toFixed(1)} s (not counted)\n`);
  }
  const course = path.join(tmp, "course");
  mkdirSync(course);
  copyFileSync(source, path.join(course, "notes.pdf"));

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { doc } = await loadCourseWithPdfs({ path: course });
  const parseS = (performance.now() - t0) / 1000;
  // CPU seconds too: on a shared machine the wall clock also counts other people's work (pdf.js runs on this thread).
  const cpu = process.cpuUsage(cpu0);
  const parseCpuS = (cpu.user + cpu.system) / 1e6;
  const t1 = performance.now();
  const summary = await ingestCourse({ path: course, db: path.join(tmp, "db"), embedder: null, modelStatus: { available: false, modelId: "none", reason: "benchmark: full-text only" }, allowErrors: true });
  const ingestS = (performance.now() - t1) / 1000;
  const items = listItems(doc);
  const pages = Math.max(0, ...items.map((i) => i.source.endLine));
  const byKind: Record<string, number> = {};
  for (const i of items) byKind[i.kind] = (byKind[i.kind] ?? 0) + 1;
  const result = {
    pdf: given ? source : `demo chapters × ${copies}`,
    pages,
    "parse s": Number(parseS.toFixed(1)),
    "pages/s (parse)": Number((pages / parseS).toFixed(1)),
    "parse CPU s": Number(parseCpuS.toFixed(1)),
    "load average (1 min)": Number(loadavg()[0].toFixed(1)),
    "ingest s (parse + chunk + store, no model)": Number(ingestS.toFixed(1)),
    items: items.length,
    byKind,
    passages: summary.passages,
    warnings: summary.warnings.length,
    errors: summary.errors.length,
  };
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else for (const [k, v] of Object.entries(result)) process.stdout.write(`${k.padEnd(44)} ${typeof v === "object" ? JSON.stringify(v) : v}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
