import { spawnSync } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { corpusPath, LATEX_BOOKS, listBooks } from "../lib/eval/books";
import { parseTruth, percent } from "../lib/eval/latex-eval";
import { foundInPdf, scorePdf, synctexLinePages, truthPages, type PdfTally } from "../lib/eval/pdf-eval";
import { parsePdf } from "../lib/course/pdf";
import { parseCli } from "./lib/cli";

const USAGE = `Usage: npm run eval:pdf -- <name…|--all> [--compile] [--json] [--misses n]

The PDF ingest on real books compiled from their LaTeX (tests/eval/latex-books/, extracted first with
npm run eval:corpus -- --latex --all): each book is compiled as its truth-config.json says into
tests/eval/.corpus/pdf-build/<name>/ (once; --compile redoes it), its PDF parsed as the ingest does (parsePdf),
and every printed numbered item and heading of truth.jsonl looked up by its printed label and page. The page
truth is TeX's: the SyncTeX page of the line where truth.jsonl says the item opens. --misses n lists the first n misses per book.`;

const { values, positionals } = parseCli(USAGE, { all: { type: "boolean" }, compile: { type: "boolean" }, json: { type: "boolean" }, misses: { type: "string" } });
const books = listBooks(process.cwd(), LATEX_BOOKS);
const chosen = values.all ? books : books.filter((b) => positionals.includes(b.name));
const unknown = positionals.filter((p) => !books.some((b) => b.name === p));
if (!chosen.length || unknown.length) {
  process.stderr.write(`${unknown.length ? `unknown book: ${unknown.join(", ")}\n\n` : ""}${USAGE}\n`);
  process.exit(2);
}
const missLimit = values.misses ? Number(values.misses) : 0;

interface Report {
  name: string;
  pages: number;
  seconds: number;
  items: PdfTally;
  headings: PdfTally;
}
const reports: Report[] = [];
let failed = 0;
for (const book of chosen) {
  const config = JSON.parse(readFileSync(path.join(LATEX_BOOKS.booksDir, book.name, "truth-config.json"), "utf8")) as { main: string; compiler: string; passes: number };
  const src = corpusPath(book, process.cwd(), LATEX_BOOKS);
  if (!existsSync(src)) {
    process.stderr.write(`${book.name}: not extracted — run npm run eval:corpus -- --latex ${book.name}\n`);
    failed++;
    continue;
  }
  const build = path.resolve("tests/eval/.corpus/pdf-build", book.name);
  const pdf = path.join(build, config.main.replace(/\.tex$/, ".pdf"));
  const synctex = pdf.replace(/\.pdf$/, ".synctex.gz");
  if (values.compile || !existsSync(pdf) || !existsSync(synctex)) {
    rmSync(build, { recursive: true, force: true });
    cpSync(src, build, { recursive: true });
    for (let pass = 1; pass <= config.passes; pass++) {
      const t0 = Date.now();
      const run = spawnSync(config.compiler, ["-synctex=1", "-interaction=nonstopmode", "-no-shell-escape", config.main], { cwd: build, timeout: 20 * 60_000, maxBuffer: 1 << 28 });
      process.stderr.write(`${book.name}: ${config.compiler} pass ${pass} exit ${run.status} in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    }
    if (!existsSync(pdf)) {
      process.stderr.write(`${book.name}: no PDF at ${pdf}\n`);
      failed++;
      continue;
    }
  }
  const rows = parseTruth(readFileSync(path.join(LATEX_BOOKS.booksDir, book.name, "truth.jsonl"), "utf8"), `${book.name}/truth.jsonl`);
  const linePages = synctexLinePages(gunzipSync(readFileSync(synctex)).toString("utf8"), build);
  const pages = Math.max(0, ...[...linePages.values()].flatMap((m) => [...m.values()].map((p) => p.last)));
  const t0 = Date.now();
  const parsed = await parsePdf(path.basename(pdf), new Uint8Array(readFileSync(pdf)));
  const seconds = (Date.now() - t0) / 1000;
  const score = scorePdf(rows, truthPages(rows, linePages), foundInPdf(parsed.chapters));
  reports.push({ name: book.name, pages, seconds, items: score.items, headings: score.headings });
  if (!values.json) {
    const line = (t: PdfTally) => `${t.rightPage}/${t.truth} on the right page (${percent(t.rightPage, t.truth)}), ${t.rightNumber} with the printed number, ${t.truth - t.paged} without a page in the truth`;
    process.stdout.write(`${book.name}: ${pages} pages read in ${seconds.toFixed(1)} s\n  items:    ${line(score.items)}\n  headings: ${line(score.headings)}\n`);
    const misses = score.rows.filter((r) => r.verdict !== "right-page").slice(0, missLimit);
    for (const m of misses) process.stdout.write(`    ${m.verdict}: ${m.row.label} (truth page ${m.page ?? "?"}${m.found ? `, found on ${m.found.page}` : ""})\n`);
  }
}
if (values.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
process.exit(failed ? 1 : 0);
