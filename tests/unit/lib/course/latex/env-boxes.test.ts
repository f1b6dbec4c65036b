/**
 * Boxes made by a style file's environments and macros, without TeX (fixture env-boxes, OpenIntro's pattern;
 * tests/integration/latex-numbers.test.ts checks the same numbers against pdflatex): a helper macro prints the
 * box's name, the box shares the equation counter, an environment's begin code is called as a command, chapters
 * begin inside an environment, and the chapter macro comes from a style file read in the preamble.
 */
import { describe, expect, it } from "vitest";
import { printedByHelper } from "@/lib/course/latex/numbering";
import { blocks, nodes, parseFixture, parseMem } from "./support";

describe("env-boxes without TeX", () => {
  const res = parseFixture("env-boxes");
  const labels = [...nodes(res.chapters).filter((n) => n.number), ...blocks(res.chapters).filter((b) => b.number)].map((x) => x.label);

  it("Example and Guided Practice are named by their helper and share the equation counter with the displays", () => {
    expect(blocks(res.chapters).filter((b) => b.kind === "example" || b.kind === "Guided Practice").map((b) => b.label)).toEqual([
      "Example 0.1", // the preface: \theexample = \thechapter.\arabic{equation}, as the PDF prints it
      "Example 1.1",
      "Guided Practice 1.3", // 1.2 is the equation between them
      "Guided Practice 1.4",
      "Example 2.1",
      "Guided Practice 2.2",
    ]);
    expect(res.labels["eq:mean"]?.number).toBe("1.2");
  });

  it("\\eoce{…} is an exercise numbered by its chapter, its text its argument", () => {
    const ex = blocks(res.chapters).filter((b) => b.kind === "exercise");
    expect(ex.map((b) => `${b.label} @${b.source.file}:${b.source.line}`)).toEqual([
      "Exercise 1.1 @data/basics-exercises.tex:3",
      "Exercise 1.2 @data/basics-exercises.tex:6",
      "Exercise 1.3 @data/review.tex:3",
      "Exercise 2.1 @prob/review.tex:3",
      "Exercise 2.2 @prob/review.tex:5",
    ]);
    expect(ex[0].text).toMatch(/^\*\*Cases\.\*\*\s+Which row of the table is a case\?$/);
  });

  it("chapters begin at \\begin{chapterpage}{Title}, numbered from \\includechapter, and \\section stays a section", () => {
    expect(nodes(res.chapters).filter((n) => n.number).map((n) => `${n.label} ${n.title} @${n.source.file}:${n.source.line}`)).toEqual([
      "Chapter 1 Introduction to data @data/data.tex:1",
      "Section 1.1 Data basics @data/data.tex:5",
      "Section 1.2 Sampling @data/data.tex:26",
      "Chapter 2 Probability @prob/prob.tex:1",
      "Section 2.1 Defining probability @prob/prob.tex:4",
    ]);
    expect(res.labels["ch:data"]?.number).toBe("1");
    expect(labels).not.toContain("Chapter 0");
    expect(res.diagnostics).toEqual([]);
  });

  it("a helper's printed name: the words before #1 in the macro the number is handed to", () => {
    const helpers: Record<string, string> = { exercisetitle: "\\textbf{\\MakeUppercase{Guided Practice~#1}} \\\\[1mm]", plain: "\\textbf{#1}" };
    expect(printedByHelper("\\refstepcounter{equation}\\exercisetitle{\\theexample}", (m) => helpers[m])).toBe("Guided Practice");
    expect(printedByHelper("\\refstepcounter{equation}\\plain{\\theexample}", (m) => helpers[m])).toBeUndefined();
  });

  it("an environment whose begin code starts a section from its second argument", () => {
    const r = parseMem({
      "main.tex": "\\documentclass{book}\n\\newenvironment{unit}[2]{\\section{#2}\\label{#1}}{}\n\\begin{document}\n\\chapter{A}\n\\begin{unit}{u:one}{First unit}\nText.\n\\end{unit}\n\\end{document}\n",
    });
    expect(nodes(r.chapters).map((n) => `${n.label} ${n.title} @${n.source.line}`)).toEqual(["Chapter 1 A @4", "Section 1.1 First unit @5"]);
  });

  it("\\begin{section}{Title} is the section LaTeX starts there, with its label and items under it (Ernst's IBL book)", () => {
    const r = parseMem({
      "main.tex":
        "\\documentclass{book}\n\\usepackage{amsthm}\n\\newtheorem{theorem}{Theorem}[chapter]\n\\begin{document}\n\\chapter{Sets}\n\\begin{section}{Power Sets}\\label{sec:power}\nText.\n\\begin{theorem}A claim.\\end{theorem}\n\\end{section}\n\\begin{section}{Indexing Sets}\nMore.\n\\end{section}\n\\end{document}\n",
    });
    expect(nodes(r.chapters).map((n) => `${n.label} ${n.title} @${n.source.line}`)).toEqual(["Chapter 1 Sets @5", "Section 1.1 Power Sets @6", "Section 1.2 Indexing Sets @10"]);
    expect(r.labels["sec:power"]?.number).toBe("1.1");
    expect(nodes(r.chapters).find((n) => n.label === "Section 1.1")?.blocks.map((b) => b.label)).toContain("Theorem 1.1");
    expect(r.diagnostics.filter((d) => /unknown environment/.test(d.message))).toEqual([]);
  });
});
