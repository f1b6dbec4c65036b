/**
 * The course-level loud warnings of the LaTeX parse (capitals first: the ingest prints them last and says the
 * notes were not read as printed): items that may be missing because a box could not be followed.
 */
import { describe, expect, it } from "vitest";
import { parseMem } from "./support";

const book = (uses: number) =>
  [
    "\\documentclass{book}",
    "\\newtheorem{theorem}{Theorem}",
    "\\newcounter{boxc}",
    "\\newcommand{\\plainbox}[1]{\\par\\refstepcounter{boxc}\\fbox{\\theboxc: #1}\\par}",
    "\\begin{document}",
    "\\chapter{One}",
    "\\begin{theorem}A.\\end{theorem}",
    ...Array.from({ length: uses }, (_, k) => `\\plainbox{Box ${k}.}`),
    "\\end{document}",
  ].join("\n");

describe("ITEMS MAY BE MISSING", () => {
  it("is said once for the course when the boxes the parser could not follow outnumber a tenth of the items found", () => {
    const loud = parseMem({ "main.tex": book(6) }).diagnostics.filter((d) => /^[A-Z][A-Z ]{6,}:/.test(d.message));
    expect(loud).toEqual([
      {
        severity: "warning",
        file: "main.tex",
        line: 1,
        message: "ITEMS MAY BE MISSING: 1 numbered items found, but the parser could not follow \\plainbox (6 uses) — each is a warning at its definition; install TeX (pdflatex) for exact numbers",
      },
    ]);
    // and the box itself once, at its definition, with its cost
    expect(parseMem({ "main.tex": book(6) }).diagnostics.filter((d) => d.message.startsWith("\\plainbox"))).toEqual([
      expect.objectContaining({ file: "main.tex", line: 4, message: "\\plainbox (main.tex:4) steps counter boxc: 6 numbered items may be missing — install TeX for exact numbers" }),
    ]);
  });

  it("is not said for a stray box or two beside the items found", () => {
    const messages = parseMem({ "main.tex": book(2) }).diagnostics.map((d) => d.message);
    expect(messages.some((m) => m.startsWith("ITEMS MAY BE MISSING"))).toBe(false);
  });

  it("an environment that steps a counter but prints no name the parser reads is reported once, with its cost", () => {
    const res = parseMem({
      "main.tex": [
        "\\documentclass{book}",
        "\\newcounter{panelc}",
        "\\newenvironment{panel}{\\par\\refstepcounter{panelc}\\fbox{\\thepanelc}}{\\par}",
        "\\begin{document}",
        "\\chapter{One}",
        "\\begin{panel}A.\\end{panel}",
        "\\begin{panel}B.\\end{panel}",
        "\\end{document}",
      ].join("\n"),
    });
    expect(res.diagnostics.filter((d) => d.message.includes("{panel}")).map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([
      "main.tex:3: \\begin{panel} (main.tex:3) steps counter panelc but prints no name the parser can read: 2 numbered items may be missing — install TeX for exact numbers",
    ]);
  });
});

describe("NO NUMBERED ITEMS", () => {
  const chapters = (preamble: string, body: string) =>
    ["\\documentclass{book}", preamble, "\\begin{document}", ...[1, 2, 3].map((k) => `\\chapter{C${k}}\n\\section{S${k}}\n${body}`), "\\end{document}"].join("\n");
  const about = (src: string) => parseMem({ "main.tex": src }).diagnostics.filter((d) => /numbered headings/.test(d.message)).map((d) => d.message);

  it("is loud when something that numbers items could not be followed", () => {
    const src = chapters("\\newcounter{boxc}\\newcommand{\\plainbox}[1]{\\par\\refstepcounter{boxc}\\fbox{\\theboxc: #1}\\par}", "\\plainbox{A box.}");
    expect(about(src)).toEqual([expect.stringMatching(/^NO NUMBERED ITEMS: 6 numbered headings were read but not one .* were not understood/)]);
  });

  it("says what is true of notes that number only their headings: they declare nothing else, and nothing is lost", () => {
    const messages = about(chapters("", "Plain prose with a figure.\n\\begin{figure}\\caption{A plot}\\end{figure}"));
    expect(messages).toEqual(["6 numbered headings and no numbered definition, theorem, example or exercise: the notes declare none (no \\newtheorem, no environment or command that steps a counter), so students cite their headings, figures, tables and equations"]);
  });
});
