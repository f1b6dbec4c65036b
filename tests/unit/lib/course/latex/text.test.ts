/** Pass 5, text: what references print and each block's text as read from its source. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Diagnostics } from "@/lib/course/latex/diagnostics";
import { DerivedNumbering } from "@/lib/course/latex/numbering";
import { refText } from "@/lib/course/latex/text";
import { auxMismatches, blocks, nodes, parseFixture, parseMem, TRUTH } from "./support";

describe("refText", () => {
  const num = new DerivedNumbering(new Diagnostics());
  num.labels.set("t", { key: "t", number: "3.2", kind: "theorem", file: "a.tex", line: 1 });
  num.labels.set("e", { key: "e", number: "3.1", kind: "equation", file: "a.tex", line: 2 });
  num.labels.set("k", { key: "k", number: "4", kind: "Key Idea", file: "a.tex", line: 3 });
  num.labels.set("a", { key: "a", number: "A", kind: "appendix", file: "a.tex", line: 4 });
  num.labels.set("b", { key: "b", number: "B", kind: "appendix", file: "a.tex", line: 5 });
  num.labels.set("fn", { key: "fn", number: "3", kind: "footnote", file: "a.tex", line: 6 });
  const print = (cmd: string, ...keys: string[]) => refText({ cmd, keys, file: "a.tex", line: 9 }, num, new Diagnostics());

  it("prints numbers, equation parentheses and cleveref names", () => {
    expect(print("ref", "t")).toBe("3.2");
    expect(print("eqref", "e")).toBe("(3.1)");
    expect(print("cref", "t")).toBe("theorem 3.2");
    expect(print("Cref", "e")).toBe("Equation (3.1)");
    expect(print("ref", "missing")).toBe("??");
    expect(print("cref", "a", "b")).toBe("appendices A and B");
    expect(print("cref", "fn")).toBe("footnote 3");
  });

  it("an undefined label is a warning at the reference", () => {
    const diags = new Diagnostics();
    refText({ cmd: "ref", keys: ["nope"], file: "a.tex", line: 9 }, num, diags);
    expect(diags.sorted(["a.tex"])).toEqual([{ severity: "warning", file: "a.tex", line: 9, message: '\\ref{nope}: label "nope" is not defined' }]);
  });
});

describe("block text", () => {
  it("labels and comments removed, references replaced, text before the first heading is front matter", () => {
    const res = parseMem({
      "main.tex": "\\documentclass{book}\n\\title{Notes}\n\\begin{document}\nWelcome. % hello\n\\chapter{C}\\label{c}\nSee Chapter~\\ref{c}.\n\\end{document}\n",
    });
    expect(res.chapters.map((c) => [c.label, c.blocks.map((b) => b.text)])).toEqual([
      ["Notes", ["Welcome."]],
      ["Chapter 1", ["See Chapter 1."]],
    ]);
  });

  it("the front matter is named by the document's title as printed, not as written (line breaks, a size switch)", () => {
    const res = parseMem({
      "main.tex": "\\documentclass{memoir}\n\\begin{document}\n\\title{A Cool Walk\\\\Through Sets\\\\{\\small version\n2.2.1}}\n\\maketitle\nWelcome.\n\\chapter{C}\nText.\n\\end{document}\n",
    });
    expect(res.chapters.map((c) => `${c.label}: ${c.title}`)).toEqual(["A Cool Walk Through Sets version 2.2.1: A Cool Walk Through Sets version 2.2.1", "Chapter 1: C"]);
  });

  it("cleveref drops one pair of braces around a key (\\cref{{thm:a}} prints 'theorem 1'); \\ref keeps them and prints ??, as pdflatex does", () => {
    const res = parseMem({
      "main.tex": "\\documentclass{article}\n\\usepackage{cleveref}\n\\newtheorem{thm}{Theorem}\n\\begin{document}\n\\begin{thm}\\label{a}x\\end{thm}\nC: \\cref{{a}}. R: \\ref{{a}}.\n\\end{document}\n",
    });
    expect(blocks(res.chapters).map((b) => b.text)).toEqual(["x", "C: theorem 1. R: ??."]);
  });
});

describe("what references, headings and appendices print (fixture refs-print, checked against pdflatex's .aux and PDF)", () => {
  const res = parseFixture("refs-print");
  const pdf = readFileSync(path.join(TRUTH, "refs-print.txt"), "utf8").replace(/-\n/g, "").replace(/\s+/g, " ");
  const sections = nodes(res.chapters);
  const paragraphText = (heading: string) => sections.find((s) => s.label === heading)!.blocks.map((b) => b.text.replace(/\s+/g, " ")).join(" ");

  it("every label has the number pdflatex gave it: keys broken over lines or spaced twice, footnotes, the appendix", () => {
    expect(auxMismatches(res, "refs-print.aux")).toEqual([]);
    expect(res.diagnostics.filter((d) => /not defined/.test(d.message))).toEqual([]);
  });

  it("a \\ref whose key runs over a line or has two spaces prints the number, as TeX reads the key", () => {
    expect(paragraphText("Section 1.1")).toContain("Please use the notation of Definition 1.1.1 above, or Definition 1.1.1.");
    expect(pdf).toContain("Please use the notation of Definition 1.1.1 above, or Definition 1.1.1.");
  });

  it("a \\ref to a \\label inside a footnote prints the footnote's number (the counter resets with the chapter; [7] moves none)", () => {
    const printed = "Quickly reread Footnote 3 in Section 1.1, Footnote 7 and Chapter 1.";
    expect(pdf).toContain(printed);
    expect(paragraphText("Section 2.1")).toContain(printed);
    expect(pdf).toContain("See Section 1.2 and Footnote 1.");
    expect(paragraphText("Section A.1")).toContain("See Section 1.2 and Footnote 1.");
  });

  it("a heading made by a macro prints its title, not its running-head mark; the mark leaves nothing in the text", () => {
    const taylor = sections.find((s) => s.number === "1.2")!;
    expect(pdf).toContain("1.2 Taylor Polynomials A Taylor polynomial.");
    expect(taylor.title).toBe("Taylor Polynomials");
    expect(taylor.blocks.map((b) => b.text)).toEqual(["A Taylor polynomial. (Numbered 4: the 7 given by hand moves no counter.)"]);
  });

  it("a \\ref in an item's title is resolved; a course macro's \\if on a one-letter flag hides the margin note; register settings and a solution opener leave no TeX behind", () => {
    const eg = blocks(res.chapters).find((b) => b.label === "Example 2.1.1")!;
    expect(pdf).toContain("Is f (x) = x2 continuous at a = 1? Solution. We check the limit. • From the left: it is 1. • From the right: the same.");
    // A \ref in the item's title (its key over two lines too) prints the number.
    expect(pdf).toContain("Example 2.1.1 (Definition 1.1.1, continued) Is f (x)");
    expect(eg.title).toBe("Definition 1.1.1, continued");
    expect(eg.text.replace(/\s+/g, " ")).toBe("Is $f(x)=x^2$ continuous at $a=1$? *Solution.* We check the limit. • From the left: it is 1. • From the right: the same.");
  });

  it("a chapter after \\appendix is cited as it prints, Appendix A; its sections stay Section A.1", () => {
    expect(pdf).toContain("Appendix A Review A.1 Trigonometry");
    expect(res.chapters.map((c) => c.label)).toEqual(["Chapter 1", "Chapter 2", "Appendix A"]);
    expect(res.chapters[2].children.map((s) => s.label)).toEqual(["Section A.1"]);
    expect(paragraphText("Section 2.1")).toContain("Appendix A and Section A.1 review trigonometry.");
  });

  it("\\pageref prints the page a TeX run put the label on; without one, ?? as TeX's own first run does", () => {
    const files = {
      "main.tex": "\\documentclass{article}\n\\usepackage{cleveref}\n\\newtheorem{thm}{Theorem}\n\\begin{document}\n\\begin{thm}\\label{a}x\\end{thm}\nSee page~\\pageref{a}, \\cpageref{a}.\n\\end{document}\n",
    };
    const text = (res: ReturnType<typeof parseMem>) => blocks(res.chapters).map((b) => b.text);
    expect(text(parseMem(files, "main.tex", { labelPages: new Map([["a", "17"]]) }))).toEqual(["x", "See page 17, page 17."]);
    expect(text(parseMem(files))).toEqual(["x", "See page ??, page ??."]);
  });

  it("a reference a course macro writes (\\newcommand{\\pg}[1]{p.~\\pageref{#1}}, a \\ref in a box) prints what it refers to", () => {
    const files = {
      "main.tex": "\\documentclass{article}\n\\newtheorem{thm}{Theorem}\n\\newcommand{\\pg}[1]{p.~\\pageref{#1}}\n\\newcommand{\\see}[1]{(see Theorem~\\ref{#1})}\n\\begin{document}\n\\begin{thm}\\label{a}x\\end{thm}\nDefinition, \\pg{a}. Known \\see{a}.\n\\end{document}\n",
    };
    expect(blocks(parseMem(files, "main.tex", { labelPages: new Map([["a", "17"]]) }).chapters).map((b) => b.text)).toEqual(["x", "Definition, p. 17. Known (see Theorem 1)."]);
  });
});
