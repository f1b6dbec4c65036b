/** Fuzz targets: the course loaders (plain-text export, Markdown, LaTeX, course.json, a whole folder). */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { parseLatex } from "../../../lib/course/latex";
import { loadCourse, parseCourseJson } from "../../../lib/course/load-course";
import { parseMarkdown } from "../../../lib/course/markdown";
import { parseTextExport } from "../../../lib/course/text-export";
import type { Diagnostic, ParsedFile, SectionNode } from "../../../lib/course/types";
import { describeThrown as describe, fail, type FuzzTarget } from "./property";

const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;


/**
 * Every diagnostic names a file of the input and a line inside it; every block and heading lies inside its file.
 * `files`: the texts the parser was given, by relative path.
 */
function checkWhere(diagnostics: Diagnostic[], chapters: SectionNode[], files: Record<string, string>) {
  const where = (file: string, line: number, what: string) => {
    if (!(file in files)) fail(`${what} names file "${file}", not one of ${Object.keys(files).join(", ")}`);
    if (!Number.isInteger(line) || line < 1 || line > lineCount(files[file])) fail(`${what} at ${file}:${line}, outside its ${lineCount(files[file])} lines`);
  };
  for (const d of diagnostics) {
    if (typeof d.message !== "string" || !d.message.trim()) fail(`a diagnostic at ${d.file}:${d.line} has no message`);
    if (/could not be parsed \(/.test(d.message)) fail(`a parser crashed (caught by loadCourse): ${d.file}:${d.line} ${d.message}`);
    where(d.file, d.line, `diagnostic "${d.message.slice(0, 80)}"`);
  }
  const walk = (n: SectionNode) => {
    where(n.source.file, n.source.line, `heading "${n.label}"`);
    if (n.source.endLine < n.source.line) fail(`heading "${n.label}" ends (${n.source.endLine}) before it starts (${n.source.line})`);
    for (const b of n.blocks) {
      where(b.source.file, b.source.line, `${b.kind} block`);
      if (b.source.endLine < b.source.line || b.source.endLine > lineCount(files[b.source.file])) fail(`${b.kind} block ${b.source.file}:${b.source.line}–${b.source.endLine} outside the file`);
      if (typeof b.text !== "string") fail(`${b.kind} block at ${b.source.file}:${b.source.line} has no text`);
    }
    n.children.forEach(walk);
  };
  chapters.forEach(walk);
}

/** Runs a course parser on in-memory files and checks the properties (exported so a test can check the checks). */
export function runParser(parser: (input: { root: string; file: string; readText: (p: string) => string | null }) => ParsedFile, entry: string, files: Record<string, string>) {
  let r: ParsedFile;
  try {
    r = parser({ root: "/fuzz", file: entry, readText: (p) => (Object.hasOwn(files, p) ? files[p] : null) });
  } catch (e) {
    fail(`threw ${describe(e)}`);
  }
  checkWhere(r.diagnostics, r.chapters, files);
}

/** Lines mixing a format's markup with arbitrary text, joined by any line ending. */
function linesOf(markup: string[], maxLines = 60): fc.Arbitrary<string> {
  const line = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...markup) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }, { weight: 1, arbitrary: fc.string({ maxLength: 20, unit: "binary" }) });
  return fc.tuple(fc.array(line, { maxLength: maxLines }), fc.constantFrom("\n", "\r\n", "\r")).map(([ls, eol]) => ls.join(eol));
}

/** Pieces of a real file cut and spliced at random. */
function mutated(base: string): fc.Arbitrary<string> {
  const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 60 }), ins: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("{", "}", "\n", "$", "$$", "(", ")", "%", "\\", ":::", "/Exercise", "\\end{exercise}", "\\item", "\\fi", "#")) });
  const lines = base.split("\n");
  return fc.tuple(fc.nat({ max: lines.length - 1 }), fc.integer({ min: 1, max: 150 }), fc.array(edit, { maxLength: 10 })).map(([from, len, edits]) => {
    let s = lines.slice(from, from + len).join("\n");
    for (const e of edits) {
      const at = e.at % (s.length + 1);
      s = s.slice(0, at) + e.ins + s.slice(at + e.del);
    }
    return s;
  });
}

const TEXT_MARKUP = [
  "Chapter 1: Numbers", "Chapter 2: B", "Section 1.1: A", "Section 1.2: B", "Subsection 1.1.1: C", "Section 2.1: x", "Exercise 1.1: Prove it.", "Exercise 1.41 (Sets): x",
  "/Exercise", "Theorem 1.2 (T): y", "/Theorem", "Definition 1.3: z", "/Definition", "Example 1.4:", "/Example", "Remark:", "(a) part", "(b)", "\\begin{proof}", "\\end{proof}",
  "\\begin{hint}", "\\end{hint}", '<div class="sage">', "</div>", "```", "```python", "$$", "$x$", "", "   ", "Exercise 99999999999999999999.1:", "Chapter : ", "Section 1.1.1.1.1: deep",
];

const MD_MARKUP = [
  "# Chapter 1: A", "## Section 1.1: B", "### Subsection 1.1.1: C", "# A", "## B", "#", ":::exercise", ":::exercise[Title]{#ex:a}", ":::definition[Least squares]{#def:ls}", ":::theorem",
  ":::", "::::", ":::::exercise", "**Exercise 1.2.** x", "**Theorem.**", "$$", "$$x$$", "$x", "- (a) y", "(b) z", "```", "~~~", "> quote", "| a | b |", "|---|---|", "[x]: http://e",
  "<div>", "</div>", "\\begin{align}", "", "  ", "::exercise{#x}", ":::exercise{number=1.5}", "* item", "1. item", "---",
];

const LATEX_TOKENS = [
  "\\begin{exercise}", "\\end{exercise}", "\\begin{theorem}[T]", "\\end{theorem}", "\\begin{enumerate}", "\\item", "\\item[(a)]", "\\end{enumerate}", "{", "}", "$", "$$",
  "\\[", "\\]", "%", "\\%", "\n", "\n\n", " x ", "\\chapter{C}", "\\section*{S}", "\\section{S}", "\\subsection{T}", "\\label{a}", "\\ref{a}", "\\eqref{b}", "\\cref{a}",
  "\\input{main}", "\\input{other}", "\\include{other}", "\\iffalse", "\\fi", "\\else", "\\appendix", "\\setcounter{chapter}{", "\\setcounter{section}{7}",
  "\\newtheorem{x}{Y}[z]", "\\newtheorem{exercise}{Exercise}[chapter]", "\\declaretheorem[name=Key Idea]{keyidea}", "\\begin{keyidea}", "\\end{keyidea}",
  "\\begin{lstlisting}", "\\end{lstlisting}", "\\begin{document}", "\\end{document}", "\\verb|", "\\begin{align}", "\\\\", "\\end{align}", "\\tag{3}",
  "\\newenvironment{exercises}{\\begin{enumerate}}{", "\\begin{exercises}", "\\end{exercises}", "\\newif\\ifsol", "\\ifsol", "\\soltrue", "\\begin{comment}", "\\end{comment}",
  "\\newcommand{\\R}{\\mathbb{R}}", "\\newcommand{\\x}[1]{#1#1}", "\\x{\\x{\\x{a}}}", "\\def\\y#1{#1}", "\\R", "\\includegraphics{fig}", "\\caption{c}", "\\begin{figure}",
  "\\end{figure}", "\\IfFileExists{other.tex}{A}{B}", "\\newlist{exlist}{enumerate}{1}", "\\begin{exlist}", "\\end{exlist}", "#", "&", "~", "\\", "\\\\[", "\\csname", "\\endcsname",
];

const LATEX_PREAMBLE = "\\documentclass{book}\n\\newtheorem{theorem}{Theorem}[chapter]\n\\newtheorem{exercise}[theorem]{Exercise}\n";

const DEMO = path.resolve(import.meta.dirname, "../../../content/demo-course");
/** The demo course's real files, the seeds of the mutations. */
const demoFile = (rel: string) => readFileSync(path.join(DEMO, rel), "utf8");

const textExport: FuzzTarget<string> = {
  name: "text-export",
  what: "plain-text export (Chapter/Section/Exercise … /Exercise)",
  arbitrary: fc.oneof(linesOf(TEXT_MARKUP), mutated(demoFile("notes/01-numbers-logic-sets.txt")), fc.string({ maxLength: 300, unit: "binary" })),
  check: (s) => runParser(parseTextExport, "notes.txt", { "notes.txt": s }),
};

const markdown: FuzzTarget<string> = {
  name: "markdown",
  what: "Markdown notes (remark + math + directives)",
  arbitrary: fc.oneof(linesOf(MD_MARKUP), mutated(demoFile("md/05-optimisation-in-practice.md")), fc.string({ maxLength: 300, unit: "binary" })),
  check: (s) => runParser(parseMarkdown, "notes.md", { "notes.md": s }),
};

const latex: FuzzTarget<{ main: string; other: string }> = {
  name: "latex",
  what: "LaTeX main file + an \\input file (all five passes, no TeX run)",
  arbitrary: fc.oneof(
    fc.record({ main: fc.array(fc.constantFrom(...LATEX_TOKENS), { maxLength: 80 }).map((t) => LATEX_PREAMBLE + t.join("")), other: fc.array(fc.constantFrom(...LATEX_TOKENS), { maxLength: 30 }).map((t) => t.join("")) }),
    fc.record({ main: fc.constant(`${LATEX_PREAMBLE}\\begin{document}\n\\input{other}\n\\end{document}\n`), other: mutated(demoFile("tex/chapters/convexity.tex")) }),
    fc.record({ main: fc.string({ maxLength: 300, unit: "binary" }), other: fc.string({ maxLength: 100 }) }),
  ),
  check: ({ main, other }) => runParser(parseLatex, "main.tex", { "main.tex": main, "other.tex": other }),
  weight: 0.6,
};

/** course.json: JSON of every shape, the known keys with values of every type, and mutated real ones. */
const courseJsonText = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc
    .record(
      {
        id: fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom("imo-demo", "a", "-x", "A.b_c"), fc.jsonValue()),
        title: fc.oneof(fc.string({ maxLength: 400 }), fc.jsonValue()),
        language: fc.oneof(fc.string({ maxLength: 30 }), fc.jsonValue()),
        guidance: fc.oneof(fc.string({ maxLength: 100 }), fc.jsonValue()),
        files: fc.oneof(fc.array(fc.oneof(fc.constantFrom("notes.txt", "../x.txt", "/etc/passwd", "", "a/../../b.md", "notes.md"), fc.string({ maxLength: 20 })), { maxLength: 4 }), fc.jsonValue()),
        main: fc.oneof(fc.constantFrom("main.tex", "../main.tex", ""), fc.jsonValue()),
        // The solutions policy: labels and near-misses as keys, policies, rules with dates, and any JSON.
        solutions: fc.oneof(
          fc.dictionary(
            fc.oneof(fc.constantFrom("default", "Exercise 1.41", "Ex 1.41", "Section 2.1", "Chapter 3", "Theorem 1.3", "defualt", "Exrcise 1.4", ""), fc.string({ maxLength: 15 })),
            fc.oneof(
              fc.constantFrom("open", "hints-only", "hidden", "hint-only", ""),
              fc.record({ policy: fc.oneof(fc.constantFrom("open", "hints-only", "hidden"), fc.jsonValue()), release: fc.oneof(fc.constantFrom("2026-12-12", "2026-02-30", "12 Dec"), fc.jsonValue()) }, { requiredKeys: [] }),
              fc.jsonValue(),
            ),
            { maxKeys: 5 },
          ),
          fc.jsonValue(),
        ),
        extra: fc.jsonValue(),
      },
      { requiredKeys: [] },
    )
    .chain((o) => fc.constantFrom(JSON.stringify(o), JSON.stringify(o, null, 2), JSON.stringify(o, null, "\t"))),
  mutated(demoFile("course.json")),
);

const courseJson: FuzzTarget<string> = {
  name: "course.json",
  what: "course.json settings (zod, with the line of each bad key)",
  arbitrary: courseJsonText,
  check: (raw) => {
    const diagnostics: Diagnostic[] = [];
    let r;
    try {
      r = parseCourseJson(raw, diagnostics);
    } catch (e) {
      fail(`threw ${describe(e)}`);
    }
    checkWhere(diagnostics, [], { "course.json": raw.replace(/^\uFEFF/, "") });
    // The one warning course.json has: a release date on an "open" solutions rule (it does nothing).
    if (diagnostics.some((d) => d.severity !== "error" && !/^solutions: .*a release date does nothing/.test(d.message))) fail("a course.json problem that is not an error");
    if (diagnostics.some((d) => d.severity === "error") && Object.keys(r).length) fail("settings used from a course.json with errors");
  },
};

/** A whole course folder on disk: course.json plus notes of each format, through loadCourse. */
const courseFolder: FuzzTarget<{ json: string | null; files: [string, string][] }> = {
  name: "course-folder",
  what: "a course folder through loadCourse (course.json, .txt, .md, .tex, bytes that are not UTF-8)",
  arbitrary: fc.record({
    json: fc.option(courseJsonText, { nil: null }),
    files: fc.array(
      fc.oneof(
        fc.tuple(fc.constantFrom("notes.txt", "a/b.txt", "README.txt"), linesOf(TEXT_MARKUP, 30)),
        fc.tuple(fc.constantFrom("notes.md", "x.markdown"), linesOf(MD_MARKUP, 30)),
        fc.tuple(fc.constantFrom("main.tex", "other.tex", "c/main.tex"), fc.array(fc.constantFrom(...LATEX_TOKENS), { maxLength: 40 }).map((t) => LATEX_PREAMBLE + t.join(""))),
        fc.tuple(fc.constantFrom("bin.txt", "latin1.md"), fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b).toString("latin1"))),
      ),
      { maxLength: 4 },
    ),
  }),
  check: ({ json, files }) => {
    const dir = mkdtempSync(path.join(tmpdir(), "tutor-fuzz-"));
    try {
      const texts: Record<string, string> = {};
      if (json !== null) {
        writeFileSync(path.join(dir, "course.json"), json);
        texts["course.json"] = json.replace(/^\uFEFF/, "");
      }
      for (const [rel, text] of files) {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        // latin1-named files are written as raw bytes: not UTF-8, on purpose.
        const bytes = rel.startsWith("latin1") || rel.startsWith("bin") ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8");
        writeFileSync(path.join(dir, rel), bytes);
        texts[rel] = bytes.toString("utf8");
      }
      let doc;
      try {
        doc = loadCourse({ path: dir });
      } catch (e) {
        fail(`threw ${describe(e)}`);
      }
      // "." is the folder itself (an empty course); its line is 1.
      checkWhere(doc.diagnostics, doc.chapters, { ...texts, ".": "" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  weight: 0.3,
};

export const COURSE_TARGETS = [textExport, markdown, latex, courseJson, courseFolder];
