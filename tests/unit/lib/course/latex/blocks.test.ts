/** Pass 4, blocks: headings, items, proofs, lists and paragraphs, each with where it begins and ends. */
import { describe, expect, it } from "vitest";
import { blocks, nodes, parseFixture, parseMem } from "./support";

describe("the tree of a book", () => {
  it("items, a proof closed by `\\end {proof}`, and a wrapped exercise with its title (fixture macro-chapters)", () => {
    const res = parseFixture("macro-chapters");
    const sec = nodes(res.chapters).find((n) => n.label === "Section 1.1")!;
    expect(sec.blocks.filter((b) => b.kind !== "paragraph").map((b) => `${b.kind} ${b.label ?? ""} @${b.source.line}-${b.source.endLine}`)).toEqual([
      "theorem Theorem 1.1 @21-21",
      "lemma Lemma 1.2 @22-22",
      "Key Idea Key Idea 1 @23-23",
      "exercise Exercise 1.1 @24-30",
      "exercise Exercise 1.2 @31-31",
      "exercise Exercise 1.3 @32-32",
      "proof  @33-35",
    ]);
    expect(sec.blocks.find((b) => b.label === "Exercise 1.3")).toMatchObject({ title: "Titled", text: "A wrapped exercise." });
    expect(sec.blocks.find((b) => b.kind === "proof")?.text).toBe("Trivial.");
  });

  it("an exercise list under 'Exercises' yields one exercise per \\item, numbered under the nearest numbered heading as TeX's trace names them; a box macro in a paragraph ends the paragraph", () => {
    const res = parseMem({
      "main.tex": [
        "\\documentclass{book}",
        "\\newcounter{defc}\\newcommand{\\defn}[1]{\\refstepcounter{defc}\\textbf{Definition \\thedefc.} #1}",
        "\\begin{document}",
        "\\chapter{C}",
        "Before.",
        "\\defn{A set is a collection.}",
        "After.",
        "\\section*{Exercises}",
        "\\begin{enumerate}",
        "\\item First.",
        "\\item Second.",
        "\\end{enumerate}",
        "\\end{document}",
      ].join("\n"),
    });
    expect(blocks(res.chapters).map((b) => `${b.kind}${b.label ? ` ${b.label}` : ""}: ${b.text}`)).toEqual([
      "paragraph: Before.",
      "definition Definition 1: A set is a collection.",
      "paragraph: After.",
      "exercise Exercise 1.1: First.",
      "exercise Exercise 1.2: Second.",
    ]);
  });

  it("a sectioning command takes one macro as its title, as TeX reads an undelimited argument (`\\section\\problemhead`)", () => {
    const res = parseMem({
      "main.tex": [
        "\\documentclass{book}",
        "\\newcommand{\\problemhead}{A few harder problems}",
        "\\newtheorem{thm}{Theorem}[section]",
        "\\begin{document}",
        "\\chapter{C}",
        "\\section{S}",
        "\\begin{thm}a\\end{thm}",
        "\\section\\problemhead",
        "Some.",
        "\\section{T}",
        "\\begin{thm}b\\end{thm}",
        "\\end{document}",
      ].join("\n"),
    });
    expect(nodes(res.chapters).map((n) => `${n.label}: ${n.title} @${n.source.line}`)).toEqual([
      "Chapter 1: C @5",
      "Section 1.1: S @6",
      "Section 1.2: A few harder problems @8",
      "Section 1.3: T @10",
    ]);
    expect(blocks(res.chapters).filter((b) => b.label).map((b) => `${b.label} @${b.source.line}`)).toEqual(["Theorem 1.1.1 @7", "Theorem 1.3.1 @11"]);
    expect(res.diagnostics).toEqual([]);
  });

  it("KOMA-Script's scrbook leaves the chapter out of a section's number in the front matter (`\\if@mainmatter\\thechapter.\\fi`)", () => {
    const book = (cls: string) =>
      parseMem({
        "main.tex": [
          `\\documentclass{${cls}}`,
          "\\begin{document}",
          "\\frontmatter",
          "\\chapter{Advice}",
          "\\section{Prerequisites}",
          "\\subsection{Sets}",
          "\\mainmatter",
          "\\chapter{Sets}",
          "\\section{Functions}",
          "\\end{document}",
        ].join("\n"),
      });
    const labels = (cls: string) => nodes(book(cls).chapters).map((n) => n.label);
    expect(labels("scrbook")).toEqual(["Advice", "Section 1", "Subsection 1.1", "Chapter 1", "Section 1.1"]);
    // book.cls keeps the chapter: "0.1" in the front matter.
    expect(labels("book")).toEqual(["Advice", "Section 0.1", "Subsection 0.1.1", "Chapter 1", "Section 1.1"]);
  });
});
