/**
 * Book layouts the derived numbers must read as pdflatex prints them (the trace is the truth): memoir's numbering
 * depth, exercise lists under a numbered or unnumbered "Exercises" heading, an exercise list laid out as a
 * question & answer table. Each book is read without TeX and with the real pdflatex, and both must agree with
 * the PDF. Needs pdflatex (scripts/test.sh installs TeX Live from Debian).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listItems } from "@/lib/course/items";
import { findTexEngine } from "@/lib/course/latex/engine";
import { loadCourseWithTex } from "@/lib/course/load-course";

const found = findTexEngine({ setting: undefined });
if (!found.engine) throw new Error(`these tests need pdflatex: ${found.reason}`);
const engine = found.engine;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function both(tex: string) {
  const dir = mkdtempSync(path.join(tmpdir(), "tex-layouts-"));
  dirs.push(dir);
  writeFileSync(path.join(dir, "main.tex"), tex);
  const derived = await loadCourseWithTex({ path: dir, tex: null });
  const traced = await loadCourseWithTex({ path: dir, tex: engine });
  expect(traced.numbers).toMatch(/^as printed by pdfTeX/);
  return { derived, traced };
}
type Doc = Awaited<ReturnType<typeof loadCourseWithTex>>;
const labels = (doc: Doc) => listItems(doc).map((i) => `${i.label} @${i.source.line}`);
const warnings = (doc: Doc) => doc.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`);

describe("book layouts, with and without TeX", () => {
  it("memoir numbers down to sections (\\setsecnumdepth{section}), \\setsecnumdepth{subsection} one level more; \\frontmatter none; the trace sees memoir's headings", async () => {
    const book = (preamble: string) =>
      [
        "\\documentclass{memoir}", // 1
        preamble, // 2
        "\\begin{document}", // 3
        "\\frontmatter", // 4
        "\\chapter{Preface}", // 5
        "\\section{Thanks}", // 6
        "\\mainmatter", // 7
        "\\chapter{Sets}", // 8
        "\\section{Members}", // 9
        "\\subsection{Empty set}", // 10
        "\\end{document}",
      ].join("\n");
    const plain = await both(book(""));
    const printed = ["Chapter 1 @8", "Section 1.1 @9"];
    expect(labels(plain.derived)).toEqual(expect.arrayContaining(printed));
    expect(labels(plain.derived).filter((l) => /^(Chapter|Section|Subsection) /.test(l))).toEqual(printed);
    expect(labels(plain.traced).filter((l) => /^(Chapter|Section|Subsection) /.test(l))).toEqual(printed);
    const deeper = await both(book("\\setsecnumdepth{subsection}"));
    expect(labels(deeper.derived).filter((l) => /^(Chapter|Section|Subsection) /.test(l))).toEqual([...printed, "Subsection 1.1.1 @10"]);
    expect(labels(deeper.traced).filter((l) => /^(Chapter|Section|Subsection) /.test(l))).toEqual([...printed, "Subsection 1.1.1 @10"]);
    expect(warnings(deeper.derived)).toEqual([]);
    // the trace sees memoir's headings (\M@sect steps the counter): no heading is a disagreement
    expect(warnings(plain.traced)).toEqual([]);
    expect(warnings(deeper.traced)).toEqual([]);
  });

  it("an enumerate under a numbered 'Exercises' section is Exercise <section>.n, under an unnumbered one Exercise <last numbered heading>.n — the second chapter's not repeating the first's", async () => {
    const { derived, traced } = await both(
      [
        "\\documentclass{book}", // 1
        "\\begin{document}", // 2
        "\\chapter{Sets}", // 3
        "\\section{Exercises}", // 4
        "\\begin{enumerate}", // 5
        "\\item One.", // 6
        "\\item Two.", // 7
        "\\end{enumerate}", // 8
        "\\chapter{Relations}", // 9
        "\\section{Pairs}", // 10
        "\\section*{Exercises}", // 11
        "\\begin{enumerate}", // 12
        "\\item Three.", // 13
        "\\end{enumerate}", // 14
        "\\end{document}",
      ].join("\n"),
    );
    const ex = (doc: Doc) => labels(doc).filter((l) => l.startsWith("Exercise"));
    expect(ex(traced)).toEqual(["Exercise 1.1.1 @6", "Exercise 1.1.2 @7", "Exercise 2.1.1 @13"]); // under the last numbered heading, Section 2.1
    expect(ex(derived)).toEqual(ex(traced));
  });

  it("an exercise list laid out as a question & answer longtable inside the enumerate: one exercise per \\item, question and answer kept", async () => {
    const { derived, traced } = await both(
      [
        "\\documentclass{book}", // 1
        "\\usepackage{longtable,array}", // 2
        "\\begin{document}", // 3
        "\\chapter{Sets}", // 4
        "\\section{Exercises}", // 5
        "\\begin{small}", // 6
        "\\begin{enumerate}", // 7
        "\\newcolumntype{Q}{>{\\arraybackslash}m{.4\\textwidth}}", // 8
        "\\begin{longtable}{Q || p{.5\\textwidth}}", // 9
        "\\hline", // 10
        "\\item Is the set $\\{1,2\\}$ the same as $\\{2,1\\}$?", // 11
        "&", // 12
        "Yes indeed.", // 13
        "\\\\", // 14
        "\\hline", // 15
        "\\item Is the pair $(1,2)$ the same as $(2,1)$? & No. Order matters. \\\\", // 16
        "\\hline", // 17
        "\\end{longtable}", // 18
        "\\end{enumerate}", // 19
        "\\end{small}", // 20
        "\\end{document}",
      ].join("\n"),
    );
    const ex = (doc: Doc) => listItems(doc).filter((i) => i.kind === "exercise").map((i) => `${i.label} @${i.source.line}: ${i.text.replace(/\s+/g, " ")}`);
    expect(ex(traced)).toEqual(["Exercise 1.1.1 @11: Is the set $\\{1,2\\}$ the same as $\\{2,1\\}$? Yes indeed.", "Exercise 1.1.2 @16: Is the pair $(1,2)$ the same as $(2,1)$? No. Order matters."]);
    expect(ex(derived)).toEqual(ex(traced));
    expect(warnings(derived)).toEqual([]);
    // the trace itself names them (longtable's own step of the table counter is no "Table 1.1" owning them)
    expect(warnings(traced)).toEqual([]);
    expect(labels(traced)).toEqual(["Chapter 1 @4", "Section 1.1 @5", "Exercise 1.1.1 @11", "Exercise 1.1.2 @16"]);
  });

  it("a book pdfTeX cannot typeset (TikZ's graph drawing: 'You need to run LuaTeX') is traced with lualatex", async () => {
    expect(engine.kind).toBe("pdflatex");
    const dir = mkdtempSync(path.join(tmpdir(), "tex-layouts-"));
    dirs.push(dir);
    writeFileSync(
      path.join(dir, "main.tex"),
      ["\\documentclass{article}", "\\usepackage{tikz}", "\\usetikzlibrary{graphdrawing}", "\\newtheorem{theorem}{Theorem}", "\\begin{document}", "\\section{One}", "\\begin{theorem}T.\\end{theorem}", "\\end{document}"].join("\n"),
    );
    const traced = await loadCourseWithTex({ path: dir, tex: engine });
    expect(traced.numbers).toMatch(/^as printed by This is LuaHBTeX/);
    expect(labels(traced)).toEqual(["Section 1 @6", "Theorem 1 @7"]);
    expect(warnings(traced)).toEqual([]);
  }, 300_000); // a fresh machine's first lualatex run builds luaotfload's font database first
});
