/**
 * `npm run pdf:demo -- <dir>`: the demo course as an instructor holding a PDF has it — its LaTeX part
 * (Chapters 3–4) compiled by pdflatex and put in as `notes.pdf` — written to `<dir>/course-pdf`, for
 * comparing the PDF ingest with the LaTeX one (`npm run ingest`, then `npm run eval -- --db …`).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { compileDemoPdf, demoCourseWithPdf } from "../tests/support/pdf-fixtures";

const dir = process.argv[2];
if (!dir || process.argv.length > 3) {
  process.stderr.write("Usage: npm run pdf:demo -- <dir>   (writes <dir>/tex/notes.pdf and <dir>/course-pdf)\n");
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const pdf = compileDemoPdf(path.resolve(dir));
process.stdout.write(`${demoCourseWithPdf(path.resolve(dir), pdf)}\n`);
