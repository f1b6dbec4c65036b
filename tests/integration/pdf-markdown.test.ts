/**
 * A PDF printed from Markdown, as instructors export it: the demo course's Markdown chapter rendered to HTML
 * with the project's Markdown stack and printed by Debian's Chromium (tests/support/markdown-pdf.ts), then
 * read back with pdf.js. Every numbered heading and item of the Markdown ingest must come back with its
 * printed label, on the page poppler's pdftotext (an independent reader) prints it.
 */
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listItems } from "@/lib/course/items";
import { loadCourse, loadCourseWithPdfs } from "@/lib/course/load-course";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { lookupCitation } from "@/lib/cite/lookup";
import type { CourseItem } from "@/lib/course/types";
import { DEMO_COURSE, DEMO_MARKDOWN, popplerPages, printMarkdownPdf } from "../support/pdf-fixtures";
import { tempDir } from "./helpers";

const tmp = tempDir("pdf-markdown-");
const noModel = { available: false, modelId: "none", reason: "test: full-text only" };
let pdf = "";
let onlyPdf = "";
/** The truth: the Markdown ingest of the demo course (course.json context), its Chapter 5 file's numbered parts. */
let markdown: CourseItem[] = [];
beforeAll(() => {
  pdf = printMarkdownPdf(tmp.dir);
  onlyPdf = path.join(tmp.dir, "only-pdf");
  mkdirSync(onlyPdf);
  cpSync(pdf, path.join(onlyPdf, "optimisation.pdf"));
  markdown = listItems(loadCourse({ path: DEMO_COURSE })).filter((i) => i.source.file === DEMO_MARKDOWN);
}, 180_000);
afterAll(() => tmp.cleanup());

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The page poppler prints the item's label on, at a line's start ("Section 5.1: Least squares", "Exercise 5.4 ("). */
function truthPage(pages: string[], it: CourseItem): number | undefined {
  const re = new RegExp(`^\\s*${esc(it.label)}\\b[ .(:]`, "m");
  return pages.findIndex((text) => re.test(text)) + 1 || undefined;
}

describe("a PDF printed by Chromium from the demo course's Markdown", () => {
  it("gives every numbered heading and item of the Markdown ingest, with its label, on its page", async () => {
    expect(markdown.length).toBeGreaterThan(20);
    const pages = popplerPages(pdf);
    expect(pages.filter((p) => p.trim()).length).toBeGreaterThan(1);
    const { doc } = await loadCourseWithPdfs({ path: onlyPdf });
    expect(doc.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const fromPdf = new Map(listItems(doc).map((i) => [i.label, i]));
    const wrong: string[] = [];
    for (const it of markdown) {
      const got = fromPdf.get(it.label);
      const page = truthPage(pages, it);
      if (!page || !got || got.source.file !== "optimisation.pdf" || got.source.line !== page) wrong.push(`${it.label}: page ${got?.source.line ?? "missing"}, printed on ${page}`);
    }
    // Target ≥ 95 % (aim 100 %).
    expect(wrong, wrong.join("\n")).toEqual([]);
    expect(listItems(doc).length).toBe(markdown.length);
    // Titles come back apart from the labels, and the exercises' parts as parts.
    for (const it of markdown) if (it.title) expect(fromPdf.get(it.label)?.title, it.label).toBe(it.title);
    expect(fromPdf.get("Exercise 5.8")?.parts).toEqual(["a", "b", "c"]);
  }, 120_000);

  it("stored: a citation says {file, page}", async () => {
    const db = path.join(tmp.dir, "db");
    const summary = await ingestCourse({ path: onlyPdf, db, embedder: null, modelStatus: noModel });
    expect(summary.errors).toEqual([]);
    const it = markdown.find((i) => i.label === "Theorem 5.11")!;
    const truth = truthPage(popplerPages(pdf), it);
    const r = await lookupCitation({ db, ref: "Theorem 5.11", course: summary.course });
    if (r.status !== "found") throw new Error(`not found: ${r.status}`);
    expect(r.item.source).toMatchObject({ file: "optimisation.pdf", page: truth });
  }, 180_000);
});
