/** Pass 1, files: which file is the book, what it reads, and each file prepared once. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findLatexMains, includeCandidates, inputsOf, joinPath, tightenEnvNames } from "@/lib/course/latex/files";
import { FIXTURES, fsReader, parseMem } from "./support";

describe("findLatexMains", () => {
  it("picks the book and not the per-chapter wrappers that \\input one of its chapters", () => {
    const root = path.join(FIXTURES, "wrappers");
    const files = ["book.tex", "chapters/limits.tex", "chapters/series.tex", "limits-alone.tex", "series-alone.tex"];
    const choice = findLatexMains(files, fsReader(root));
    expect(choice.mains).toEqual(["book.tex"]);
    expect(choice.skipped).toEqual([
      { file: "limits-alone.tex", reason: "a wrapper around part of book.tex" },
      { file: "series-alone.tex", reason: "a wrapper around part of book.tex" },
    ]);
  });

  it("skips a file with \\documentclass that another file \\input's (a subfile), and keeps two unrelated books", () => {
    const texts: Record<string, string> = {
      "a.tex": "\\documentclass{book}\\begin{document}\\subfile{ch}\\end{document}",
      "ch.tex": "\\documentclass[a]{subfiles}\\begin{document}x\\end{document}",
      "b.tex": "\\documentclass{article}\\begin{document}\\input{other}\\end{document}",
      "other.tex": "y",
      "old.tex": "% \\documentclass{book} (commented out)\n",
    };
    const choice = findLatexMains(Object.keys(texts), (f) => texts[f] ?? null);
    expect(choice.mains).toEqual(["a.tex", "b.tex"]);
    expect(choice.skipped).toEqual([{ file: "ch.tex", reason: "\\input by a.tex" }]);
  });
});

describe("paths", () => {
  it("joins inside the course folder only and lists what \\input may mean", () => {
    expect(joinPath("tex", "chapters/../one")).toBe("tex/one");
    expect(joinPath("", "../outside")).toBeUndefined();
    expect(includeCandidates("input", "tex/one")).toEqual(["tex/one.tex", "tex/one"]);
    expect(includeCandidates("include", "tex/one")).toEqual(["tex/one.tex"]);
    expect(inputsOf("tex/main.tex", "\\input{ch/one}\n% \\input{ch/gone}\n\\include{ch/two.tex}")).toEqual(["tex/ch/one", "ch/one", "tex/ch/two", "ch/two"]);
  });
});

describe("reading a file", () => {
  it("\\end {env} with a space is legal TeX: same length, same lines, and the environment is closed", () => {
    const src = "\\begin {proof}\nx\n\\end  {proof} after";
    const tight = tightenEnvNames(src);
    expect(tight).toBe("\\begin{proof} \nx\n\\end{proof}   after");
    expect(tight.length).toBe(src.length);
    const r = parseMem({ "main.tex": "\\documentclass{book}\n\\begin{document}\n\\chapter{C}\n\\begin{center}\nTikZ here.\n\\end {center}\n\\end{document}\n" });
    expect(r.diagnostics).toEqual([]);
  });

  it("Windows line ends are one end of line, as TeX reads them (a definition's body on the next line)", () => {
    const r = parseMem({ "main.tex": "\\documentclass{book}\r\n\\newcommand{\\Sec}[1]\r\n   {\\section{#1}}\r\n\\begin{document}\r\n\\chapter{C}\r\n\\Sec{S}\\label{s}\r\n\\end{document}\r\n" });
    expect(r.labels.s).toMatchObject({ number: "1.1", line: 6 });
  });

  it("reads each file once, in the order TeX reads them (newclude's \\include* too)", () => {
    const r = parseMem({
      "main.tex": "\\documentclass{book}\n\\usepackage{local}\n\\begin{document}\n\\input{a}\n\\include*{b}\n\\input{a}\n\\end{document}\n",
      "local.sty": "\\newcommand{\\x}{y}\n",
      "a.tex": "\\chapter{A}\n",
      "b.tex": "\\chapter{B}\n",
    });
    expect(r.files).toEqual(["main.tex", "local.sty", "a.tex", "b.tex"]);
    expect(r.chapters.map((c) => c.title)).toEqual(["A", "B", "A"]);
  });
});
