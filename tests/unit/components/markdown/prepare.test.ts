import { describe, expect, it } from "vitest";
import { prepareMarkdown } from "@/components/markdown/prepare";

describe("prepareMarkdown", () => {
  it("keeps '<' in prose as text, so 'a<b and c>0' is not read as an HTML tag and dropped", () => {
    expect(prepareMarkdown("Show that if a<b and c>0 then ac<bc").markdown).toBe("Show that if a&lt;b and c>0 then ac&lt;bc");
    expect(prepareMarkdown("<script>alert(1)</script>").markdown).toBe("&lt;script>alert(1)&lt;/script>");
    // Inside math and code nothing changes: KaTeX and code spans show "<" themselves.
    expect(prepareMarkdown("math $a<b$ and `code <b>`").markdown).toBe("math $a<b$ and `code <b>`");
    // A block quote is still Markdown.
    expect(prepareMarkdown("> quoted").markdown).toBe("> quoted");
  });

  it("makes chips of every citation form, shown in the course's form", () => {
    const md = (t: string) => prepareMarkdown(t).markdown;
    // A range or a list of one kind is one chip, standing for every label it names.
    expect(md("see [Sections 1.5 and 1.6]")).toBe("see [Sections 1.5, 1.6](#cite:Section%201.5,Section%201.6)");
    expect(md("[Exercises 1.41–1.43]")).toBe("[Exercises 1.41–1.43](#cite:Exercise%201.41,~Exercise%201.42,Exercise%201.43)");
    expect(md("[Exercise 1.41(a)–(c)]")).toBe("[Exercise 1.41(a)–(c)](#cite:Exercise%201.41%28a%29)");
    // References of two kinds in one pair of brackets are two chips.
    expect(md("[Section 1.6, Exercise 1.41]")).toBe("[Section 1.6](#cite:Section%201.6), [Exercise 1.41](#cite:Exercise%201.41)");
    // "[Example 1.24]: in (a) …" inside a line is a citation; only a reference definition at a line's start is not.
    expect(md("with [Example 1.24]: in (a)")).toBe("with [Example 1.24](#cite:Example%201.24): in (a)");
    expect(md("[Example 1.24]: https://example.org")).toBe("[Example 1.24]: https://example.org");
    // The notes' "[Theorem 1.40](5)": item (5) of the theorem stays beside the chip.
    expect(md("use [Theorem 1.40](5) here")).toBe("use [Theorem 1.40](#cite:Theorem%201.40)(5) here");
    expect(md("[Øvelse 1.41]")).toBe("[Exercise 1.41](#cite:Exercise%201.41)");
    expect(md("[Ex. 1.41(b)]")).toBe("[Exercise 1.41(b)](#cite:Exercise%201.41%28b%29)");
    // Not citations: brackets of other kinds stay as written.
    expect(md("[1.5–2] and [a–b] and [0, 1]")).toBe("[1.5–2] and [a–b] and [0, 1]");
  });

  it("shows a formula delimiter that is never closed as written, and renders bare display environments", () => {
    expect(prepareMarkdown("unclosed \\(x^2 here").markdown).toBe("unclosed \\\\(x^2 here");
    const align = prepareMarkdown("so\n\\begin{align} a &= b \\\\ c &= d \\end{align}\ndone").markdown;
    expect(align).toBe("so\n$\\tutordisplay \\begin{align} a &= b \\\\ c &= d \\end{align}$\ndone");
    // While streaming, an environment not yet closed is held back, not shown as raw TeX.
    expect(prepareMarkdown("so \\begin{align} a &= b", { streaming: true })).toEqual({ markdown: "so ", pending: true });
  });
});

describe("quoted passages (the no-LLM answer)", () => {
  it("keeps display math whole inside a block quote: no '>' inside the formula, no code blocks from indentation", async () => {
    const { buildNoLlmAnswer } = await import("@/lib/tutor/no-llm");
    const { latexToPrintedText } = await import("@/lib/course/latex-printed");
    const text = latexToPrintedText(
      "Newton moves:\n\\begin{align}\n  a &= b \\tag{4.4.1}\\\\\n  c &= d\n\\end{align}\nThen\n\\[\n  x = 1\n\\]\n\\begin{enumerate}\\item one\\begin{enumerate}\\item two\\begin{enumerate}\\item three\\end{enumerate}\\end{enumerate}\\end{enumerate}",
    );
    const answer = buildNoLlmAnswer({
      outOfScope: false,
      results: [
        {
          id: "c/Section 4.4#1", label: "Section 4.4", title: "Newton", kind: "section", section: "Section 4.4", headingPath: "Chapter 4 › Section 4.4",
          refs: [], score: 1, retrievers: ["fulltext"], source: { file: "x.tex", line: 1, endLine: 9 }, text,
        },
      ],
    });
    const md = prepareMarkdown(answer).markdown;
    expect(md).toContain("> $\\tutordisplay \\begin{align} a &= b \\tag{4.4.1}\\\\ c &= d \\end{align}$");
    expect(md).toContain("> $\\tutordisplay x = 1$");
    // Nested items are quoted without their indentation (four spaces would make a code block).
    expect(md).toContain(">\n> 1. one\n>\n> (a) two\n>\n> i. three");
  });
});
