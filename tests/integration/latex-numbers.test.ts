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
import { ingestCourse } from "@/lib/ingest/ingest-course";

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

describe("the issue's book patterns read the same with TeX and without", () => {
  const both = async (fixture: string) => {
    const derived = await loadCourseWithTex({ path: path.join(FIXTURES, fixture), tex: "none" });
    const traced = await loadCourseWithTex({ path: path.join(FIXTURES, fixture), tex: engine });
    expect(derived.numbers).toMatch(/^derived from the source/);
    expect(traced.numbers).toMatch(/^as printed by pdfTeX/);
    return { derived, traced };
  };

  it("a folder with the book and a wrapper per chapter (each with \\documentclass): the book is the main, the wrappers are named and skipped", async () => {
    const { derived, traced } = await both("wrappers");
    for (const doc of [derived, traced]) {
      expect(doc.mains).toEqual(["book.tex"]);
      expect(labels(doc)).toEqual(["Chapter 1 @chapters/limits.tex:1", "Theorem 1.1 @chapters/limits.tex:2", "Chapter 2 @chapters/series.tex:1", "Theorem 2.1 @chapters/series.tex:2"]);
      expect(messages(doc)).toEqual([
        "limits-alone.tex:1: has its own \\documentclass but is a wrapper around part of book.tex, not another book; skipped",
        "series-alone.tex:1: has its own \\documentclass but is a wrapper around part of book.tex, not another book; skipped",
      ]);
    }
    expect(traced.texRuns).toMatchObject([{ main: "book.tex", used: true, pages: expect.any(Number) }]);
  });

  it("chapters \\input inside \\ifprintcover … \\else … \\fi, and \\end {circuitikz} with a space", async () => {
    const { derived, traced } = await both("circuits");
    const expected = [
      "Chapter 1 @chapters/ohm.tex:1",
      "Section 1.1 @chapters/ohm.tex:3",
      "Example 1.1 @chapters/ohm.tex:5",
      "Exercise 1.1.1 @chapters/ohm.tex:27",
      "Chapter 2 @chapters/kirchhoff.tex:1",
      "Section 2.1 @chapters/kirchhoff.tex:2",
      "Example 2.1 @chapters/kirchhoff.tex:4",
      "Exercise 2.1.1 @chapters/kirchhoff.tex:9",
    ];
    expect(labels(derived)).toEqual(expected);
    expect(labels(traced)).toEqual(expected);
    for (const doc of [derived, traced]) {
      expect(messages(doc).join("\n")).not.toMatch(/never ended|not closed/);
      expect(messages(doc)).toContain("chapters/cover.tex:1: not \\input or \\include'd by main.tex, so not in the printed notes; skipped");
    }
  });

  it("the standard conditionals: the same chapters and exercises; a branch only TeX can decide is a warning at its line", async () => {
    const { derived, traced } = await both("conditionals");
    const chapters = ["Chapter 1 @chapters/one.tex:1", "Exercise 1.1 @chapters/one.tex:2", "Chapter 2 @chapters/two.tex:1", "Exercise 2.1 @chapters/two.tex:2", "Chapter 3 @chapters/three.tex:1", "Exercise 3.1 @chapters/three.tex:2"];
    expect(labels(derived).slice(0, 6)).toEqual(chapters);
    expect(labels(traced).slice(0, 6)).toEqual(chapters);
    // \ifdefined\undefinedmacro: the source parse reads both branches (and says so); TeX printed no fourth chapter
    expect(messages(derived)).toContainEqual(expect.stringMatching(/^main\.tex:23: \\ifdefined\\undefinedmacro .* both branches are read as text/));
    expect(messages(traced)).toContain("main.tex:24: \\chapter numbered 4 here, but the TeX run shows no step of counter chapter near this line; kept 4");
  });
});

describe("ingestCourse uses TeX as the CLI does", () => {
  it("by default when TeX is there (numbers as printed, pages counted); tex: 'none' opts out", async () => {
    const db = mkdtempSync(path.join(tmpdir(), "tex-ingest-"));
    try {
      const noModel = { available: false, modelId: "none" };
      const auto = await ingestCourse({ path: path.join(FIXTURES, "wrappers"), db, embedder: null, modelStatus: noModel, check: true });
      expect(auto.numbers).toMatch(/^as printed by pdfTeX/);
      expect(auto.main).toEqual(["book.tex"]);
      expect(auto.tex).toEqual([expect.objectContaining({ main: "book.tex", used: true, pages: 3 })]); // pdflatex: "Output written on book.pdf (3 pages)" (chapter 2 opens on a right-hand page)
      const none = await ingestCourse({ path: path.join(FIXTURES, "wrappers"), db, embedder: null, modelStatus: noModel, check: true, tex: "none" });
      expect(none.numbers).toMatch(/^derived from the source \(TeX not used/);
      expect(none.tex).toBeUndefined();
      expect(none.counts).toEqual(auto.counts);
    } finally {
      rmSync(db, { recursive: true, force: true });
    }
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
