/**
 * Pass 3, numbers: the derived counters (theorem kinds of any name, shared counters, \newlist parts,
 * box macros) and the seam where an engine trace settles them.
 */
import { describe, expect, it } from "vitest";
import { Diagnostics } from "@/lib/course/latex/diagnostics";
import { kindOfPrinted, settleNumbers, type NumberedItem } from "@/lib/course/latex/numbering";
import type { Block } from "@/lib/course/types";
import { auxMismatches, blocks, byLabel, parseFixture, parseMem } from "./support";

describe("kindOfPrinted", () => {
  it("a printed name is a kind: the known ones by their name, any other under its own", () => {
    expect(kindOfPrinted("Exercise$^\\star$")).toBe("exercise");
    expect(kindOfPrinted("\\textbf{Theorem}")).toBe("theorem");
    expect(kindOfPrinted("Key Idea")).toBe("Key Idea");
    expect(kindOfPrinted("Problem")).toBe("Problem");
    expect(kindOfPrinted("$\\star$")).toBeUndefined();
  });
});

describe("derived numbers (fixture macro-chapters, numbers from pdflatex)", () => {
  const res = parseFixture("macro-chapters");

  it("a second environment on the exercise counter is an exercise, numbered in sequence", () => {
    expect(auxMismatches(res, "macro-chapters.aux")).toEqual([]);
    const ex = blocks(res.chapters).filter((b) => b.kind === "exercise").map((b) => b.label);
    expect(ex).toEqual(["Exercise 1.1", "Exercise 1.2", "Exercise 1.3", "Exercise 2.1", "Exercise 2.2"]);
  });

  it("a \\newtheorem of any name is citable under its printed name", () => {
    expect(byLabel(res, "key:one")).toMatchObject({ kind: "Key Idea", number: "1", label: "Key Idea 1" });
    expect(byLabel(res, "key:two")).toMatchObject({ label: "Key Idea 2" });
  });

  it("\\newlist + \\setlist labels give parts: Exercise 1.1(a), (b), and \\ref prints the label", () => {
    expect(byLabel(res, "ex:one")).toMatchObject({ label: "Exercise 1.1", parts: ["a", "b"] });
    expect(res.labels["ex:one:b"].number).toBe("(b)");
    expect((byLabel(res, "ex:after") as Block).text).toBe("Then plain: Exercise 1.1((b)) again.");
  });

  it("\\setlist[enumerate,1] changes every enumerate's labels", () => {
    const r = parseMem({
      "main.tex": "\\documentclass{book}\n\\usepackage{amsthm,enumitem}\\newtheorem{exercise}{Exercise}[chapter]\n\\setlist[enumerate,1]{label=(\\roman*)}\n\\begin{document}\n\\chapter{C}\n\\begin{exercise}\\begin{enumerate}\\item a\\item b\\label{p}\\end{enumerate}\\end{exercise}\n\\end{document}\n",
    });
    expect(blocks(r.chapters)[0].parts).toEqual(["i", "ii"]);
    expect(r.labels.p.number).toBe("(ii)");
  });
});

describe("one counter under several names (fixture alias-counters, numbers from pdflatex)", () => {
  it("kinds declared by a \\def with comment lines share the theorem counter through aliascnt, equations too (also a \\newenvironment that opens one)", () => {
    const res = parseFixture("alias-counters");
    expect(auxMismatches(res, "alias-counters.aux")).toEqual([]);
    expect(res.diagnostics).toEqual([]);
    expect(blocks(res.chapters).filter((b) => b.label).map((b) => b.label)).toEqual(["Definition 1.1.1", "Lemma 1.1.3", "Theorem 1.1.4", "Lemma 1.1.6", "Lemma 1.2.1"]);
  });
});

describe("box macros (fixture macro-boxes, numbers from pdflatex)", () => {
  it("a macro that steps a book-wide counter and prints 'Definition \\the…' is that item; one that prints no name is reported with its cost", () => {
    const res = parseFixture("macro-boxes");
    expect(auxMismatches(res, "macro-boxes.aux")).toEqual([]);
    expect(blocks(res.chapters).filter((b) => b.label).map((b) => `${b.label}${b.title ? ` (${b.title})` : ""} @${b.source.line}`)).toEqual([
      "Definition 1 (Limit) @7",
      "Key Idea 1 @8",
      "Definition 2 (Bounded) @10",
      "Definition 3 (Series) @13",
      "Key Idea 3 @14",
    ]);
    expect(byLabel(res, "def:limit")).toMatchObject({ text: "A sequence $a_n$ converges to $L$ when …" });
    expect(res.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([
      "style.sty:7: \\keybox (style.sty:7) steps counter keyboxcounter: 1 numbered item may be missing — install TeX for exact numbers",
    ]);
  });
});

describe("settleNumbers: the engine's numbers over the derived ones", () => {
  const doc = {
    "main.tex": "\\documentclass{book}\n\\usepackage{amsthm}\\newtheorem{theorem}{Theorem}[chapter]\n\\begin{document}\n\\chapter{A}\n\\begin{theorem}\\label{t1}One.\\end{theorem}\n\\begin{theorem}\\label{t2}Two.\\end{theorem}\nSee \\ref{t2}.\n\\end{document}\n",
  };

  it("without a trace the derived numbers stand, and every numbered item is recorded with its counter and line", () => {
    const r = parseMem(doc);
    expect(r.numbers).toBe("derived");
    expect(r.numbered.map((n: NumberedItem) => `${n.by} ${n.counter} ${n.number} @${n.file}:${n.line}`)).toEqual([
      "\\chapter chapter 1 @main.tex:4",
      "\\begin{theorem} theorem 1.1 @main.tex:5",
      "\\begin{theorem} theorem 1.2 @main.tex:6",
    ]);
  });

  it("with a trace, the printed numbers win, references follow them, and each disagreement is a warning at file:line", () => {
    const trace = [
      { counter: "chapter", number: "1", file: "main.tex", line: 4 },
      { counter: "theorem", number: "1.1", file: "main.tex", line: 5 },
      { counter: "theorem", number: "1.7", file: "main.tex", line: 6 },
    ];
    const r = parseMem(doc, "main.tex", { trace });
    expect(r.numbers).toBe("engine");
    expect(byLabel(r, "t2")).toMatchObject({ number: "1.7", label: "Theorem 1.7" });
    expect(r.labels.t2.number).toBe("1.7");
    expect(blocks(r.chapters).find((b) => b.kind === "paragraph")?.text).toBe("See 1.7.");
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual(["main.tex:6: \\begin{theorem}: derived number 1.2, but TeX printed 1.7; using 1.7"]);
  });

  it("a step under another counter name that printed the same number with a mark beside it (16D⋆) agrees quietly", () => {
    const diags = new Diagnostics();
    const items: NumberedItem[] = [
      { counter: "problem", by: "\\begin{sproblem}", number: "16D", file: "action.tex", line: 314 },
      { counter: "problem", by: "\\begin{dproblem}", number: "16E", file: "action.tex", line: 328 },
    ];
    const trace = [
      { counter: "sproblem", number: "16D⋆", file: "action.tex", line: 315 },
      { counter: "dproblem", number: "16E†", file: "action.tex", line: 329 },
    ];
    expect(settleNumbers(items, trace, diags)).toEqual({ matched: 2, changed: 0, unplaced: 0 });
    expect(items.map((i) => i.number)).toEqual(["16D", "16E"]);
    expect(diags.sorted(["action.tex"])).toEqual([]);
  });

  it("an item the trace does not show keeps its derived number, and what only TeX numbered is named too", () => {
    const diags = new Diagnostics();
    const item: NumberedItem = { counter: "exercise", by: "\\item", number: "2.1.6", file: "ex.tex", line: 9 };
    expect(settleNumbers([item], [{ counter: "exercise", number: "2.1.6", file: "ex.tex", line: 40 }], diags)).toEqual({ matched: 0, changed: 0, unplaced: 1 });
    expect(diags.sorted(["ex.tex"]).map((d) => `${d.line}: ${d.message}`)).toEqual([
      expect.stringMatching(/^9: \\item numbered 2\.1\.6 here, but the TeX run shows no step of counter exercise near this line/),
      "40: TeX numbered 2.1.6 (counter exercise) here, but the source parse found no item here",
    ]);
  });
});

describe("hyperref's \\theH<counter>", () => {
  it("names a counter's anchor, not a counter: redefining it is no warning, and the counter prints as before", () => {
    const src = ["\\documentclass{book}", "\\usepackage{hyperref}", "\\newcounter{drill}", "\\renewcommand{\\thedrill}{\\Alph{drill}}", "\\renewcommand{\\theHdrill}{\\thechapter.\\thedrill}", "\\renewcommand{\\theHnothing}{x}", "\\begin{document}", "\\chapter{A}", "\\end{document}"].join("\n");
    const messages = parseMem({ "main.tex": src }).diagnostics.map((d) => `${d.line}: ${d.message}`);
    // \theHnothing: no counter "nothing" either, so still reported
    expect(messages.filter((m) => /no counter/.test(m))).toEqual(['6: \\renewcommand{\\theHnothing}: no counter "Hnothing" is defined']);
  });
});
