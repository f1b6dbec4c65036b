/**
 * Sweave / knitr notes (.Rnw): R code chunks are code, not LaTeX. The fixture `tests/fixtures/latex/sweave-notes`
 * has R's `%in%` (a LaTeX comment that would swallow a brace), `df$a` (a LaTeX math shift), a chunk with an
 * unbalanced brace in a hidden chunk and a chunk ended by the next one; the headings and items after them must
 * keep their printed numbers, and the code must stay in the passage as code.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCourse } from "@/lib/course/load-course";
import { sweaveToLatex } from "@/lib/course/latex/sweave";
import type { Block, SectionNode } from "@/lib/course/types";
import { FIXTURES, blocks, byLabel, nodes, parseFixture } from "./support";

const DIR = path.join(FIXTURES, "sweave-notes");
const SOURCE = readFileSync(path.join(DIR, "notes.Rnw"), "utf8");
const lineOf = (needle: string) => SOURCE.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("sweaveToLatex", () => {
  it("keeps every line where it was: chunks become verbatim, hidden ones blank, \\Sexpr inline code", () => {
    const out = sweaveToLatex(SOURCE);
    const lines = out.text.split("\n");
    expect(lines).toHaveLength(SOURCE.split("\n").length);
    expect(out.chunks).toBe(6);
    expect(lines[lineOf("<<vectors>>=") - 1]).toBe("\\begin{verbatim}");
    expect(lines[lineOf("x[x %in% c(3, 8)]") - 1]).toContain("%in%");
    expect(lines[lineOf("options(width = 60)") - 1]).toBe("");
    expect(lines[lineOf("<<more>>=") - 1]).toBe("\\end{verbatim}\\begin{verbatim}");
    expect(lines[lineOf("\\Sexpr{mean(df$a)}") - 1]).toContain("\\texttt{mean(df\\$a)}");
    expect(out.text).not.toContain("SweaveOpts");
  });

  it("reports a chunk that is never closed, at its opening line", () => {
    const out = sweaveToLatex("Text.\n<<open>>=\nx <- 1\n");
    expect(out.unclosed).toBe(2);
    expect(out.text.split("\n")).toHaveLength(4);
    expect(out.text).toMatch(/\\end\{verbatim\}$/);
  });
});

describe("an .Rnw main file", () => {
  const res = parseFixture("sweave-notes", "notes.Rnw");

  it("numbers headings and items after R code as printed", () => {
    const headings = nodes(res.chapters).filter((n) => n.number).map((n: SectionNode) => `${n.kind} ${n.number} ${n.title}`);
    expect(headings).toEqual(["chapter 1 Data in R", "section 1.1 Vectors", "section 1.2 Data frames", "chapter 2 Models", "section 2.1 Linear models"]);
    expect(blocks(res.chapters).filter((b) => b.number).map((b) => b.label)).toEqual(["Example 1.1", "Theorem 1.2", "Example 2.1"]);
    expect(res.labels["ex:mean"]?.number).toBe("1.1");
    expect(res.diagnostics.filter((d) => /unmatched|unbalanced|inside an environment|never ended/.test(d.message))).toEqual([]);
  });

  it("keeps the R code as code in the passage, and \\Sexpr as inline code", () => {
    const ex = byLabel(res, "ex:mean") as Block;
    expect(ex.text).toContain("mean(x)");
    // inline code; the printed-text pass keeps TeX's escaped dollar as "\\$"
    expect(ex.text).toMatch(/`mean\(df\\?\$a\)`/);
    expect(ex.text).toContain("`round(sd(x), 2)`");
    const lm = byLabel(res, "ex:lm") as Block;
    expect(lm.text).toContain("Example 1.1 again");
    expect(lm.text).toContain("coef(fit)$`(Intercept)`");
    expect(blocks(res.chapters).some((b) => b.text.includes("options(width"))).toBe(false);
  });

  it("is found as the book of its folder, with or without course.json main", () => {
    const doc = loadCourse({ path: DIR });
    expect(doc.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(doc.files).toEqual(["notes.Rnw"]);
    const bare = mkdtempSync(path.join(tmpdir(), "tutor-rnw-"));
    try {
      writeFileSync(path.join(bare, "notes.Rnw"), SOURCE);
      const found = loadCourse({ path: bare });
      expect(found.files).toEqual(["notes.Rnw"]);
      expect(found.chapters.map((c) => c.number)).toEqual(["1", "2"]);
      // knitr's output beside it is the book as printed (R's results in): the .Rnw is its source, skipped
      writeFileSync(path.join(bare, "notes.tex"), "\\documentclass{book}\n\\begin{document}\n\\chapter{Knitted}\n\\end{document}\n");
      const knitted = loadCourse({ path: bare });
      expect(knitted.files).toEqual(["notes.tex"]);
      expect(knitted.diagnostics.find((d) => d.file === "notes.Rnw")?.message).toMatch(/Sweave\/knitr source of notes\.tex/);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
