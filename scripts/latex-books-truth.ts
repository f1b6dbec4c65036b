import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { corpusPath, LATEX_BOOKS, listBooks } from "../lib/eval/books";
import {
  checkAgainstAux,
  joinSplitHeads,
  pairTruth,
  printedNumbers,
  readAuxInOrder,
  readAuxLabels,
  scanBeginPoints,
  truthConfigSchema,
} from "../lib/eval/latex-truth-build";
import { parseCli } from "./lib/cli";

const USAGE = `Usage: npm run eval:latex-truth -- <name…|--all> [--no-compile]

Remakes tests/eval/latex-books/<name>/truth.jsonl from the printed book, without the tutor's parser: copies the
extracted book (npm run eval:corpus -- --latex <name>) to tests/eval/.corpus/latex-build/<name>/, compiles it
as truth-config.json says (pdflatex, -recorder), takes the printed numbers from the PDF text / .aux / .toc and
pairs them in order with the lines where the sources open each item. Fails when a count differs or a labelled
item's number disagrees with the .aux. --no-compile reuses the last build.`;

const { values, positionals } = parseCli(USAGE, { all: { type: "boolean" }, "no-compile": { type: "boolean" } });
const books = listBooks(process.cwd(), LATEX_BOOKS);
const chosen = values.all ? books : books.filter((b) => positionals.includes(b.name));
if (!chosen.length || positionals.some((p) => !books.some((b) => b.name === p))) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

let failed = 0;
for (const book of chosen) {
  const bookDir = path.join(LATEX_BOOKS.booksDir, book.name);
  const config = truthConfigSchema.parse(JSON.parse(readFileSync(path.join(bookDir, "truth-config.json"), "utf8")));
  const src = corpusPath(book, process.cwd(), LATEX_BOOKS);
  if (!existsSync(src)) {
    process.stderr.write(`${book.name}: not extracted — run npm run eval:corpus -- --latex ${book.name}\n`);
    failed++;
    continue;
  }
  const build = path.resolve("tests/eval/.corpus/latex-build", book.name);
  const jobname = path.basename(config.main, ".tex");
  if (!values["no-compile"]) {
    rmSync(build, { recursive: true, force: true });
    cpSync(src, build, { recursive: true });
    for (let pass = 1; pass <= config.passes; pass++) {
      const t0 = Date.now();
      const run = spawnSync(config.compiler, ["-interaction=nonstopmode", "-recorder", "-file-line-error", config.main], {
        cwd: build,
        env: { ...process.env, max_print_line: "10000" },
        timeout: 20 * 60_000,
        maxBuffer: 1 << 28,
      });
      const errors = (run.stdout?.toString() ?? "").split("\n").filter((l) => /^\.?\/?[^:\s]+:\d+: /.test(l));
      process.stdout.write(`${book.name}: ${config.compiler} pass ${pass} exit ${run.status} in ${((Date.now() - t0) / 1000).toFixed(0)} s, ${errors.length} errors${errors.length ? ` (first: ${errors[0]})` : ""}\n`);
    }
  }
  const pdf = path.join(build, `${jobname}.pdf`);
  if (!existsSync(pdf)) {
    process.stderr.write(`${book.name}: no PDF at ${pdf}\n`);
    failed++;
    continue;
  }
  const pdfText = execFileSync("pdftotext", [...(config.pdfLayout ? ["-layout"] : []), pdf, "-"], { maxBuffer: 1 << 28 }).toString();
  const auxInOrder = readAuxInOrder(build, `${jobname}.aux`);
  const toc = existsSync(path.join(build, `${jobname}.toc`)) ? readFileSync(path.join(build, `${jobname}.toc`), "utf8") : "";

  const { points, fileOrder } = scanBeginPoints(src, config);
  // TeX's own list of the files it opened, in order: the scan must have read the same .tex files.
  const fls = readFileSync(path.join(build, `${jobname}.fls`), "utf8");
  const texRead = [...new Set(fls.split("\n").filter((l) => l.startsWith("INPUT ./") || (l.startsWith("INPUT ") && !l.startsWith("INPUT /")))
    .map((l) => path.posix.normalize(l.slice(6).trim())).filter((f) => f.endsWith(".tex") && existsSync(path.join(src, f))))];
  const scanned = [...new Set(fileOrder)];
  const notScanned = texRead.filter((f) => !scanned.includes(f));
  const notRead = scanned.filter((f) => !texRead.includes(f));
  const orderOk = JSON.stringify(texRead.filter((f) => scanned.includes(f))) === JSON.stringify(scanned.filter((f) => texRead.includes(f)));

  const pdfLines = joinSplitHeads(pdfText.split("\n"), config.items.map((it) => it.name));
  const numbersByName = new Map(config.items.map((it) => [it.name, printedNumbers(it, { pdfLines, auxInOrder, toc })]));
  const { rows, problems } = pairTruth(config, points, numbersByName);
  const aux = readAuxLabels([auxInOrder.map(([k, n]) => `\\newlabel{${k}}{{${n}}}`).join("\n")]);
  const { checked, disagree } = checkAgainstAux(rows, points, aux, config.auxStrip);

  process.stdout.write(`${book.name}: ${rows.length} numbered things; files TeX read ${texRead.length}, scanned ${scanned.length}, same order: ${orderOk}\n`);
  if (notScanned.length) process.stdout.write(`  read by TeX, not scanned: ${notScanned.join(", ")}\n`);
  if (notRead.length) process.stdout.write(`  scanned, not read by TeX: ${notRead.join(", ")}\n`);
  for (const it of config.items) {
    const n = rows.filter((r) => r.name === it.name);
    process.stdout.write(`  ${it.name.padEnd(18)} ${String(n.length).padStart(5)}  ${n[0]?.number ?? ""} … ${n.at(-1)?.number ?? ""}\n`);
  }
  process.stdout.write(`  .aux check: ${checked} labelled items, ${disagree.length} disagree\n`);
  for (const d of disagree.slice(0, 20)) process.stdout.write(`    ${d}\n`);
  for (const p of problems) process.stdout.write(`  COUNT MISMATCH ${p}\n`);
  if (problems.length || disagree.length || notScanned.length || !orderOk) failed++;
  if (!problems.length) {
    writeFileSync(path.join(bookDir, "truth.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    process.stdout.write(`  wrote ${path.join(bookDir, "truth.jsonl")}\n`);
  }
}
process.exit(failed ? 1 : 0);
