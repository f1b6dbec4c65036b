/** Pass 5, text: what references print and each block's text as read from its source. */
import { describe, expect, it } from "vitest";
import { Diagnostics } from "@/lib/course/latex/diagnostics";
import { DerivedNumbering } from "@/lib/course/latex/numbering";
import { refText } from "@/lib/course/latex/text";
import { parseMem } from "./support";

describe("refText", () => {
  const num = new DerivedNumbering(new Diagnostics());
  num.labels.set("t", { key: "t", number: "3.2", kind: "theorem", file: "a.tex", line: 1 });
  num.labels.set("e", { key: "e", number: "3.1", kind: "equation", file: "a.tex", line: 2 });
  num.labels.set("k", { key: "k", number: "4", kind: "Key Idea", file: "a.tex", line: 3 });
  const print = (cmd: string, ...keys: string[]) => refText({ cmd, keys, file: "a.tex", line: 9 }, num, new Diagnostics());

  it("prints numbers, equation parentheses and cleveref names", () => {
    expect(print("ref", "t")).toBe("3.2");
    expect(print("eqref", "e")).toBe("(3.1)");
    expect(print("cref", "t")).toBe("theorem 3.2");
    expect(print("Cref", "e")).toBe("Equation (3.1)");
    expect(print("ref", "missing")).toBe("??");
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
});
