/**
 * Pass 3b, with TeX: what the engine's trace numbered and the walk did not find becomes a block under its
 * printed name and number, where the walk stood at its line, with its text. The traces here are written by
 * hand in the shape `engineNumbers` gives (tests/integration/latex-numbers.test.ts runs the real pdflatex).
 */
import { describe, expect, it } from "vitest";
import type { TracedNumber } from "@/lib/course/latex";
import { macroArgs } from "@/lib/course/latex/traced-blocks";
import { blocks, parseMem } from "./support";

const BOOK = [
  "\\documentclass{book}", // 1
  "\\newcounter{boxc}", // 2
  "\\def\\mybox#1{\\par\\refstepcounter{boxc}\\fbox{#1}\\par}", // 3  (the walk cannot name it)
  "\\begin{document}", // 4
  "\\chapter{One}", // 5
  "Some prose.", // 6
  "", // 7
  "\\mybox{A framed", // 8
  "remark.}", // 9
  "", // 10
  "More prose.", // 11
  "\\input{ex}", // 12
  "\\end{document}", // 13
].join("\n");

type Traced = Omit<Partial<TracedNumber>, "item"> & { item: Partial<NonNullable<TracedNumber["item"]>> };

function traced(over: Traced): TracedNumber {
  return {
    counter: "boxc",
    number: "1",
    file: "main.tex",
    line: 8,
    ...over,
    item: Object.assign({ name: "Note", kind: "note", via: "macro" as const, endLine: 9, labels: [], parts: [] }, over.item),
  };
}

describe("items only the trace has", () => {
  it("become blocks of their printed name and number at their line, between the blocks around them, with their text", () => {
    const res = parseMem({ "main.tex": BOOK, "ex.tex": "Prose of ex.\n" }, "main.tex", { trace: [traced({ item: { macro: "mybox" } })] });
    const chapter = res.chapters[0];
    expect(chapter.blocks.map((b) => b.label ?? b.kind)).toEqual(["paragraph", "Note 1", "paragraph", "paragraph"]);
    const note = chapter.blocks[1];
    expect(note).toMatchObject({ kind: "Note", number: "1", source: { file: "main.tex", line: 8, endLine: 9 } });
    expect(note.text).toBe("A framed\nremark.");
    // the walk's paragraph of the same lines gave way to it
    expect(chapter.blocks.filter((b) => b.text.includes("framed"))).toHaveLength(1);
    expect(res.diagnostics.map((d) => d.message).join("\n")).not.toMatch(/found no item here/);
  });

  it("an item in a file only a \\read loop inputs goes where the walk stood at the call that read it", () => {
    const res = parseMem({ "main.tex": BOOK, "ex.tex": "Prose of ex.\n", "ex/one.tex": "Find $x$.\n" }, "main.tex", {
      trace: [traced({ counter: "enumi", number: "1.1", file: "ex/one.tex", line: 1, item: { name: "Exercise", kind: "exercise", via: "list-item", endLine: 1, from: { file: "main.tex", line: 11 } } })],
    });
    const labels = res.chapters[0].blocks.map((b) => b.label ?? b.kind);
    expect(labels.indexOf("Exercise 1.1")).toBe(labels.length - 2); // after "More prose.", before ex.tex's prose
    expect(blocks(res.chapters).find((b) => b.label === "Exercise 1.1")).toMatchObject({ text: "Find $x$.", source: { file: "ex/one.tex", line: 1 } });
  });

  it("equations, figures and headings are the walk's: never added, and a display's step is no warning", () => {
    const res = parseMem({ "main.tex": BOOK, "ex.tex": "" }, "main.tex", {
      trace: [
        traced({ counter: "equation", number: "1.1", line: 6, item: { name: "Equation", kind: "equation", via: "environment", env: "equation" } }),
        traced({ counter: "figure", number: "1.1", line: 11, item: { name: "Figure", kind: "figure", via: "environment", env: "figure" } }),
      ],
    });
    expect(blocks(res.chapters).filter((b) => b.number)).toEqual([]);
    expect(res.diagnostics.map((d) => d.message).join("\n")).not.toMatch(/TeX numbered 1\.1 \(\\begin\{equation\}/);
  });

  it("a box named only by an identifier that says solution (\\eocesol) is the exercise's, not an item: neither added nor warned", () => {
    const res = parseMem({ "main.tex": BOOK, "ex.tex": "" }, "main.tex", { trace: [traced({ counter: "eocesol", item: { name: "Eocesol", kind: "eocesol", macro: "eocesol" } })] });
    expect(blocks(res.chapters).filter((b) => b.number)).toEqual([]);
    expect(res.diagnostics.map((d) => d.message).join("\n")).not.toMatch(/TeX numbered/);
  });

  it("a macro that only steps a counter and sets a label prints nothing: not an item, not a warning", () => {
    const book = BOOK.replace("\\begin{document}", "\\newcommand{\\symlabel}[1]{\\refstepcounter{boxc}\\label{#1}}\n\\begin{document}").replace("Some prose.", "Some prose.\\symlabel{s:one}");
    const res = parseMem({ "main.tex": book, "ex.tex": "" }, "main.tex", { trace: [traced({ line: 7, item: { name: "Boxc", kind: "boxc", macro: "symlabel", endLine: 7 } })] });
    expect(blocks(res.chapters).filter((b) => b.number)).toEqual([]);
    expect(res.diagnostics.map((d) => d.message).join("\n")).not.toMatch(/TeX numbered/);
  });

  it("a box macro's text is its longest argument, a short one its title, never the argument it \\labels", () => {
    const text = "\\definition{Limit}{def:limit}{The limit of $f$\nat $c$.} after";
    const args = macroArgs(text, "\\definition".length, text.length, "\\refstepcounter{d}\\label{#2}\\textbf{Definition \\thed: #1} #3");
    expect(text.slice(args.body!.start, args.body!.end)).toBe("The limit of $f$\nat $c$.");
    expect(text.slice(args.title!.start, args.title!.end)).toBe("Limit");
  });
});
