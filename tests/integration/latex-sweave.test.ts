/**
 * Sweave / knitr notes with the real TeX engine: pdflatex cannot read an .Rnw (R chunks are not LaTeX), so the
 * sandboxed copy is given the same file with its chunks as verbatim code, line for line; the trace then numbers
 * the book at the .Rnw's own file:line, and the author's folder is left as it was. Needs pdflatex
 * (scripts/test.sh installs TeX Live from Debian).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listItems } from "@/lib/course/items";
import { findTexEngine } from "@/lib/course/latex/engine";
import { loadCourseWithTex } from "@/lib/course/load-course";

const found = findTexEngine({ setting: undefined });
if (!found.engine) throw new Error(`these tests need pdflatex: ${found.reason}`);
const engine = found.engine;

const DIR = path.resolve(__dirname, "../fixtures/latex/sweave-notes");
const SOURCE = readFileSync(path.join(DIR, "notes.Rnw"), "utf8");
const lineOf = (needle: string) => SOURCE.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("an .Rnw main file compiled by TeX", () => {
  it("is numbered by the trace at the .Rnw's lines, as the derived numbers are", async () => {
    const traced = await loadCourseWithTex({ path: DIR, tex: engine });
    const derived = await loadCourseWithTex({ path: DIR, tex: null });
    expect(traced.numbers).toMatch(/^as printed by pdfTeX/);
    const labels = (doc: typeof traced) => listItems(doc).map((i) => `${i.label} ${i.source.file}:${i.source.line}`);
    const expected = [
      `Chapter 1 notes.Rnw:${lineOf("\\chapter{Data in R}")}`,
      `Section 1.1 notes.Rnw:${lineOf("\\section{Vectors}")}`,
      `Example 1.1 notes.Rnw:${lineOf("\\label{ex:mean}")}`,
      `Section 1.2 notes.Rnw:${lineOf("\\section{Data frames}")}`,
      `Theorem 1.2 notes.Rnw:${lineOf("\\label{thm:frames}")}`,
      `Chapter 2 notes.Rnw:${lineOf("\\chapter{Models}")}`,
      `Section 2.1 notes.Rnw:${lineOf("\\section{Linear models}")}`,
      `Example 2.1 notes.Rnw:${lineOf("\\label{ex:lm}")}`,
    ];
    expect(labels(traced)).toEqual(expected);
    expect(labels(derived)).toEqual(expected);
    // no TeX error, no disagreement between the trace and the source
    expect(traced.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
    expect(readFileSync(path.join(DIR, "notes.Rnw"), "utf8")).toBe(SOURCE);
  });
});

describe("an .Rnw whose last R chunk is never closed", () => {
  it("is warned at the chunk's opening line, and the numbers before it are kept", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rnw-unclosed-"));
    const text = ["\\documentclass{book}", "\\begin{document}", "\\chapter{Data}", "\\section{Vectors}", "<<mean>>=", "x <- c(1, 2) %in% y", "\\end{document}", ""].join("\n");
    writeFileSync(path.join(dir, "notes.Rnw"), text);
    const doc = await loadCourseWithTex({ path: dir, tex: null });
    expect(listItems(doc).map((i) => i.label)).toEqual(["Chapter 1", "Section 1.1"]);
    expect(doc.diagnostics.map((d) => `${d.severity} ${d.file}:${d.line}`)).toContain("warning notes.Rnw:5");
    expect(doc.diagnostics.find((d) => d.line === 5)?.message).toMatch(/never closed/);
    rmSync(dir, { recursive: true, force: true });
  });
});
