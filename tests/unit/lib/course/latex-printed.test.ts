/**
 * The printed-text pass: LaTeX block text → what the book prints. The fixture
 * tests/fixtures/latex/printed/main.tex is checked against what pdflatex made of it
 * (tests/fixtures/latex-truth/printed.{aux,txt}, from `bash scripts/latex-truth.sh`): the PDF's own text
 * for list labels, captions and references, its .aux for equation numbers.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseLatexDetailed } from "@/lib/course/latex";
import { latexToPrintedText, type TextMacro } from "@/lib/course/latex-printed";
import type { Block, SectionNode } from "@/lib/course/types";

const REPO = path.resolve(__dirname, "../../../..");
const FIXTURE = path.join(REPO, "tests/fixtures/latex/printed");
const TRUTH = path.join(REPO, "tests/fixtures/latex-truth");

function blocks(nodes: SectionNode[]): Block[] {
  return nodes.flatMap((n) => [...n.blocks, ...blocks(n.children)]);
}

function parseFixture() {
  return parseLatexDetailed({
    root: FIXTURE,
    file: "main.tex",
    readText: (rel) => {
      try {
        return readFileSync(path.join(FIXTURE, rel), "utf8");
      } catch {
        return null;
      }
    },
    fileExists: (rel) => existsSync(path.join(FIXTURE, rel)) && statSync(path.join(FIXTURE, rel)).isFile(),
  });
}

/** Text without Markdown emphasis and with runs of spaces collapsed: how pdftotext shows it. */
const flat = (s: string) => s.replace(/\*\*?([^*]+)\*\*?/g, "$1").replace(/\s+/g, " ").trim();

const print = (src: string, macros: TextMacro[] = []) => latexToPrintedText(src, { macros: new Map(macros.map((m) => [m.name, m])) });

describe("printed text of a real document, against what pdflatex printed", () => {
  const res = parseFixture();
  const all = blocks(res.chapters);
  const text = all.map((b) => b.text).join("\n\n");
  const pdf = flat(readFileSync(path.join(TRUTH, "printed.txt"), "utf8"));

  it("prints every list item with the label the PDF shows, nested ones indented", () => {
    const items = text.split("\n\n").filter((p) => /^ *(\(?[0-9a-z]+[.)]|•) /.test(p));
    expect(items.map((p) => p.trimEnd())).toEqual([
      "1. First level.",
      "  (a) Second level.",
      "    i. Third level.",
      "    ii. Third again.",
      "  (b) Second again.",
      "2. First again, with a bullet list:",
      "  • a bullet",
      "(iii) three",
      "(iv) four",
      expect.stringMatching(/^\(a\) Show that\n\\begin\{align\*\}/),
      "(b) Compute:",
      "  i. the first;",
      "  ii. the second.",
    ]);
    // Each label and the words after it are what the PDF prints.
    for (const p of items) expect(pdf, p).toContain(flat(p).split("\n")[0].split(" ").slice(0, 3).join(" ").replace(/\\begin.*/, "").trim());
    // An explicit label stays as written; a description's term is bold.
    expect(text).toContain("  $\\star$ a star");
    expect(text).toContain("**Convex** bends upwards.\n\n**Concave** bends downwards.");
    expect(text).not.toMatch(/\\item|\\begin\{(enumerate|itemize|description)\}/);
  });

  it("keeps display math whole: align* with its \\\\ and &, numbered rows tagged with the .aux numbers", () => {
    const parts = all.find((b) => b.label === "Exercise 1.1")!;
    expect(parts.text).toContain("\\begin{align*}\n\\norm{x}^2 &= x^Tx \\\\\n&= 1.\n\\end{align*}");
    const aux = readFileSync(path.join(TRUTH, "printed.aux"), "utf8");
    const eq = (key: string) => new RegExp(`\\\\newlabel\\{${key}\\}\\{\\{([^}]*)\\}`).exec(aux)![1];
    const para = all.find((b) => b.latexLabels?.includes("eq:tangent"))!;
    expect(para.text).toContain(
      `\\begin{align}\nf(y) &\\ge f(x) + f'(x)(y-x), \\tag{${eq("eq:tangent")}}\\\\\ng(y) &= 0 \\nonumber\\\\\nh(y) &\\le 1. \\tag{${eq("eq:third")}}\n\\end{align}`,
    );
    // `\[ … \]` stays on its own line inside the paragraph; no stray blank lines or delimiters.
    expect(para.text).toContain("and Chapters 1 and 2,\n\\[ \\sum_{i=1}^n x_i > 0. \\]");
    expect(pdf).toContain("By (1.1) and (1.2), and Chapters 1 and 2,");
  });

  it("prints figures and tables as 'Figure 1.1: caption', the \\ref to them resolved, layout commands gone", () => {
    // The image file beside the notes (chord → chord.png, as pdflatex finds it) is shown and recorded.
    expect(text).toContain("![Figure 1.1](<chord.png>)\n\nFigure 1.1: A chord above the graph.");
    expect(res.figures).toEqual(["chord.png"]);
    expect(text).toContain("Figure 1.1: A chord above the graph.");
    expect(pdf).toContain("Figure 1.1: A chord above the graph.");
    expect(text).toContain("name | value\n$a$ | 1\n\nTable 1.1: Values.");
    expect(text).toContain("As Figure 1.1 shows,");
    expect(text).toContain("Table 1.1 and Theorem 2.1 use the *same* words — “quoted”.");
    for (const cmd of ["centering", "includegraphics", "label", "vspace", "noindent", "caption", "hline", "ref", "eqref", "item"]) {
      expect(text, cmd).not.toContain(`\\${cmd}`);
    }
    expect(text).not.toContain("~");
  });

  it("expands the document's text macros in prose and hands its math macros to KaTeX", () => {
    expect(text).toContain("In Optimisation I we use **nested lists**:");
    expect(pdf).toContain("In Optimisation I we use nested lists:");
    // Math is left for KaTeX, which gets the macros.
    expect(text).toContain("$\\norm{x}=1$ and $\\Var(X)=\\pair{1}$");
    expect(res.macros).toMatchObject({ "\\norm": "\\lVert #1\\rVert", "\\R": "\\mathbb{R}", "\\Var": "\\operatorname{Var}", "\\pair": "({x}, #1)" });
  });
});

describe("latexToPrintedText", () => {
  it("drops LaTeX 2.09's font switches (\\it, \\bf, \\sc …), which print no text, in prose, captions and titles", () => {
    expect(print("they might be {\\it close} or \\bf far")).toBe("they might be close or far");
    const res = parseLatexDetailed({
      root: "/mem",
      file: "main.tex",
      readText: (rel) => (rel === "main.tex" ? "\\documentclass{article}\n\\begin{document}\n\\section{Might be \\it close}\nText.\n\\begin{figure}\\caption{A {\\sc Jags} trace, {\\tt burn-in} gone}\\end{figure}\n\\end{document}\n" : null),
    });
    expect(res.chapters.flatMap((c) => [c, ...c.children]).map((n) => n.title)).toContain("Might be close");
    expect(blocks(res.chapters).map((b) => b.text).join("\n")).toContain("A Jags trace, burn-in gone");
  });

  it("labels nested enumerates as LaTeX does by default, and reads enumitem and enumerate-package labels", () => {
    const out = print("\\begin{enumerate}\\item a \\begin{enumerate}\\item b \\begin{enumerate}\\item c \\begin{enumerate}\\item d\\end{enumerate}\\end{enumerate}\\end{enumerate}\\end{enumerate}");
    expect(out).toBe("1. a\n\n  (a) b\n\n    i. c\n\n      A. d");
    expect(print("\\begin{enumerate}[label=\\textbf{Step \\arabic*:}]\\item x\\item y\\end{enumerate}")).toBe("Step 1: x\n\nStep 2: y");
    expect(print("\\begin{enumerate}[(i)]\\item x\\item y\\end{enumerate}")).toBe("(i) x\n\n(ii) y");
    expect(print("\\begin{enumerate}[label=\\Alph*), start=4]\\item x\\end{enumerate}")).toBe("D) x");
  });

  it("reads an exercise with parts and sub-parts, text before the first item and hints inside", () => {
    const out = print(
      "Let $f(x)=x^2$.\n\\begin{enumerate}[label=(\\alph*)]\n  \\item Show\n  that $f\\ge0$.\n  \\item Compute:\n  \\begin{enumerate}[label=\\roman*.]\n    \\item $f(1)$;\n    \\item $f(2)$.\n  \\end{enumerate}\n\\end{enumerate}\n\\begin{hint}\nUse~(a).\n\\end{hint}",
    );
    expect(out).toBe("Let $f(x)=x^2$.\n\n(a) Show\nthat $f\\ge0$.\n\n(b) Compute:\n\n  i. $f(1)$;\n\n  ii. $f(2)$.\n\n\\begin{hint}\nUse (a).\n\\end{hint}");
  });

  it("keeps math exactly as written, whatever it contains", () => {
    const src = "Then $a~b \\% c$ and \\(x\\_1\\), and\n\\begin{align*}\n  a &= b \\\\\n  c &= \\text{d~e}\n\\end{align*}\nand $$\\frac12$$ and \\begin{gather}x\\label{eq:x}\\end{gather} end";
    const out = print(src);
    expect(out).toContain("$a~b \\% c$");
    expect(out).toContain("\\(x\\_1\\)");
    expect(out).toContain("and\n\\begin{align*}\na &= b \\\\\nc &= \\text{d~e}\n\\end{align*}\nand\n\\[ \\frac12 \\]\nand\n\\begin{gather}x\\end{gather}\nend");
  });

  it("keeps an unclosed display formula as written; a lone $ is a dollar sign, escaped", () => {
    expect(print("Broken \\[ x~y and more")).toBe("Broken \\[ x~y and more");
    expect(print("Broken $$ x~y")).toBe("Broken $$ x~y");
    expect(print("It costs $5.\n\nThen \\item $x$.")).toBe("It costs \\$5.\n\nThen\n• $x$.");
  });

  it("keeps unknown macros readable: their arguments' text, or the macro itself when bare", () => {
    expect(print("A \\keyterm{convex} set, \\foo[opt]{bar}{baz}, and \\alsounknown here.")).toBe("A convex set, bar baz, and \\alsounknown here.");
  });

  it("expands the course's own text macros, with arguments and optional defaults", () => {
    const macros: TextMacro[] = [
      { name: "course", nargs: 0, body: "Optimisation~I" },
      { name: "defn", nargs: 1, body: "\\textbf{#1}" },
      { name: "pair", nargs: 2, optional: "x", body: "(#1, #2)" },
      { name: "loop", nargs: 0, body: "\\loop" },
    ];
    expect(print("In \\course{} a \\defn{set}: \\pair{1} or \\pair[y]{2}.", macros)).toBe("In Optimisation I a **set**: (x, 1) or (y, 2).");
    // An argument after a control word stays a separate token, as in TeX (OpenIntro's `{\small#1}`).
    const sol: TextMacro = { name: "sol", nargs: 1, body: "\\noindent\\textbf{\\hypersetup{linkcolor=oiB}\\ref{eoce_\\arabic{x}}}\\hspace{2mm}{\\small#1}" };
    expect(print("\\sol{The graph rises.}", [sol])).toBe("The graph rises.");
    // A URL keeps its characters, with the course's macros in it expanded.
    const ref: TextMacro = { name: "referrer", nargs: 0, body: "os4_pdf" };
    expect(print("\\href{http://x.org/r.php?go=os\\&referrer=\\referrer}{the book}", [ref])).toBe("the book (http://x.org/r.php?go=os&referrer=os4_pdf)");
    // A macro that expands to itself stops at the depth limit instead of looping.
    expect(() => print("\\loop", macros)).not.toThrow();
  });

  it("a command \\let to another takes that one's arguments; \\let and running-head marks print nothing", () => {
    // CLP-1's \longsection: `\let\orisectionmark\sectionmark` … `\section[{#1}]{{#1}\orisectionmark{{#2}}}`.
    const alias: TextMacro[] = [{ name: "orisectionmark", nargs: 0, body: "\\sectionmark" }];
    expect(print("{Taylor Polynomials}\\orisectionmark{{Taylor polys}}", alias)).toBe("Taylor Polynomials");
    expect(print("Text.\\let\\sectionmark\\orisectionmark \\markboth{A}{B}\\chaptermark{C} More, \\let\\x= y done.")).toBe("Text. More, done.");
    // Two names for each other stop at the depth limit.
    const loop: TextMacro[] = [{ name: "a", nargs: 0, body: "\\b" }, { name: "b", nargs: 0, body: "\\a" }];
    expect(() => print("\\a{x}", loop)).not.toThrow();
  });

  it("xspace's \\xspace is a space unless punctuation follows (HoTT's `\\let\\nat\\N`, `\\N` = `\\ensuremath{\\mathbb{N}}\\xspace`)", () => {
    const macros: TextMacro[] = [
      { name: "N", nargs: 0, body: "\\ensuremath{\\mathbb{N}}\\xspace" },
      { name: "nat", nargs: 0, body: "\\N" },
    ];
    expect(print("Induction for \\nat with a type, on \\N. And \\N{} here, \\nat\n(or \\nat)", macros)).toBe("Induction for $\\mathbb{N}$ with a type, on $\\mathbb{N}$. And $\\mathbb{N}$ here, $\\mathbb{N}$\n(or $\\mathbb{N}$)");
  });

  it("a footnote with a number given prints its text, not the number", () => {
    expect(print("A note.\\footnote[7]{By hand.} And\\footnotetext[8]{Text only.}")).toBe("A note. (By hand.) And (Text only.)");
  });

  it("drops layout, turns typography into characters, emphasis into Markdown", () => {
    const out = print(
      "\\noindent\\textbf{Bold} and \\emph{em} and \\texttt{code}~--- ``quoted'' \\ldots\\ 50\\% \\& \\S3 caf\\'e na\\\"ive\\par\\vspace{2mm}\\medskip Next\\footnote{A note.}\\index{x} \\newpage done.",
    );
    expect(out).toBe("**Bold** and *em* and `code` — “quoted” … 50% & §3 café naïve\n\nNext (A note.) done.");
  });

  it("prints a table as rows of cells and a figure as its caption", () => {
    expect(print("\\begin{tabular}{|l|c|}\\hline a & $b$ \\\\ \\hline \\multicolumn{2}{c}{c} \\\\\\end{tabular}")).toBe("a | $b$\nc");
    expect(print("\\begin{figure}\\centering\\includegraphics[width=3cm]{x}\\caption[short]{Long \\emph{caption}.}\\end{figure}")).toBe("Figure: Long *caption*.");
    expect(print("\\begin{figure}\\numberedcaption{Figure 2.3}{The caption.}\\end{figure}")).toBe("Figure 2.3: The caption.");
    expect(print("\\begin{tikzpicture}\\draw (0,0) -- (1,1);\\end{tikzpicture}Text")).toBe("Text");
  });

  it("keeps code and verbatim as written", () => {
    expect(print("Run:\n\\begin{verbatim}\n  x = 50% ~ {y}\n\\end{verbatim}\nafter")).toBe("Run:\n\n\\begin{verbatim}\n  x = 50% ~ {y}\n\\end{verbatim}\n\nafter");
  });

  it("never leaves \\item, \\label or \\centering behind in prose, and never throws on any mix with math", () => {
    const prose = fc.constantFrom(
      "\\begin{enumerate}", "\\end{enumerate}", "\\begin{itemize}", "\\end{itemize}", "\\item ", "\\item[(x)] ", "\\label{a}",
      "\\centering ", "{", "}", "text ", "\n\n", "~", "\\emph{", "%", "[", "]", "\\begin{figure}", "\\end{figure}", "\\caption{c}",
      "\\\\", "\\begin{center}", "\\end{center}", "\\newline", "\\noindent ",
    );
    fc.assert(
      fc.property(fc.array(prose, { maxLength: 40 }), (parts) => {
        expect(print(parts.join(""))).not.toMatch(/\\(item|label|centering)\b/);
      }),
      { numRuns: 300 },
    );
    const math = fc.constantFrom("$", "$$", "\\[", "\\]", "\\(", "\\)", "\\begin{align}", "\\end{align}", "\\$", "\\", "&", "x");
    fc.assert(
      fc.property(fc.array(fc.oneof(prose, math), { maxLength: 40 }), (parts) => {
        expect(typeof print(parts.join(""))).toBe("string");
      }),
      { numRuns: 300 },
    );
  });
});

describe("macro expansion budget", () => {
  it("a macro that doubles its argument at every level stops expanding instead of building an endless string", () => {
    // \twice{x} = xx, nested 40 deep: 2^40 copies if expanded fully (HoTT's macros made V8 throw 'Invalid string length').
    const src = `${"\\twice{".repeat(40)}x${"}".repeat(40)}`;
    const out = print(src, [{ name: "twice", nargs: 1, body: "#1#1" }]);
    expect(out.length).toBeLessThan(2_000_000);
    expect(out).toContain("x");
  });

  it("a macro that loops back to itself (HoTT's \\prd through \\@ifnextchar branches) is read as an unknown command, not expanded branch by branch", () => {
    const macros: TextMacro[] = [
      { name: "prd", nargs: 1, body: "\\@ifnextchar\\bgroup{\\prd@parens{#1}}{\\@ifnextchar\\sm{\\prd@parens{#1}\\@eatsm}{\\prd@parens{#1}}}" },
      { name: "prd@parens", nargs: 1, body: "\\@ifnextchar\\bgroup{\\mathchoice{\\@tprd{#1}}{\\@tprd{#1}}{\\@tprd{#1}}{\\@tprd{#1}}\\prd@parens}{\\@ifnextchar\\sm{\\@tprd{#1}\\prd@parens}{\\@tprd{#1}}}" },
      { name: "@tprd", nargs: 1, body: "\\prod_{(#1)}" },
      { name: "term", nargs: 1, body: "\\emph{#1}" },
    ];
    const src = Array.from({ length: 40 }, (_, k) => `A \\term{type ${k}} \\prd{x:A}{y:B} B.`).join("\n");
    const out = print(src, macros);
    // each use a handful of steps: expanded branch by branch, 40 uses spent the 20,000-expansion budget
    expect(out.length).toBeLessThan(4 * src.length);
    expect(out).toContain("A *type 0*");
    expect(out).toContain("x:A");
    expect(out).toContain("type 39");
  });
});
