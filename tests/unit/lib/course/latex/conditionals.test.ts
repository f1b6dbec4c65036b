/** Pass 2, conditionals: the branch TeX takes, blanked in place so offsets and lines stay. */
import { describe, expect, it } from "vitest";
import { lexLatex } from "@/lib/course/latex/conditionals";
import { auxMismatches, parseFixture } from "./support";

const live = (src: string, isDefined?: (n: string) => boolean | undefined) => {
  const lex = lexLatex(src, new Map(), isDefined);
  return { text: lex.masked.replace(/%\s*/g, "").replace(/\s+/g, " ").trim(), lex };
};

describe("lexLatex", () => {
  it("follows \\newif switches set before use, \\iftrue and \\iffalse, with \\else", () => {
    expect(live("\\newif\\ifcover \\covertrue \\ifcover A\\else B\\fi \\coverfalse \\ifcover C\\else D\\fi \\iffalse E\\fi \\iftrue F\\fi").text).toBe("\\newif\\ifcover \\covertrue A \\coverfalse D F");
  });

  it("decides \\ifdefined by what the course defines, and says what it cannot decide", () => {
    const defined = (n: string) => (n === "Chapter" ? true : undefined);
    expect(live("\\ifdefined\\Chapter YES\\else NO\\fi", defined).text).toBe("YES");
    const unknown = live("\\ifdefined\\HCode A\\fi \\ifprintcover B\\else C\\fi", defined);
    expect(unknown.text).toContain("A");
    expect(unknown.lex.undecided.map((u) => u.name)).toEqual(["ifdefined\\HCode", "ifprintcover"]);
  });

  it("keeps offsets and line breaks: a removed line becomes a comment, not a paragraph break", () => {
    const src = "a\n\\iffalse\nhidden\n\\fi\nb";
    const { lex } = live(src);
    expect(lex.masked.length).toBe(src.length);
    expect(lex.masked.split("\n").length).toBe(src.split("\n").length);
    expect(lex.masked.split("\n")[2]).toMatch(/^%/);
  });

  it("does not report ifthen/etoolbox commands as conditionals", () => {
    expect(live("\\ifthenelse{\\boolean{x}}{A}{B} \\iftoggle{t}{A}{B}").lex.undecided).toEqual([]);
    // amsmath's \iff (⟺) is a symbol, not a conditional (CLP-1: `Y=f^{-1}(X) \iff f(Y)=X`).
    expect(live("$Y=f^{-1}(X) \\iff f(Y)=X$").lex.undecided).toEqual([]);
  });
});

describe("macros named \\if… and package conditionals", () => {
  it("a \\newcommand named \\if… prints text: its definition and uses open no conditional and are not reported", () => {
    const src = "\\newcommand*{\\ifeff}{iff}\n\\def\\ifI{\\ci}\nA \\ifeff\\ B \\ifI\\ C \\ifprintcover D\\fi";
    const { lex, text } = live(src);
    expect(lex.undecided.map((u) => u.name)).toEqual(["ifprintcover"]);
    expect(text).toContain("A \\ifeff\\ B \\ifI\\ C");
  });

  it("a macro named \\if… defined in an earlier file (the course's macro table) is not a conditional either", () => {
    expect(live("x \\ifeff y", (n) => (n === "ifeff" ? true : undefined)).lex.undecided).toEqual([]);
  });

  it("latexml.sty's \\iflatexml is false under TeX, also when the course does not ship latexml.sty", () => {
    const { lex, text } = live("\\iflatexml\n\\def\\x{HTML}\n\\else\n\\def\\x{PDF}\n\\fi\n\\iflatexml A\\iftrue B\\fi C\\else D\\fi");
    expect(lex.undecided).toEqual([]);
    expect(text).toBe("\\def\\x{PDF} D");
  });
});

describe("on a whole book (fixture conditionals, numbers from pdflatex)", () => {
  it("chapters \\input inside \\if…\\else…\\fi, \\ifthenelse and \\iftoggle are read; the undecidable one is named", () => {
    const res = parseFixture("conditionals");
    expect(auxMismatches(res, "conditionals.aux")).toEqual([]);
    expect(res.chapters.map((c) => c.label)).toEqual(["Chapter 1", "Chapter 2", "Chapter 3", "Chapter 4"]);
    // \ifdefined\undefinedmacro: nothing in the course says; both branches are read, and the warning says so.
    expect(res.diagnostics).toEqual([
      expect.objectContaining({ file: "main.tex", line: 23, message: expect.stringMatching(/^\\ifdefined\\undefinedmacro \(main\.tex:23\) is not a conditional declared with \\newif.*both branches are read/) }),
    ]);
  });
});
