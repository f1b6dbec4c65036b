import { describe, expect, it } from "vitest";
import katex from "katex";
import { parseKatexMacros, toKatexMacros } from "@/lib/course/latex-macros";

const render = (tex: string, macros: Record<string, string>) => katex.renderToString(tex, { throwOnError: true, macros: { ...macros } });

describe("toKatexMacros", () => {
  it("turns the course's definitions into KaTeX macros that render", () => {
    const macros = toKatexMacros([
      { name: "norm", nargs: 1, body: "\\lVert #1\\rVert" },
      { name: "R", nargs: 0, body: "\\mathbb{R}" },
      { name: "Var", nargs: 0, body: "\\operatorname{Var}" },
      { name: "inner", nargs: 2, body: "\\langle #1, #2\\rangle" },
    ]);
    expect(macros).toEqual({ "\\norm": "\\lVert #1\\rVert", "\\R": "\\mathbb{R}", "\\Var": "\\operatorname{Var}", "\\inner": "\\langle #1, #2\\rangle" });
    expect(render("\\norm{x}+\\inner{a}{b}\\in\\R", macros)).toContain("∥");
    expect(() => render("\\norm{x}", {})).toThrow();
  });

  it("gives an optional first argument its default, since KaTeX macros have none", () => {
    const macros = toKatexMacros([{ name: "pair", nargs: 2, optional: "x", body: "(#1, #2)" }]);
    expect(macros).toEqual({ "\\pair": "({x}, #1)" });
    expect(render("\\pair{1}", macros)).toContain("katex");
  });

  it("leaves out what KaTeX cannot render or would miscount", () => {
    const macros = toKatexMacros([
      { name: "chap", nargs: 1, body: "\\chapter{#1}\\refstepcounter{chapter}" },
      { name: "boxit", nargs: 1, body: "\\begin{mdframed}#1\\end{mdframed}" },
      // Declares two arguments but uses one: KaTeX would take only one.
      { name: "first", nargs: 2, body: "#1" },
      { name: "@internal", nargs: 0, body: "x" },
      { name: "ok", nargs: 0, body: "\\alpha" },
    ]);
    expect(macros).toEqual({ "\\ok": "\\alpha" });
  });

  it("reads stored macros back, tolerating a store written before they existed", () => {
    expect(parseKatexMacros(undefined)).toEqual({});
    expect(parseKatexMacros(null)).toEqual({});
    expect(parseKatexMacros("")).toEqual({});
    expect(parseKatexMacros("not json")).toEqual({});
    expect(parseKatexMacros('{"\\\\R":"\\\\mathbb{R}","bad key":"x","\\\\n":3}')).toEqual({ "\\R": "\\mathbb{R}" });
  });
});
