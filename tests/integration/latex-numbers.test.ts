/**
 * LaTeX numbers with and without TeX: `loadCourseWithTex` compiles the main file with the real pdflatex
 * (lib/course/latex/engine) and settles the derived numbers with its trace; without an engine the numbers
 * are derived. Needs pdflatex (scripts/test.sh installs TeX Live from Debian).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/** 1-based line of the first line of `file` (from line `from`) containing `needle`. */
function lineIn(file: string, needle: string, from = 1): number {
  const lines = readFileSync(file, "utf8").split("\n");
  const k = lines.findIndex((l, i) => i + 1 >= from && l.includes(needle));
  if (k < 0) throw new Error(`${file} has no line with ${needle}`);
  return k + 1;
}

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

  it("macro-boxes: the box the parse could not name is, with TeX, an item at its line named by its macro, with its text; without, a warning with its cost", async () => {
    const derived = await loadCourseWithTex({ path: path.join(FIXTURES, "macro-boxes"), tex: null });
    expect(labels(derived)).not.toContain("Keybox 2 @main.tex:9");
    expect(messages(derived)).toEqual(["style.sty:7: \\keybox (style.sty:7) steps counter keyboxcounter: 1 numbered item may be missing — install TeX for exact numbers"]);
    const traced = await loadCourseWithTex({ path: path.join(FIXTURES, "macro-boxes"), tex: engine });
    expect(labels(traced)).toEqual([...labels(derived).slice(0, 4), "Keybox 2 @main.tex:9", ...labels(derived).slice(4)]);
    expect(listItems(traced).find((i) => i.label === "Keybox 2")?.text).toBe("A framed remark.");
    expect(messages(traced)).toEqual([]);
  });

  it("env-boxes (OpenIntro's pattern): Example / Guided Practice on the equation counter, \\eoce exercises, \\includechapter and chapterpage chapters — derived and pdflatex agree with the PDF", async () => {
    const dir = path.join(FIXTURES, "env-boxes");
    const derived = await loadCourseWithTex({ path: dir, tex: null });
    const traced = await loadCourseWithTex({ path: dir, tex: engine });
    expect(traced.numbers).toMatch(/^as printed by pdfTeX/);
    const at = (file: string, needle: string, from = 1) => `${file}:${lineIn(path.join(dir, file), needle, from)}`;
    // what the compiled PDF prints, in order ("EXAMPLE 0.1" in the preface: \\theexample is \\thechapter.\\arabic{equation})
    const printed = [
      `Example 0.1 @${at("main.tex", "begin{nexample}")}`,
      `Chapter 1 @${at("data/data.tex", "begin{chapterpage}")}`,
      `Section 1.1 @${at("data/data.tex", "section{Data basics}")}`,
      `Example 1.1 @${at("data/data.tex", "begin{nexample}")}`,
      `Guided Practice 1.3 @${at("data/data.tex", "begin{nexercise}")}`,
      `Exercise 1.1 @${at("data/basics-exercises.tex", "eoce{")}`,
      `Exercise 1.2 @${at("data/basics-exercises.tex", "Variables")}`,
      `Section 1.2 @${at("data/data.tex", "section{Sampling}")}`,
      `Guided Practice 1.4 @${at("data/data.tex", "begin{nexercise}", 21)}`,
      `Exercise 1.3 @${at("data/review.tex", "eoce{")}`,
      `Chapter 2 @${at("prob/prob.tex", "begin{chapterpage}")}`,
      `Section 2.1 @${at("prob/prob.tex", "section{")}`,
      `Example 2.1 @${at("prob/prob.tex", "begin{nexample}")}`,
      `Guided Practice 2.2 @${at("prob/prob.tex", "begin{nexercise}")}`,
      `Exercise 2.1 @${at("prob/review.tex", "Dice")}`,
      `Exercise 2.2 @${at("prob/review.tex", "Cards")}`,
    ];
    expect(labels(traced).filter((l) => !l.startsWith("Preface"))).toEqual(printed);
    expect(labels(derived)).toEqual(labels(traced));
    expect(messages(traced)).toEqual([]);
    expect(listItems(traced).find((i) => i.label === "Exercise 1.2")?.text).toMatch(/^\*\*Variables\.\*\*\s+Which column is a variable\?/);
  });

  it("lead-in-parts (forall x's \\problempart): a command without arguments that steps a lettered counter under an exercises heading is an exercise named as the book refers to it (1B), its list the parts — derived and pdflatex agree with the PDF", async () => {
    const dir = path.join(FIXTURES, "lead-in-parts");
    const derived = await loadCourseWithTex({ path: dir, tex: null });
    const traced = await loadCourseWithTex({ path: dir, tex: engine });
    expect(traced.numbers).toMatch(/^as printed by pdfTeX/);
    const main = path.join(dir, "main.tex");
    // the PDF prints "A." / "B." under "Review exercises" of each chapter, and the text refers to "exercise 1B"
    const drills = [
      `Exercise 1A @main.tex:${lineIn(main, "\\drill", lineIn(main, "\\drillset") + 1)}`,
      `Exercise 1B @main.tex:${lineIn(main, "\\drill\\label{dr:subsets}")}`,
      `Exercise 2A @main.tex:${lineIn(main, "\\drill", lineIn(main, "\\drillset", lineIn(main, "\\chapter{Functions}")) + 1)}`,
    ];
    for (const doc of [derived, traced]) {
      expect(labels(doc).filter((l) => l.startsWith("Exercise"))).toEqual(drills);
      const items = listItems(doc);
      const a = items.find((i) => i.label === "Exercise 2A")!;
      expect(a.parts).toEqual(["1", "2", "3"]);
      expect(a.text).toMatch(/^Draw a map from .*\n\n1\. Is it injective\?\n\n2\. Is it surjective\?\n\n3\. Is it a bijection\?$/s);
      expect(items.find((i) => i.label === "Exercise 1B")!.text).toBe("List every subset of $\\{a, b\\}$.");
      expect(items.find((i) => i.label === "Section 2.1")!.text).toContain("exercise 1B: which");
      expect(messages(doc)).toEqual([]);
    }
  });

  it("a \\read exercise list (printed '6.' under 'Exercises 2.1'): with TeX each is Exercise 2.1.n at line 1 of the file the loop inputs, with its text; without, the macro is named once with its cost", async () => {
    const dir = path.resolve(__dirname, "../fixtures/latex-engine/macro-boxes");
    const traced = await loadCourseWithTex({ path: dir, tex: engine });
    const exercises = listItems(traced).filter((i) => /^Exercise 2\.1\.\d$/.test(i.label));
    expect(exercises.map((i) => `${i.label} @${i.source.file}:${i.source.line}`)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `Exercise 2.1.${n} @ex/rates-${n}.tex:1`));
    expect(exercises[0].text).toBe("Find the derivative of $f(x) = x^2$ at $x = 1$.");
    // they sit in Section 2.1, after its theorem and before Section 2.2
    expect(exercises.every((i) => i.section === "Section 2.1")).toBe(true);
    // the list file the loop reads is not notes
    expect(labels(traced).some((l) => l.includes("rates.txt"))).toBe(false);
    const derived = await loadCourseWithTex({ path: dir, tex: null });
    expect(messages(derived)).toContain(
      "main.tex:1: ITEMS MAY BE MISSING: 11 numbered items found, but the parser could not follow \\exercisesfrom (a \\read loop, 1 use) — each is a warning at its definition; install TeX (pdflatex) for exact numbers",
    );
    expect(messages(derived).filter((m) => m.startsWith("bookstyle.sty") && m.includes("\\exercisesfrom"))).toEqual([
      expect.stringMatching(/^bookstyle\.sty:\d+: \\exercisesfrom \(bookstyle\.sty:\d+\) reads a file with \\read: what it prints \(1 use, e\.g\. an exercise list\) is not seen — install TeX for exact numbers$/),
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

  it("sectioning commands used as environments (\\begin{section}[short]{Title}), kinds on one chapter counter, a counter stepped as each page ships out, a theorem shown inside an \\lstnewenvironment", async () => {
    const { derived, traced } = await both("env-headings");
    const at = (needle: string) => `main.tex:${lineIn(path.join(FIXTURES, "env-headings", "main.tex"), needle)}`;
    // as the compiled PDF prints them: the page counter (zref-abspage's \\AtBeginShipout pattern), stepped while TeX
    // reads the center environment where the page fills, numbers nothing
    const printed = [
      `Chapter 1 @${at("begin{chapter}{Sets}")}`,
      `Section 1.1 @${at("begin{section}{Finite sets}")}`,
      `Definition 1.1 @${at("begin{definition}")}`,
      `Problem 1.2 @${at("begin{problem}")}`,
      `Section 1.2 @${at("begin{section}[Infinite]")}`,
      `Theorem 1.3 @${at("begin{theorem}")}`,
      `Chapter 2 @${at("chapter{Functions}")}`,
      `Section 2.1 @${at("section{Maps}")}`,
      `Problem 2.1 @main.tex:${lineIn(path.join(FIXTURES, "env-headings", "main.tex"), "Give a map") - 1}`,
    ];
    expect(labels(derived)).toEqual(printed);
    expect(labels(traced)).toEqual(printed);
    for (const doc of [derived, traced]) {
      expect(messages(doc)).toEqual([]);
      expect(listItems(doc).find((i) => i.label === "Section 1.2")?.title).toBe("Infinite sets");
    }
  });

  it("sections \\input through a macro in the file name, \\numberwithin on a sibling kind, a macro that prints sections '1.E' and one that restores them, \\label[section]{key}, a question head with no name, restatable theorems, a mark beside a kind's name", async () => {
    const { derived, traced } = await both("macro-names");
    // as the compiled PDF prints them (Chapter 0 by \\setcounter{chapter}{-1}; the question's head is "1.1." with no
    // name, cleveref's "question 1.1"); with TeX the Definition on thmtools' alias of the theorem counter is its own
    // step, not the Theorem's two lines on
    const printed = [
      "Chapter 0 @main.tex:23",
      "Definition 0.1 @main.tex:25",
      "Theorem 0.2 @main.tex:27",
      "Chapter 1 @main.tex:30",
      "Section 1.1 @book/ch01-sets/s1.tex:1",
      "Definition 1.1.1 @book/ch01-sets/s1.tex:3",
      "Theorem 1.1.2 @book/ch01-sets/s1.tex:6",
      "Section 1.E @main.tex:34",
      "Question 1.1 @main.tex:35",
      "Chapter 2 @main.tex:39",
      "Section 2.1 @book/ch02-maps/s1.tex:1",
      "Definition 2.1.1 @book/ch02-maps/s1.tex:2",
      // thm-restate's \\begin{restatable}[Composition]{theorem}{…} is a theorem; its \\rthmComposition* restatement is not a new one
      "Theorem 2.1.2 @book/ch02-maps/s1.tex:5",
      // printed "PropositionAC": \\assumesAC{thmcolac} beside the name is a mark
      "Proposition 2.1.3 @book/ch02-maps/s1.tex:8",
      "Definition 2.1.4 @book/ch02-maps/s1.tex:11",
    ];
    expect(labels(derived)).toEqual(printed);
    expect(labels(traced)).toEqual(printed);
    // the files the macro names are read (no "not found"), and \\cref{secSets} finds its \\label[section]
    for (const doc of [derived, traced]) expect(messages(doc)).toEqual([]);
  });

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

  it("a second \\appendix restarts the letters as LaTeX does: both appendices are Appendix A with TeX and without, and the restart is a warning at its line", async () => {
    // a folder of its own: the tests around share `dir` as one course
    const sub = mkdtempSync(path.join(tmpdir(), "tex-appendices-"));
    try {
      writeFileSync(path.join(sub, "book.tex"), ["\\documentclass{book}", "\\begin{document}", "\\chapter{Body}", "Text.", "\\appendix", "\\chapter{Tables}", "\\section{Normal}", "\\appendix", "\\chapter{Code}", "\\section{R}", "\\end{document}", ""].join("\n"));
      const derived = await loadCourseWithTex({ path: sub, tex: null });
      const traced = await loadCourseWithTex({ path: sub, tex: engine });
      expect(traced.numbers).toMatch(/^as printed by pdfTeX/);
      for (const doc of [derived, traced]) {
        expect(labels(doc)).toEqual(["Chapter 1 @book.tex:3", "Appendix A @book.tex:6", "Section A.1 @book.tex:7", "Appendix A @book.tex:9", "Section A.1 @book.tex:10"]);
        expect(messages(doc)).toContainEqual(expect.stringMatching(/^book\.tex:8: \\appendix again, after Appendix A: LaTeX restarts the letters, so the book prints the next appendix as Appendix A too/));
      }
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });

  it("rotating's sidewaystable is a table float: its caption is numbered in turn with the upright tables', with TeX and without", async () => {
    // a folder of its own: the tests around share `dir` as one course
    const sub = mkdtempSync(path.join(tmpdir(), "tex-sideways-"));
    try {
      writeFileSync(
        path.join(sub, "book.tex"),
        ["\\documentclass{book}", "\\usepackage{rotating}", "\\begin{document}", "\\chapter{Concepts}", "See the tables.",
          "\\begin{sidewaystable}\\centering\\begin{tabular}{ll}a & b\\end{tabular}\\caption{Two ways to define}\\label{tab:two}\\end{sidewaystable}",
          "\\begin{table}\\centering\\begin{tabular}{ll}c & d\\end{tabular}\\caption{When to use which}\\end{table}",
          "Table~\\ref{tab:two} is turned.", "\\end{document}", ""].join("\n"),
      );
      const derived = await loadCourseWithTex({ path: sub, tex: null });
      const traced = await loadCourseWithTex({ path: sub, tex: engine });
      expect(traced.numbers).toMatch(/^as printed by pdfTeX/);
      for (const doc of [derived, traced]) {
        const text = listItems(doc).find((i) => i.label === "Chapter 1")!.text;
        expect(text).toContain("Table 1.1: Two ways to define");
        expect(text).toContain("Table 1.2: When to use which");
        expect(text).toContain("Table 1.1 is turned.");
        expect(messages(doc).filter((m) => /sideways/.test(m))).toEqual([]);
      }
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
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
