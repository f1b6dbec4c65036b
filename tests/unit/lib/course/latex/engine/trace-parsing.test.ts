/**
 * The pure parts of the TeX engine: reading what TeX wrote (detokenised text, the trace lines, the log) and
 * naming a box by what it prints. The real-TeX behaviour is in tests/integration/latex-engine.test.ts; these
 * cover the odd inputs a real run produces rarely (a half-written last line, a runaway argument, ^^ notation).
 */
import { describe, expect, it } from "vitest";
import { parseTexLog } from "@/lib/course/latex/engine/log-errors";
import { nameBeforeNumber, nameFromIdentifier, printedName } from "@/lib/course/latex/engine/printed-name";
import { TRACE_FORMAT } from "@/lib/course/latex/engine/instrumentation";
import { kindOfName, printedText } from "@/lib/course/latex/engine/tex-text";
import { parseTrace } from "@/lib/course/latex/engine/trace-records";

describe("printedText", () => {
  it("reads detokenised TeX as the reader sees it", () => {
    expect(printedText("{(a)}")).toBe("(a)");
    expect(printedText("Exercise$^\\star $")).toBe("Exercise⋆");
    expect(printedText("\\protect \\textbf {Definition}~\\ref {x}")).toBe("Definition x");
    expect(printedText("Caf^^e9 \\label {sec:x}\\index {caf}")).toBe("Café");
    expect(printedText("\\texorpdfstring {$\\alpha $-limits}{alpha-limits}")).toBe("-limits");
    expect(printedText("ch\\_intro\\_to\\_data: 50\\% \\& more")).toBe("ch_intro_to_data: 50% & more");
  });

  it("kinds are lower-case words", () => {
    expect(kindOfName("Exercise⋆")).toBe("exercise");
    expect(kindOfName("Key Idea")).toBe("key idea");
  });
});

describe("printed names of boxes", () => {
  it("takes the capitalised words right before the number", () => {
    const body = String.raw`\par \refstepcounter {keyideacounter}\label {#2}\noindent \textbf {Key Idea \thekeyideacounter : #1}`;
    expect(nameBeforeNumber(body, "keyideacounter")).toBe("Key Idea");
    expect(nameBeforeNumber(String.raw`\begin {tcolorbox}[title={Worked example~\arabic {ex}}]`, "ex")).toBe("Worked example");
    expect(nameBeforeNumber(String.raw`\textbf {#1 \csname the#2\endcsname }`, "thm")).toBeNull();
  });

  it("follows the number into the helper that prints it", () => {
    const macros = new Map([["exampletitle", String.raw`\textbf {\color {oiB}\fontfamily {phv}\selectfont {\MakeUppercase {Example~#1}}}`]]);
    expect(printedName(String.raw`\addvspace {6mm}\refstepcounter {equation}\exampletitle {\theexample }#1`, "equation", macros)).toBe("Example");
  });

  it("falls back to the identifier", () => {
    expect(nameFromIdentifier("definitioncounter")).toBe("Definition");
    expect(nameFromIdentifier("keyIdeaCtr")).toBe("Key Idea");
  });
});

describe("parseTrace", () => {
  const resolve = (dir: string, name: string) => ({ file: dir ? `${dir}/${name}` : name, inCourse: !name.endsWith(".cls") });
  const T = "\t";
  const line = (...f: (string | number)[]) => f.join(T);

  it("reads records, lets free text keep tabs, and counts what it cannot read instead of throwing", () => {
    const text = [
      line("V", TRACE_FORMAT, "LaTeX2e", "2022-11-01"),
      line("H", "ch", "one.tex", 3, "section", 1, 2, "Title", "Title"),
      line("S", "ch", "one.tex", 4, "r", "theorem", 2, "1.2", "1.2", "theorem", ""),
      line("M", "", "style.sty", 9, "definition", 1, "\\textbf {Definition\\thedefinitioncounter }##1", "tail"),
      line("L", "ch", "one.tex", 4, "thm:x", "1.2"),
      line("I", "ch", "one.tex", 7, "{(a)}", "subex", 1, 1, "subexi"),
      line("M", "", "multicol.sty", 3, "multicols", 0, "\\PackageWarning {multicol}{Using '\\number \\col@number ' columns is not recommended.") + "\nI therefore use two columns instead}",
      "S\tch\tone.tex\t9\tr\ttheo", // TeX killed mid-line
      line("Q", "", "x.tex", 1),
    ].join("\n");
    const { records, unreadLines } = parseTrace(text, resolve);
    expect(unreadLines).toBe(2);
    expect(records[5]).toMatchObject({ type: "macro", name: "multicols", steps: false, bodyTex: expect.stringMatching(/recommended\.\nI therefore use two columns instead\}$/) });
    expect(records.map((r) => r.type)).toEqual(["heading", "step", "macro", "label", "item", "macro"]);
    expect(records[0]).toMatchObject({ type: "heading", line: 2, title: "Title", starred: false });
    expect(records[1]).toMatchObject({ seq: 1, file: "ch/one.tex", line: 4, via: "refstepcounter", counter: "theorem", value: 2, printed: "1.2", env: "theorem", macro: "" });
    expect(records[2]).toMatchObject({ name: "definition", steps: true, bodyTex: "\\textbf {Definition\\thedefinitioncounter }#1\ttail" });
    expect(records[4]).toMatchObject({ label: "(a)", depth: 1, auto: true, counter: "subexi" });
  });

  it("reads the end of the document with the pages TeX shipped out (none on a kernel that does not count them)", () => {
    const v = line("V", TRACE_FORMAT, "LaTeX2e", "2022-11-01");
    expect(parseTrace([v, line("Z", "", "main.tex", 40, 464)].join("\n"), resolve).records).toEqual([{ seq: 0, file: "main.tex", line: 40, inCourse: true, type: "finished", pages: 464 }]);
    expect(parseTrace([v, line("Z", "", "main.tex", 40, -1)].join("\n"), resolve).records[0]).not.toHaveProperty("pages");
    expect(parseTrace([v, line("Z", "", "main.tex", 40)].join("\n"), resolve).records[0]).not.toHaveProperty("pages");
  });

  it("reads nothing from a trace of another format", () => {
    const { records, unreadLines } = parseTrace([line("V", TRACE_FORMAT + 1, "LaTeX2e", "x"), line("D", "", "main.tex", 5)].join("\n"), resolve);
    expect(records).toEqual([]);
    expect(unreadLines).toBe(2);
  });
});

describe("parseTexLog", () => {
  const resolve = (name: string) => name.replace(/^\.\//, "");

  it("reads file:line errors with TeX's context, first first, and asks for a rerun when LaTeX does", () => {
    const log = [
      "(./main.tex",
      "./ch/one.tex:12: Undefined control sequence.",
      "l.12 Some text \\privatebox",
      "                           {x}",
      "The control sequence at the end of the top line",
      "./main.tex:3: LaTeX Error: File 'private.sty' not found.",
      "",
      "LaTeX Warning: Label(s) may have changed. Rerun to get cross-references right.",
    ].join("\n");
    const summary = parseTexLog(log, resolve);
    expect(summary).toMatchObject({ fatal: false, rerun: true });
    expect(summary.errors).toEqual([
      { file: "ch/one.tex", line: 12, message: "Undefined control sequence.", context: "Some text \\privatebox" },
      { file: "main.tex", line: 3, message: "LaTeX Error: File 'private.sty' not found." },
    ]);
  });

  it("keeps a runaway argument's start with the file-less error that follows it, and sees the fatal end", () => {
    const log = ["Runaway argument?", "{never closed \\par \\section {Two}", "! File ended while scanning use of \\textbf .", "<inserted text> ", "! Emergency stop.", "*** (job aborted, no legal \\end found)", "!  ==> Fatal error occurred, no output PDF file produced!"].join("\n");
    const summary = parseTexLog(log, resolve);
    expect(summary.fatal).toBe(true);
    expect(summary.errors.map((e) => [e.file, e.message, e.context])).toEqual([
      ["", "File ended while scanning use of \\textbf .", "{never closed \\par \\section {Two}"],
      ["", "Emergency stop.", undefined],
      ["", "job aborted, no legal \\end found", undefined],
    ]);
  });
});
