import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkAgainstAux,
  compareNumbers,
  joinSplitHeads,
  longestIncreasing,
  pairTruth,
  printedNumbers,
  readAuxInOrder,
  readTocNumbers,
  scanBeginPoints,
  stripComment,
  truthConfigSchema,
} from "../../../../lib/eval/latex-truth-build";

const tmp = mkdtempSync(join(tmpdir(), "latex-truth-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text: string) {
  mkdirSync(join(tmp, rel, ".."), { recursive: true });
  writeFileSync(join(tmp, rel), text);
}

const config = truthConfigSchema.parse({
  main: "main.tex",
  includes: [{ re: "\\\\includechapter\\{\\d+\\}\\{([^}]+)\\}", files: ["$1/main", "$1/exercises"] }],
  skipBlocks: [{ start: "\\\\begin\\{comment\\}", end: "\\\\end\\{comment\\}" }],
  items: [
    { name: "Theorem", kind: "theorem", begin: "\\\\begin\\{thm\\}", opener: "\\begin{thm}", numbers: { pdf: "^\\s*Theorem (\\d+\\.\\d+)\\." } },
    { name: "Exercise", kind: "exercise", begin: "\\\\eoce\\{", opener: "\\eoce", numbers: { auxLabel: "^eoce_" } },
  ],
});

describe("scanBeginPoints", () => {
  it("reads the book as TeX does: includes where they stand, comments and skipped blocks left out", () => {
    write("main.tex", "\\documentclass{book}\n\\begin{document}\n\\begin{thm}A\\end{thm}\n\\includechapter{1}{ch1}\n% \\begin{thm} commented\n\\input{tail}\n\\end{document}\n");
    write("ch1/main.tex", "\\begin{comment}\n\\begin{thm}hidden\n\\end{comment}\n50\\% \\begin{thm}\\label{t:b}\n");
    write("ch1/exercises.tex", "\\eoce{first}\n\n\\eoce{second}\n");
    write("tail.tex", "\\begin{thm}\n\\begin{equation}\\label{eq:x}\\end{equation}\n");
    const { points, fileOrder } = scanBeginPoints(tmp, config);
    expect(fileOrder).toEqual(["main.tex", "ch1/main.tex", "ch1/exercises.tex", "tail.tex"]);
    expect(points.map((p) => `${p.name} ${p.file}:${p.line}${p.labelKey ? ` ${p.labelKey}` : ""}`)).toEqual([
      "Theorem main.tex:3",
      "Theorem ch1/main.tex:4 t:b",
      "Exercise ch1/exercises.tex:1",
      "Exercise ch1/exercises.tex:3",
      // The label inside the equation names the equation, not the theorem.
      "Theorem tail.tex:1",
    ]);
  });
});

describe("scanBeginPoints, TeX's own rules", () => {
  it("stops a file at \\endinput and leaves an opener uncounted in the files it is unnumbered in", () => {
    write("b/main.tex", "\\chapter{Preface}\n\\input{b/one}\n");
    write("b/one.tex", "\\chapter{One}\n\\begin{thm}\n\\endinput\n\\begin{thm} draft after endinput\n");
    const cfg = truthConfigSchema.parse({
      main: "b/main.tex",
      items: [
        { name: "Chapter", kind: "chapter", begin: "\\\\chapter\\{", opener: "\\chapter", notIn: ["b/main.tex"], numbers: { toc: "chapter" } },
        config.items[0],
      ],
    });
    expect(scanBeginPoints(tmp, cfg).points.map((p) => `${p.name} ${p.file}:${p.line}`)).toEqual(["Chapter b/one.tex:1", "Theorem b/one.tex:2"]);
  });
});

describe("scanBeginPoints, a file named through a macro", () => {
  it("follows an include configured with $dir: the folder of the file that reads it", () => {
    write("c/main.tex", "\\input{c/ch02-sets/_sets.tex}\n");
    write("c/ch02-sets/_sets.tex", "\\chapter{Sets}\n\\renewcommand{\\currentchapter}{02}\n\\input{c/ch\\currentchapter-sets/intro.tex}\n\\begin{thm}\n");
    write("c/ch02-sets/intro.tex", "\\begin{thm}first\n");
    const cfg = truthConfigSchema.parse({
      main: "c/main.tex",
      includes: [{ re: "\\\\input\\{c/ch\\\\currentchapter-[^/}]*/([^}]+)\\}", files: ["$dir/$1"] }],
      items: [config.items[0]],
    });
    const { points, fileOrder } = scanBeginPoints(tmp, cfg);
    expect(fileOrder).toEqual(["c/main.tex", "c/ch02-sets/_sets.tex", "c/ch02-sets/intro.tex"]);
    expect(points.map((p) => `${p.file}:${p.line}`)).toEqual(["c/ch02-sets/intro.tex:1", "c/ch02-sets/_sets.tex:4"]);
  });
});

describe("printed numbers", () => {
  it("rejoins a head pdftotext split after its name, and stops at an appendix that repeats numbers", () => {
    expect(joinSplitHeads(["Question", "32.3.4. Verify", "Question 1"], ["Question"])).toEqual(["Question 32.3.4. Verify", "Question 1"]);
    const item = { ...config.items[0], numbers: { pdf: "^Theorem (\\d+\\.\\d+)\\.", until: "^Hints$" } };
    expect(printedNumbers(item, { pdfLines: ["Theorem 1.1. a", "Hints", "Theorem 1.2. b"], auxInOrder: [], toc: "" })).toEqual(["1.1"]);
  });

  it("takes bare-number heads out of reading order when asked: each distinct one, sorted", () => {
    const item = { ...config.items[0], numbers: { pdf: "^(\\d+\\.\\d+)\\. ", sorted: true } };
    const pdfLines = ["0.1. First", "0.3. Right column", "0.2. Left column", "In 0.2. we saw", "0.2. again", "1.1. Next chapter"];
    expect(printedNumbers(item, { pdfLines, auxInOrder: [], toc: "" })).toEqual(["0.1", "0.2", "0.3", "1.1"]);
    expect(printedNumbers({ ...item, numbers: { pdf: item.numbers.pdf } }, { pdfLines, auxInOrder: [], toc: "" })).toEqual(["0.1", "0.3", "1.1"]);
  });

  it("orders numbers as printed: 2.10 after 2.9, appendix letters last, 1B after 1A", () => {
    expect(compareNumbers("2.10", "2.9")).toBeGreaterThan(0);
    expect(compareNumbers("A.1", "11.19")).toBeGreaterThan(0);
    expect(compareNumbers("1B", "1A")).toBeGreaterThan(0);
    expect(compareNumbers("3.1", "3.1")).toBe(0);
  });

  it("drops cross-references that start a PDF line: the longest increasing run is kept", () => {
    expect(longestIncreasing(["1.1", "1.2", "1.1", "1.3", "2.5", "1.4", "2.1"])).toEqual(["1.1", "1.2", "1.3", "1.4", "2.1"]);
    const pdfLines = ["Theorem 1.1. First.", "by Theorem 1.1. Then", "Theorem 1.1. again as a reference", "  Theorem 1.2. Second."];
    expect(printedNumbers(config.items[0], { pdfLines, auxInOrder: [], toc: "" })).toEqual(["1.1", "1.2"]);
  });

  it("takes .aux labels in document order, following \\@input", () => {
    write("build/main.aux", "\\newlabel{eoce_1_1}{{1.1}{3}}\n\\@input{ch.aux}\n\\newlabel{eoce_2_1}{{2.1}{9}}\n");
    write("build/ch.aux", "\\newlabel{eoce_1_2}{{1.2}{4}}\n\\newlabel{other}{{7}{4}}\n");
    const aux = readAuxInOrder(join(tmp, "build"), "main.aux");
    expect(printedNumbers(config.items[1], { pdfLines: [], auxInOrder: aux, toc: "" })).toEqual(["1.1", "1.2", "2.1"]);
    const toc = "\\contentsline {chapter}{\\numberline {1}One}{1}{chapter.1}%\n\\contentsline {chapter}{Preface}{1}{x}%\n\\contentsline {section}{\\numberline {1.1}A}{2}{s}%\n\\contentsline {chapter}{\\numberline {A}App}{9}{c}%\n";
    expect(readTocNumbers(toc, "chapter")).toEqual(["1", "A"]);
  });

  it("skips contents entries with an empty \\numberline (a \\chapter* added to the contents by hand)", () => {
    const toc = "\\contentsline {chapter}{\\numberline {}Preface}{4}{chapter*.2}%\n\\contentsline {chapter}{\\numberline {1}Introduction}{8}{chapter.1}%\n";
    expect(readTocNumbers(toc, "chapter")).toEqual(["1"]);
  });
});

describe("pairTruth", () => {
  const points = [
    { name: "Theorem", file: "a.tex", line: 3 },
    { name: "Exercise", file: "b.tex", line: 1, labelKey: "ex:one" },
    { name: "Theorem", file: "a.tex", line: 9, labelKey: "t:two" },
  ];

  it("pairs begin points and printed numbers in order, per printed name, and checks labels with the .aux", () => {
    const { rows, problems } = pairTruth(config, points, new Map([["Theorem", ["1.1", "1.2"]], ["Exercise", ["1.1"]]]));
    expect(problems).toEqual([]);
    expect(rows.map((r) => `${r.label} ${r.file}:${r.line}`)).toEqual(["Theorem 1.1 a.tex:3", "Exercise 1.1 b.tex:1", "Theorem 1.2 a.tex:9"]);
    expect(checkAgainstAux(rows, points, new Map([["t:two", "1.2"], ["ex:one", "1.1"]]))).toEqual({ checked: 2, disagree: [] });
    expect(checkAgainstAux(rows, points, new Map([["t:two", "1.3"]])).disagree).toEqual(["a.tex:9 Theorem 1.2: its \\label{t:two} is 1.3 in the .aux"]);
  });

  it("a chapter lettered after \\appendix is labelled as printed, Appendix A", () => {
    const books = truthConfigSchema.parse({ main: "main.tex", items: [{ name: "Chapter", kind: "chapter", begin: "\\\\chapter\\{", opener: "\\chapter", numbers: { toc: "chapter" } }] });
    const heads = [1, 9].map((line) => ({ name: "Chapter", file: "main.tex", line }));
    expect(pairTruth(books, heads, new Map([["Chapter", ["1", "A"]]])).rows.map((r) => `${r.label} (${r.name})`)).toEqual(["Chapter 1 (Chapter)", "Appendix A (Chapter)"]);
  });

  it("a count that differs is a problem naming both counts", () => {
    const { problems } = pairTruth(config, points, new Map([["Theorem", ["1.1"]], ["Exercise", ["1.1"]]]));
    expect(problems).toEqual(["Theorem: 2 begin points in the sources, 1 printed numbers"]);
  });
});

describe("stripComment", () => {
  it("keeps an escaped percent sign", () => {
    expect(stripComment("50\\% done % note")).toBe("50\\% done ");
    expect(stripComment("a\\\\% comment")).toBe("a\\\\");
  });
});
