/**
 * PDF fixtures made here, never committed: the demo course's LaTeX compiled by the real pdflatex, the
 * demo course with its LaTeX part replaced by that PDF, a "scan" (a page as an image, no text layer), and the
 * demo course's Markdown chapter rendered to HTML and printed by Chromium (`markdown-pdf.ts`).
 * Shared by the PDF tests, `npm run bench:ingest-pdf` and the PDF retrieval comparison.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { printMarkdownFile } from "./markdown-pdf";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const DEMO_COURSE = path.join(ROOT, "content/demo-course");

/** Runs pdflatex twice (references, contents) in `dir`, nonstop, no shell escape; throws with the log's first error. */
export function pdflatex(dir: string, main: string, runs = 2): string {
  for (let i = 0; i < runs; i++) {
    try {
      execFileSync("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", main], { cwd: dir, stdio: "pipe", timeout: 180_000 });
    } catch (e) {
      const log = readFileSync(path.join(dir, main.replace(/\.tex$/, ".log")), "utf8");
      throw new Error(`pdflatex ${main} failed: ${/^!.*$/m.exec(log)?.[0] ?? (e as Error).message}`);
    }
  }
  return path.join(dir, main.replace(/\.tex$/, ".pdf"));
}

/** The demo course's LaTeX notes (Chapters 3–4) compiled in `into`/tex; returns the PDF's path. */
export function compileDemoPdf(into: string): string {
  const tex = path.join(into, "tex");
  cpSync(path.join(DEMO_COURSE, "tex"), tex, { recursive: true });
  for (const f of ["notes.aux", "notes.toc", "notes.pdf", "notes.log", "chapters/derivatives.aux"]) rmSync(path.join(tex, f), { force: true });
  return pdflatex(tex, "notes.tex");
}

/**
 * The demo course as an instructor holding the PDF of Chapters 3–4 has it: the text-export and Markdown
 * files as they are, `tex/notes.tex` replaced by `notes.pdf` (course.json `files` says so). Returns the folder.
 */
export function demoCourseWithPdf(into: string, pdf: string): string {
  const dest = path.join(into, "course-pdf");
  cpSync(DEMO_COURSE, dest, { recursive: true, filter: (src) => !src.startsWith(path.join(DEMO_COURSE, "tex")) });
  copyFileSync(pdf, path.join(dest, "notes.pdf"));
  const json = JSON.parse(readFileSync(path.join(dest, "course.json"), "utf8")) as { id: string; files: string[] };
  json.id = `${json.id}-pdf`;
  json.files = json.files.map((f) => (f === "tex/notes.tex" ? "notes.pdf" : f));
  writeFileSync(path.join(dest, "course.json"), JSON.stringify(json, null, 2));
  return dest;
}

/** The demo course's Markdown chapter (Chapter 5) as an instructor exports it: rendered to HTML, printed to PDF by Chromium in `into`/md-pdf. */
export const DEMO_MARKDOWN = "md/05-optimisation-in-practice.md";
export function printMarkdownPdf(into: string): string {
  return printMarkdownFile(into, DEMO_COURSE, path.join(DEMO_COURSE, DEMO_MARKDOWN)).pdf;
}

/** A PDF whose one page is an image of a text page (as a scanner makes it): no text layer. */
export function scannedPdf(into: string, fromPdf: string): string {
  const dir = path.join(into, "scan");
  mkdirSync(dir, { recursive: true });
  execFileSync("pdftoppm", ["-f", "5", "-l", "5", "-r", "60", "-png", "-singlefile", fromPdf, path.join(dir, "page")], { stdio: "pipe" });
  writeFileSync(path.join(dir, "scan.tex"), "\\documentclass{article}\\usepackage{graphicx}\\pagestyle{empty}\\begin{document}\\noindent\\includegraphics[width=\\textwidth]{page.png}\\end{document}\n");
  return pdflatex(dir, "scan.tex", 1);
}

/** Each page's text as poppler's pdftotext reads it (index 0 = page 1): an independent reading the pdf.js one is checked against. */
export function popplerPages(pdf: string): string[] {
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return text.split("\f");
}

/**
 * A long PDF for the ingest benchmark: the demo's two LaTeX chapters set `copies` times in one book
 * (≈ 21 pages a copy; 14 copies ≈ 300 pages). Chapters number on (3, 4, 5, …); the repeated \labels only warn.
 */
export function compileLongDemoPdf(into: string, copies: number): string {
  const tex = path.join(into, "tex");
  cpSync(path.join(DEMO_COURSE, "tex"), tex, { recursive: true });
  const notes = readFileSync(path.join(tex, "notes.tex"), "utf8");
  const preamble = notes.slice(0, notes.indexOf("\\begin{document}"));
  const body = Array.from({ length: copies }, () => "\\input{chapters/derivatives}\n\\input{chapters/convexity}\n").join("");
  writeFileSync(path.join(tex, "long.tex"), `${preamble}\\begin{document}\n\\mainmatter\n\\setcounter{chapter}{2}\n${body}\\end{document}\n`);
  return pdflatex(tex, "long.tex", 1);
}
