/**
 * Pass 2, macros: the course's own macros expanded in the text before structure is read, boolean
 * switches decided, line numbers kept.
 */
import { describe, expect, it } from "vitest";
import { parseChunks } from "@/lib/course/latex/ast";
import { Diagnostics } from "@/lib/course/latex/diagnostics";
import { SourceSet } from "@/lib/course/latex/files";
import { applyEdits, MacroTable, macroEdits } from "@/lib/course/latex/macros";
import { byLabel, parseFixture, parseMem, auxMismatches, nodes } from "./support";

/** One file through passes 1–2: the text the structure pass will read. */
function prepared(text: string, table = new MacroTable()): string {
  const sources = new SourceSet((rel) => (rel === "x.tex" ? text : null), table, new Diagnostics());
  return sources.load("x.tex")!.src;
}

/** One round of the macro pass alone. */
function oneRound(text: string, table: MacroTable): string {
  const lines = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lines.push(i + 1);
  const edits = macroEdits(parseChunks(text, [], () => {}), text, "x.tex", (o) => lines.filter((s) => s <= o).length, table);
  return applyEdits(text, edits);
}

describe("definitions", () => {
  it("records \\newcommand, \\NewDocumentCommand, \\def and \\let with their signatures, in document order", () => {
    const table = new MacroTable();
    oneRound(
      [
        "\\newcommand{\\Chapter}[2]{\\chapter{#2}\\label{#1}}",
        "\\newcommand\\Sec[2][intro]{\\section{#2}\\label{sec:#1}}",
        "\\NewDocumentCommand{\\Ex}{s +O{} m}{\\begin{exercise}[#2]#3\\end{exercise}}",
        "\\def\\Lem#1{\\begin{lemma}#1\\end{lemma}}",
        "\\def\\Odd#1.{\\section{#1}}",
        "\\let\\Part\\chapter",
        "\\newcommand{\\norm}[1]{\\left\\lVert #1\\right\\rVert}",
        "\\providecommand{\\norm}{ignored}",
      ].join("\n"),
      table,
    );
    const sig = (n: string) => [table.get(n)?.signature, table.get(n)?.role, table.get(n)?.line];
    expect(sig("Chapter")).toEqual(["m m", "expand", 1]);
    expect(sig("Sec")).toEqual(["O{intro} m", "expand", 2]);
    expect(sig("Ex")).toEqual(["s O{} m", "expand", 3]);
    expect(sig("Lem")).toEqual(["m", "expand", 4]);
    // A delimited \def cannot be expanded here; it stays as written.
    expect(table.get("Odd")).toMatchObject({ role: "plain", unreadable: expect.stringContaining("delimited") });
    expect(sig("Part")).toEqual(["", "expand", 6]);
    expect(sig("norm")).toEqual(["m", "plain", 7]);
  });
});

describe("expansion", () => {
  it("replaces calls of structural macros by their expansion, arguments verbatim, optional defaults filled in", () => {
    const table = new MacroTable();
    const out = prepared(
      [
        "\\newcommand{\\Chapter}[2]{\\chapter{#2}\\label{#1}}",
        "\\newcommand{\\Sec}[2][intro]{\\section{#2}\\label{sec:#1}}",
        "\\Chapter{ch:sets}{Sets and $\\norm{x}$}",
        "\\Sec{First}",
        "\\Sec[other]{Second}",
        "Text with $\\norm{x}$ stays.",
      ].join("\n"),
      table,
    );
    expect(out.split("\n").slice(2)).toEqual([
      "\\chapter{Sets and $\\norm{x}$}\\label{ch:sets}",
      "\\section{First}\\label{sec:intro}",
      "\\section{Second}\\label{sec:other}",
      "Text with $\\norm{x}$ stays.",
    ]);
  });

  it("expands nested calls over several rounds, and a macro whose body uses a structural one", () => {
    const out = prepared(
      ["\\newcommand{\\Thm}[1]{\\begin{theorem}#1\\end{theorem}}", "\\newcommand{\\Two}[2]{\\Thm{#1}\\Thm{#2}}", "\\Two{A}{\\Thm{B}}"].join("\n"),
    );
    expect(out.split("\n")[2]).toBe("\\begin{theorem}A\\end{theorem}\\begin{theorem}\\begin{theorem}B\\end{theorem}\\end{theorem}");
  });

  it("keeps every line after a call where it was: arguments over several lines, an argument used twice or dropped", () => {
    const table = new MacroTable();
    const src = [
      "\\newcommand{\\Twice}[1]{\\section{#1}\\label{#1}}",
      "\\newcommand{\\Drop}[2]{\\section{#1}}",
      "\\Twice{a",
      "b}",
      "\\Drop{x}{dropped",
      "over two lines}",
      "LAST",
    ].join("\n");
    const out = prepared(src, table);
    expect(out.split("\n").length).toBe(src.split("\n").length);
    expect(out.split("\n").indexOf("LAST")).toBe(6);
    expect(out.split("\n")[2]).toBe("\\section{a");
  });

  it("an argument with comments over several lines (a long key=value list) is read whole and its comments dropped", () => {
    const src = ["\\newcommand{\\Box}[3][]{\\newenvironment{#2}{\\textbf{#3}}{}\\def\\opts{#1}}", "\\Box[a=1, % first", "  % b=2,", "  c=3]{notn}{Notation} after"].join("\n");
    const out = prepared(src).split("\n");
    expect(out.length).toBe(4);
    const expanded = out.slice(1).join("\n");
    expect(expanded).toContain("\\newenvironment{notn}{\\textbf{Notation}}{}\\def\\opts{a=1, ");
    expect(expanded).not.toMatch(/first|b=2/);
    expect(out[3]).toBe("  c=3} after");
  });

  it("leaves a call alone inside verbatim and a comment", () => {
    const src = "\\newcommand{\\S}[1]{\\section{#1}}\n\\begin{verbatim}\n\\S{no}\n\\end{verbatim}\n% \\S{no}\n";
    expect(prepared(src)).toBe(src);
  });
});

describe("boolean switches", () => {
  it("takes the branch TeX would: \\ifthenelse{\\boolean}, \\iftoggle, \\ifbool, \\nottoggle, \\not, \\and", () => {
    const out = prepared(
      [
        "\\newboolean{sol}\\setboolean{sol}{true}\\newtoggle{long}\\newbool{x}\\booltrue{x}",
        "\\ifthenelse{\\boolean{sol}}{SOL}{NOSOL}",
        "\\iftoggle{long}{LONG}{SHORT}",
        "\\nottoggle{long}{NOTLONG}{LONG2}",
        "\\ifbool{x}{X}{NOX}",
        "\\ifthenelse{\\not\\boolean{sol} \\and \\boolean{x}}{BOTH}{NOTBOTH}",
        "\\togglefalse{long}\\iftoggle{long}{L}{S}",
      ].join("\n"),
    );
    expect(out.split("\n").slice(1)).toEqual(["SOL", "SHORT", "NOTLONG", "X", "NOTBOTH", "\\togglefalse{long}S"]);
  });

  it("leaves an undecidable test as written and counts it", () => {
    const table = new MacroTable();
    const out = prepared("\\ifthenelse{\\equal{\\jobname}{main}}{A}{B}\n\\ifthenelse{\\equal{\\jobname}{main}}{A}{B}\n", table);
    expect(out).toContain("\\ifthenelse");
    expect([...table.undecided.values()].map((u) => u.uses)).toEqual([2]);
  });
});

describe("on a whole book (fixture macro-chapters, numbers from pdflatex)", () => {
  it("chapters begun by \\Chapter, sections by \\NewDocumentCommand, a lemma by \\def: every label as printed", () => {
    const res = parseFixture("macro-chapters");
    expect(auxMismatches(res, "macro-chapters.aux")).toEqual([]);
    expect(res.diagnostics).toEqual([]);
    expect(nodes(res.chapters).map((n) => `${n.label} ${n.title} @${n.source.line}`)).toEqual([
      "Chapter 1 Sets @19",
      "Section 1.1 First things @20",
      "Chapter 2 Maps @36",
      "Section 2.1 Functions @37",
    ]);
    expect(byLabel(res, "lem:def")).toMatchObject({ kind: "lemma", label: "Lemma 1.2", text: "A lemma from a `def`.", source: { line: 22 } });
  });

  it("a heading inside a group (a macro that scopes what it changes) is still a heading", () => {
    const res = parseMem({
      "main.tex": "\\documentclass{book}\n\\newcommand{\\longsection}[2]{{\\let\\x\\y\\section[{#1}]{#1}}}\n\\begin{document}\n\\chapter{C}\n\\longsection{Growth and decay}{Growth}\\label{s}\nText.\n\\end{document}\n",
    });
    expect(byLabel(res, "s")).toMatchObject({ label: "Section 1.1", title: "Growth and decay", source: { line: 5 } });
  });

  it("a line after an expanded macro keeps its number", () => {
    const res = parseMem({
      "main.tex": "\\documentclass{book}\n\\usepackage{amsthm}\\newtheorem{theorem}{Theorem}\n\\newcommand{\\Chapter}[2]{\\chapter{#2}\n\\label{#1}}\n\\begin{document}\n\\Chapter{a}{A\nlong title}\n\\begin{theorem}\\label{t}T\\end{theorem}\n\\end{document}\n",
    });
    expect(byLabel(res, "t")).toMatchObject({ label: "Theorem 1", source: { line: 8 } });
    expect(byLabel(res, "a")).toMatchObject({ label: "Chapter 1", title: "A long title", source: { line: 6 } });
  });
});

describe("definitions in files read before the call", () => {
  it("a style file \\input (or \\include'd) in the preamble defines the macro the body calls: expanded in the main file", () => {
    const files: Record<string, string> = {
      "main.tex": "\\documentclass{book}\n\\include{style/style}\n\\begin{document}\n\\includechapter{1}{one}\n\\end{document}\n",
      "style/style.tex": "\\newcommand\\includechapter[2]{\n  \\setcounter{chapter}{#1}\n  \\input{#2/#2}\n  }\n",
      "one/one.tex": "\\chapter{One}\n\\section{A}\n",
    };
    const table = new MacroTable();
    const sources = new SourceSet((rel) => files[rel] ?? null, table, new Diagnostics());
    const main = sources.load("main.tex")!;
    expect(main.src).toContain("\\input{one/one}");
    expect(main.src.split("\n")).toHaveLength(files["main.tex"].split("\n").length);
    // the files were read in TeX's order: the style, then the chapter the expansion names
    expect(sources.files).toEqual(["main.tex", "style/style.tex", "one/one.tex"]);
  });

  it("the whole book: the chapters \\includechapter reads are chapters, numbered from its \\setcounter", () => {
    const res = parseMem({
      "main.tex": "\\documentclass{book}\n\\input{style}\n\\begin{document}\n\\includechapter{3}{one}\n\\end{document}\n",
      "style.tex": "\\newcommand\\includechapter[2]{\\setcounter{chapter}{#1}\\addtocounter{chapter}{-1}\\input{#2}}\n",
      "one.tex": "\\chapter{One}\n\\section{A}\n",
    });
    expect(nodes(res.chapters).map((n) => `${n.label} @${n.source.file}:${n.source.line}`)).toEqual(["Chapter 3 @one.tex:1", "Section 3.1 @one.tex:2"]);
  });

  it("\\let\\oldsection\\section with \\renewcommand\\section{…\\oldsection} is still a \\section", () => {
    const res = parseMem({
      "main.tex": "\\documentclass{book}\n\\let\\oldsection\\section\n\\renewcommand\\section{\\clearpage\\oldsection}\n\\begin{document}\n\\chapter{One}\n\\section{Two}\n\\section{Three}\n\\end{document}\n",
    });
    expect(nodes(res.chapters).map((n) => n.label)).toEqual(["Chapter 1", "Section 1.1", "Section 1.2"]);
    expect(res.diagnostics.map((d) => d.message).join("\n")).not.toMatch(/without a \{title\}/);
  });
});
