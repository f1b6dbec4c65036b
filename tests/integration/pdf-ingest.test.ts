/**
 * PDF notes, read with pdf.js, checked against the LaTeX they were compiled from: the demo course's
 * Chapters 3–4 compiled here by the real pdflatex (scripts/test.sh installs TeX Live and poppler-utils).
 * Every numbered heading and item of the LaTeX ingest must come back with its printed number, on the page
 * poppler's pdftotext (an independent reader) finds it.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCoursePdf } from "@/lib/cite/pdf-file";
import { highlightRects, pdfPageWords, renderPdfPage } from "@/lib/cite/pdf-page";
import { lookupCitation } from "@/lib/cite/lookup";
import { findPassages } from "@/lib/retrieve/search";
import { listItems } from "@/lib/course/items";
import { loadCourse, loadCourseWithPdfs } from "@/lib/course/load-course";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import type { CourseItem } from "@/lib/course/types";
import { compileDemoPdf, DEMO_COURSE, popplerPages, scannedPdf } from "../support/pdf-fixtures";
import { tempDir } from "./helpers";
import * as lancedb from "@lancedb/lancedb";
import { TABLES, manifestSchema, type ManifestRow } from "@/lib/store/schema";
import { invalidateSnapshots } from "@/lib/store/read";
import { cpSync, mkdirSync } from "node:fs";

const tmp = tempDir("pdf-ingest-");
const noModel = { available: false, modelId: "none", reason: "test: full-text only" };
let pdf = "";
let onlyPdf = "";
beforeAll(() => {
  pdf = compileDemoPdf(tmp.dir);
  onlyPdf = path.join(tmp.dir, "only-pdf");
  mkdirSync(onlyPdf);
  cpSync(pdf, path.join(onlyPdf, "lecture-notes.pdf"));
}, 300_000);
afterAll(() => tmp.cleanup());

/** Where poppler prints the item: its number at the start of a line ("Theorem 3.12 (", "3.1 The derivative", "Chapter 3"). */
function truthPage(pages: string[], it: CourseItem): number | undefined {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // The title's first letters: the LaTeX text has "Newton's" where the print has "Newton’s".
  const firstWords = esc(it.title.slice(0, 4));
  const re =
    it.kind === "chapter"
      ? new RegExp(`^\\s*Chapter\\s+${esc(it.number)}\\s*$`, "m")
      : it.kind === "section" || it.kind === "subsection"
        ? new RegExp(`^\\s*${esc(it.number)}\\s+${firstWords}`, "m")
        : new RegExp(`^\\s*${esc(it.label)}\\b[ .(:]`, "m");
  // The contents pages list headings too: the heading's own page is the last match for a heading, the first for an item.
  const hits = pages.flatMap((text, i) => (re.test(text) ? [i + 1] : []));
  return it.kind === "section" || it.kind === "subsection" ? hits.at(-1) : hits[0];
}

describe("a PDF compiled from the demo course's LaTeX", () => {
  it("gives every numbered heading and item of the LaTeX ingest, as printed, on its page", async () => {
    const latex = listItems(loadCourse({ path: path.join(DEMO_COURSE, "tex/notes.tex") }));
    const { doc } = await loadCourseWithPdfs({ path: onlyPdf });
    expect(doc.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const fromPdf = new Map(listItems(doc).map((i) => [i.label, i]));
    const pages = popplerPages(pdf);
    const wrong: string[] = [];
    for (const it of latex) {
      const got = fromPdf.get(it.label);
      const page = truthPage(pages, it);
      if (!got || got.source.file !== "lecture-notes.pdf" || got.source.line !== page) wrong.push(`${it.label}: page ${got?.source.line ?? "missing"}, printed on ${page}`);
    }
    expect(latex.length).toBeGreaterThan(80);
    // Target ≥ 95 %; the demo is plain amsthm, so nothing should be lost.
    expect(wrong).toEqual([]);
    expect(listItems(doc).length).toBe(latex.length);
  }, 120_000);

  it("reads the text as printed: hyphenation joined, running heads and page numbers gone, titles apart", async () => {
    const { doc } = await loadCourseWithPdfs({ path: onlyPdf });
    const items = listItems(doc);
    const chapter = items.find((i) => i.label === "Chapter 3")!;
    expect(chapter.title).toBe("Derivatives, gradients and Hessians");
    // "func-" / "tions" at a line end in the chapter's introduction.
    expect(chapter.text).toContain("functions of several variables");
    const all = items.map((i) => i.text).join("\n");
    expect(all).not.toMatch(/CHAPTER 3\. DERIVATIVES/);
    expect(all).not.toMatch(/3\.1\. THE DERIVATIVE|CONTENTS/);
    const def = items.find((i) => i.label === "Definition 3.1")!;
    expect(def.title).toBe("Derivative");
    expect(def.text).toMatch(/^The function f : I → R is differentiable/);
    const taylor = items.find((i) => i.label === "Theorem 3.12")!;
    expect(taylor.title).toBe("Taylor’s theorem with Lagrange remainder");
    // Exponents stay exponents.
    expect(taylor.text).toContain("(x − a)^{n+1}");
    const ex = items.find((i) => i.label === "Exercise 3.16")!;
    expect(ex.parts).toEqual(["a", "b"]);
  }, 120_000);

  it("numbers exercises listed under an 'Exercises 2.1' heading as Exercise 2.1.6", async () => {
    const dir = path.join(tmp.dir, "exercise-list");
    mkdirSync(dir);
    const body = (n: number) => `\\item Show that $${n}x^2 \\geq 0$ for every real number $x$, and say when equality holds.`;
    writeFileSync(
      path.join(dir, "ex.tex"),
      [
        "\\documentclass{book}",
        "\\begin{document}",
        "\\chapter{Sets}",
        "\\section{Subsets}",
        "Some text about subsets.",
        "\\subsection*{Exercises 2.1}",
        "\\begin{enumerate}",
        ...[1, 2, 3, 4, 5, 6, 7].map(body),
        "\\end{enumerate}",
        "\\end{document}",
      ].join("\n"),
    );
    const { pdflatex } = await import("../support/pdf-fixtures");
    pdflatex(dir, "ex.tex", 1);
    const notes = path.join(dir, "notes");
    mkdirSync(notes);
    cpSync(path.join(dir, "ex.pdf"), path.join(notes, "ex.pdf"));
    const { doc } = await loadCourseWithPdfs({ path: notes });
    const labels = listItems(doc).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(["Exercise 2.1.1", "Exercise 2.1.6", "Exercise 2.1.7"]));
    expect(listItems(doc).find((i) => i.label === "Exercise 2.1.6")!.text).toMatch(/^Show that 6x\^2 ≥ 0/);
  }, 120_000);

  it("a scan (no text layer) is an error at the file, and the course is not stored", async () => {
    const scan = scannedPdf(tmp.dir, pdf);
    const dir = path.join(tmp.dir, "scanned");
    mkdirSync(dir);
    cpSync(scan, path.join(dir, "lecture.pdf"));
    const { doc } = await loadCourseWithPdfs({ path: dir });
    const errors = doc.diagnostics.filter((d) => d.severity === "error");
    const atFile = errors.find((d) => d.file === "lecture.pdf");
    expect(atFile).toMatchObject({ file: "lecture.pdf", line: 1 });
    expect(atFile!.message).toMatch(/no text layer .*scanned PDF cannot be read without OCR/);
    await expect(ingestCourse({ path: dir, db: path.join(tmp.dir, "db-scan"), embedder: null, modelStatus: noModel })).rejects.toThrow();
  }, 120_000);

  it("a file named .pdf that is not one is an error at the file", async () => {
    const dir = path.join(tmp.dir, "fake");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "notes.pdf"), "Chapter 1: not a pdf\n");
    const { doc } = await loadCourseWithPdfs({ path: dir });
    expect(doc.diagnostics.find((d) => d.file === "notes.pdf")?.message).toMatch(/not a PDF/);
  });

  it("when the LaTeX source and its PDF are both there, the source is read and the PDF supplies the pages", async () => {
    const dir = path.join(tmp.dir, "both");
    cpSync(path.dirname(pdf), dir, { recursive: true });
    const { doc } = await loadCourseWithPdfs({ path: dir });
    expect(doc.files).not.toContain("notes.pdf");
    expect(doc.files).toContain("chapters/derivatives.tex");
    expect(doc.diagnostics.find((d) => d.file === "notes.pdf")?.message).toMatch(/the PDF of notes\.tex, whose LaTeX source is read instead; it supplies the pages \((\d+) of \1 numbered/);
    // The PDF supplies the pages: every numbered heading and item of the source knows the page poppler prints it on.
    const pages = popplerPages(pdf);
    const items = listItems(doc);
    expect(items.length).toBeGreaterThan(80);
    const wrong = items.filter((it) => it.source.pdf !== "notes.pdf" || it.source.page !== truthPage(pages, it)).map((it) => `${it.label}: ${it.source.page} vs ${truthPage(pages, it)}`);
    expect(wrong).toEqual([]);
    // So do the paragraphs between them (the page of the numbered part before them, or a later one).
    const paragraphs = doc.chapters.flatMap((c) => [c, ...c.children]).flatMap((n) => n.blocks).filter((b) => !b.label);
    expect(paragraphs.length).toBeGreaterThan(10);
    expect(paragraphs.every((b) => typeof b.source.page === "number" && b.source.pdf === "notes.pdf")).toBe(true);
    expect(items.every((it) => it.source.line > 0 && it.source.file.endsWith(".tex"))).toBe(true);
  }, 120_000);

  it("stored beside its LaTeX: a citation says file:line and the PDF's page, and that PDF is served; an older store without the columns reads and gets them on the next ingest", async () => {
    const dir = path.join(tmp.dir, "both-stored");
    cpSync(path.dirname(pdf), dir, { recursive: true });
    const db = path.join(tmp.dir, "db-both");
    const summary = await ingestCourse({ tex: "none", path: dir, db, embedder: null, modelStatus: noModel });
    expect(summary.errors).toEqual([]);
    const truth = popplerPages(pdf).findIndex((t) => /^\s*Theorem 3\.12 \(/m.test(t)) + 1;
    const r = await lookupCitation({ db, ref: "Theorem 3.12", course: summary.course });
    if (r.status !== "found") throw new Error(`not found: ${r.status}`);
    expect(r.item.source).toMatchObject({ file: "chapters/derivatives.tex", pdf: "notes.pdf", pdfPage: truth });
    expect((r.item.source as { line: number }).line).toBeGreaterThan(0);
    expect((await readCoursePdf({ db, course: summary.course, file: "notes.pdf" })).subarray(0, 5).toString()).toBe("%PDF-");
    // Search hits (passages) know where they are printed too: the page of the numbered part they begin at or after.
    const found = await findPassages({ db, course: summary.course, question: "Theorem 3.12", mode: "lexical", embedder: null });
    const hit = found.results.find((h) => h.refs.includes("Theorem 3.12") || h.label === "Theorem 3.12")!;
    expect(hit.source).toMatchObject({ file: "chapters/derivatives.tex", pdf: "notes.pdf" });
    const hitPage = (hit.source as { pdfPage: number }).pdfPage;
    expect(hitPage).toBeGreaterThan(0);
    expect(hitPage).toBeLessThanOrEqual(truth);
    expect(popplerPages(pdf)[hitPage - 1].length).toBeGreaterThan(0);

    // An older store: the items table without the two columns, committed by a manifest row.
    const conn = await lancedb.connect(db);
    const items = await conn.openTable(TABLES.items);
    await items.dropColumns(["pdf", "page"]);
    const manifest = await conn.openTable(TABLES.manifest);
    const last = ((await manifest.query().toArray()) as ManifestRow[]).sort((a, b) => b.seq - a.seq)[0];
    await manifest.add(lancedb.makeArrowTable([{ ...last, seq: last.seq + 1, items_version: await items.version() } as unknown as Record<string, unknown>], { schema: manifestSchema }));
    invalidateSnapshots(db);
    const old = await lookupCitation({ db, ref: "Theorem 3.12", course: summary.course });
    expect(old.status === "found" && old.item.source).toEqual({ file: "chapters/derivatives.tex", line: (r.item.source as { line: number }).line, endLine: (r.item.source as { endLine: number }).endLine });
    await ingestCourse({ tex: "none", path: dir, db, embedder: null, modelStatus: noModel });
    invalidateSnapshots(db);
    const fresh = await lookupCitation({ db, ref: "Theorem 3.12", course: summary.course });
    expect(fresh.status === "found" && fresh.item.source).toEqual(r.item.source);
  }, 180_000);

  it("stored: citations say {file, page}, and only the course's own PDF is served", async () => {
    const db = path.join(tmp.dir, "db");
    const summary = await ingestCourse({ path: onlyPdf, db, embedder: null, modelStatus: noModel });
    expect(summary.errors).toEqual([]);
    const r = await lookupCitation({ db, ref: "Theorem 3.12", course: summary.course });
    if (r.status !== "found") throw new Error(`not found: ${r.status}`);
    const truth = popplerPages(pdf).findIndex((t) => /^\s*Theorem 3\.12 \(/m.test(t)) + 1;
    expect(r.item.source).toEqual({ file: "lecture-notes.pdf", page: truth, endPage: truth });
    const bytes = await readCoursePdf({ db, course: summary.course, file: "lecture-notes.pdf" });
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    for (const file of ["../lecture-notes.pdf", "other.pdf", "course.json", path.join(onlyPdf, "lecture-notes.pdf")]) {
      await expect(readCoursePdf({ db, course: summary.course, file })).rejects.toMatchObject({ code: "not-found" });
    }

    // The page rendered, and the passage highlighted: the rectangles cover the theorem's first printed words.
    const png = await renderPdfPage(bytes, truth);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    const { width, height, words } = await pdfPageWords(bytes, truth);
    const rects = highlightRects(words, r.item.text, width, height);
    expect(rects.length).toBeGreaterThan(1);
    const head = words.findIndex((w, i) => w.text === "Theorem" && words[i + 1]?.text === "3.12");
    expect(head).toBeGreaterThanOrEqual(0);
    // The first words after the head and title (the statement) lie inside a rectangle.
    const inside = (w: (typeof words)[number]) => rects.some((q) => w.x0 / width >= q.x - 1e-6 && w.x1 / width <= q.x + q.w + 1e-6 && w.y0 / height >= q.y - 1e-6 && w.y1 / height <= q.y + q.h + 1e-6);
    const firstWord = r.item.text.split(/\s+/).find((t) => /^[A-Za-z]{4,}$/.test(t))!;
    const printedFirst = words.findIndex((w, i) => i > head && w.text === firstWord);
    expect(printedFirst).toBeGreaterThan(head);
    expect(inside(words[printedFirst])).toBe(true);
    // Words of the page far from the theorem (its last line, the page number) are not highlighted; nor is anything for text not on the page.
    expect(inside(words[words.length - 1])).toBe(false);
    expect(highlightRects(words, "zebra quagga okapi wildebeest gnu", width, height)).toEqual([]);
    await expect(renderPdfPage(bytes, 9999)).rejects.toMatchObject({ code: "not-found" });
    await expect(pdfPageWords(bytes, 9999)).rejects.toMatchObject({ code: "not-found" });
  }, 180_000);

  it("while the solutions policy withholds an exercise, the PDF (whose pages print the solutions) is not served, and says until when", async () => {
    const db = path.join(tmp.dir, "db-policy");
    const dir = path.join(tmp.dir, "pdf-policy");
    mkdirSync(dir);
    cpSync(pdf, path.join(dir, "lecture-notes.pdf"));
    const withPolicy = async (solutions: unknown) => {
      writeFileSync(path.join(dir, "course.json"), JSON.stringify({ id: "pdf-policy", solutions }));
      const summary = await ingestCourse({ path: dir, db, embedder: null, modelStatus: noModel });
      expect(summary.errors).toEqual([]);
      invalidateSnapshots(db);
    };
    await withPolicy({ default: { policy: "hints-only", release: "2099-12-12" } });
    const refused = readCoursePdf({ db, course: "pdf-policy", file: "lecture-notes.pdf" });
    await expect(refused).rejects.toMatchObject({ code: "withheld", status: 403 });
    await expect(refused).rejects.toThrow(/releases the solution to Exercise [\d.]+ on 12 Dec 2099/);
    // Released (the date has passed): the PDF is served again.
    await withPolicy({ default: { policy: "hints-only", release: "2020-01-01" } });
    expect((await readCoursePdf({ db, course: "pdf-policy", file: "lecture-notes.pdf" })).subarray(0, 5).toString()).toBe("%PDF-");
  }, 180_000);
});
