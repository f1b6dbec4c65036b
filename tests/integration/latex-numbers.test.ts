/**
 * LaTeX numbers with and without TeX: `loadCourseWithTex` compiles the main file with the real pdflatex
 * (lib/course/latex/engine) and settles the derived numbers with its trace; without an engine the numbers
 * are derived. Needs pdflatex (scripts/test.sh installs TeX Live from Debian).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listItems } from "@/lib/course/items";
import { findTexEngine } from "@/lib/course/latex/engine";
import { loadCourseWithTex } from "@/lib/course/load-course";

const FIXTURES = path.resolve(__dirname, "../fixtures/latex");
const found = findTexEngine({ setting: undefined });
if (!found.engine) throw new Error(`these tests need pdflatex: ${found.reason}`);
const engine = found.engine;

const labels = (doc: Awaited<ReturnType<typeof loadCourseWithTex>>) => listItems(doc).map((i) => `${i.label} @${i.source.file}:${i.source.line}`);
const messages = (doc: Awaited<ReturnType<typeof loadCourseWithTex>>) => doc.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`);

describe("the same book with and without TeX", () => {
  it("macro-chapters: the derived numbers and pdflatex's agree, item for item", async () => {
    const derived = await loadCourseWithTex({ path: path.join(FIXTURES, "macro-chapters"), tex: null });
    const traced = await loadCourseWithTex({ path: path.join(FIXTURES, "macro-chapters"), tex: engine });
    expect(derived.numbers).toMatch(/^derived from the source/);
    expect(traced.numbers).toMatch(/^as printed by pdfTeX/);
    expect(labels(traced)).toEqual(labels(derived));
    expect(labels(traced)).toContain("Key Idea 2 @main.tex:39");
    expect(messages(traced)).toEqual(messages(derived));
  });

  it("macro-boxes: the box TeX numbered and the parse could not name is a warning at its line", async () => {
    const traced = await loadCourseWithTex({ path: path.join(FIXTURES, "macro-boxes"), tex: engine });
    expect(messages(traced)).toEqual([
      "main.tex:9: TeX numbered 2 (\\keybox, counter keyboxcounter) here, but the source parse found no item here",
      "style.sty:7: \\keybox (style.sty:7) steps counter keyboxcounter: 1 numbered item may be missing (numbers from the TeX run)",
    ]);
  });
});

describe("where TeX and the source disagree", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "latex-numbers-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the printed number wins, and the disagreement is a warning at the item's line", async () => {
    // \inputlineno is what TeX knows and the source parse cannot evaluate: theorem 1.1 is printed as 1.7 (set to line 6, then stepped).
    writeFileSync(
      path.join(dir, "book.tex"),
      [
        "\\documentclass{book}",
        "\\usepackage{amsthm}",
        "\\newtheorem{theorem}{Theorem}[chapter]",
        "\\begin{document}",
        "\\chapter{One}",
        "\\setcounter{theorem}{\\inputlineno}",
        "\\begin{theorem}\\label{t}A theorem.\\end{theorem}",
        "\\end{document}",
      ].join("\n"),
    );
    const derived = await loadCourseWithTex({ path: dir, tex: null });
    expect(labels(derived)).toContain("Theorem 1.1 @book.tex:7");
    const traced = await loadCourseWithTex({ path: dir, tex: engine });
    expect(labels(traced)).toContain("Theorem 1.7 @book.tex:7");
    expect(messages(traced)).toContain("book.tex:7: \\begin{theorem}: derived number 1.1, but TeX printed 1.7; using 1.7");
  });

  it("a document TeX cannot compile keeps the derived numbers and names the first error at its line", async () => {
    writeFileSync(path.join(dir, "book.tex"), "\\documentclass{book}\n\\begin{document}\n\\chapter{One}\n\\undefinedcommandhere\n\\end{document}\n");
    const traced = await loadCourseWithTex({ path: dir, tex: engine });
    expect(traced.numbers).toMatch(/^derived from the source \(pdflatex could not compile it cleanly/);
    expect(messages(traced)).toEqual([expect.stringMatching(/^book\.tex:4: pdflatex reported 1 error compiling book\.tex \(first: Undefined control sequence/)]);
    expect(labels(traced)).toEqual(["Chapter 1 @book.tex:3"]);
  });

  it("a missing image does not veto the trace; another error does (the derived numbers then stand)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tex-missing-"));
    try {
      const doc = (body: string) =>
        String.raw`\documentclass{article}
\usepackage{graphicx,amsthm}
\newtheorem{theorem}{Theorem}[section]
\begin{document}
\section{One}
${body}
\begin{theorem}T.\end{theorem}
\end{document}
`;
      writeFileSync(path.join(dir, "main.tex"), doc(String.raw`\includegraphics{cover-lores-front}`));
      const traced = await loadCourseWithTex({ path: dir, tex: engine });
      expect(traced.numbers).toMatch(/^as printed by pdfTeX/);
      expect(messages(traced).join("\n")).toMatch(/1 image not in the folder/);
      writeFileSync(path.join(dir, "main.tex"), doc(String.raw`\undefinedmacro`));
      const failed = await loadCourseWithTex({ path: dir, tex: engine });
      expect(failed.numbers).toMatch(/^derived from the source/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
