/** Pass 4, lists: where a list's `\item`s may sit (a table's cells) and where they are hidden from the walk. */
import { describe, expect, it } from "vitest";
import { blocks, parseMem } from "./support";

const book = (body: string[], section = "Exercises") =>
  parseMem({
    "main.tex": ["\\documentclass{book}", "\\usepackage{longtable}", "\\begin{document}", "\\chapter{Sets}", `\\section{${section}}`, ...body, "\\end{document}"].join("\n"),
  });
const shown = (res: ReturnType<typeof book>) => blocks(res.chapters).map((b) => `${b.kind}${b.label ? ` ${b.label}` : ""} @${b.source.line}: ${b.text}`);
const warnings = (res: ReturnType<typeof book>) => res.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`);

describe("a list's items", () => {
  it("an exercise list laid out as a question & answer table (enumerate › longtable › \\item): one exercise per \\item, question and answer kept, cells and rows as breaks", () => {
    const table = book([
      "\\begin{small}", // 6
      "\\begin{enumerate}", // 7
      "\\begin{longtable}{p{4cm} || p{6cm}}", // 8
      "\\hline", // 9
      "\\item Is $\\{1,2\\}$ the same set as $\\{2,1\\}$?", // 10
      "&", // 11
      "Yes indeed.", // 12
      "\\\\ \\hline", // 13
      "\\item Is $(1,2)$ the same as $(2,1)$? & No. Order matters. \\\\", // 14
      "\\hline", // 15
      "\\end{longtable}", // 16
      "\\end{enumerate}", // 17
      "\\end{small}", // 18
    ]);
    expect(shown(table)).toEqual([
      "exercise Exercise 1.1.1 @10: Is $\\{1,2\\}$ the same set as $\\{2,1\\}$?\n\nYes indeed.",
      "exercise Exercise 1.1.2 @14: Is $(1,2)$ the same as $(2,1)$?\n\nNo. Order matters.",
    ]);
    expect(warnings(table)).toEqual([]);
    // the same list without the table
    const plain = book(["\\begin{enumerate}", "\\item Is $\\{1,2\\}$ the same set as $\\{2,1\\}$? Yes indeed.", "\\item Is $(1,2)$ the same as $(2,1)$?", "\\end{enumerate}"]);
    expect(shown(plain).map((s) => s.split(":")[0])).toEqual(["exercise Exercise 1.1.1 @7", "exercise Exercise 1.1.2 @8"]);
  });

  it("a plain list in a tabular: its items are the list's, printed with their labels", () => {
    const res = book(["\\begin{enumerate}\\begin{tabular}{ll}", "\\item One & 1 \\\\", "\\item Two & 2", "\\end{tabular}\\end{enumerate}"], "Sizes");
    expect(warnings(res)).toEqual([]);
    expect(shown(res)).toEqual(["list @6: 1. One 1 2. Two 2"]);
  });

  it("\\items in a {…} group directly in the list (`{\\bfseries \\item … \\item …}`) are its items: TeX steps the counter in the group all the same", () => {
    const res = book(["\\begin{enumerate}", "{\\bfseries", "\\item One.", "\\item Two.}", "\\item Three.", "\\end{enumerate}"], "Sizes");
    expect(warnings(res)).toEqual([]);
    expect(shown(res)).toEqual(["list @6: 1. One.\n\n2. Two.\n\n3. Three."]);
  });

  it("\\items a construct hides from the list (a box) are a warning at their line, never a silent loss", () => {
    const res = book(["\\begin{enumerate}", "\\begin{center}", "\\item Hidden one.", "\\item Hidden two.", "\\end{center}", "\\item Seen.", "\\end{enumerate}"]);
    expect(warnings(res)).toEqual(["main.tex:8: \\item inside \\begin{center} within a enumerate list is not read as an item of the list (its text may be lost)"]);
    // a list of its own inside the list, a bibliography, are not hidden items
    const nested = book(["\\begin{enumerate}", "\\item Outer.", "\\begin{center}\\begin{itemize}\\item inner\\end{itemize}\\end{center}", "\\end{enumerate}"]);
    expect(warnings(nested)).toEqual([]);
  });
});
