/**
 * Property-based fuzzing of every parser of outside input (issue 13, item 6): the course loaders (plain-text
 * export, Markdown, LaTeX, course.json, a whole course folder), the references students type, the citations in
 * an answer, and the request parsers of the API (the chat body as it streams in, the search and cite queries).
 * One definition serves both the vitest suite (`tests/unit/fuzz/parsers.test.ts`, a few hundred inputs each) and
 * `npm run bench:fuzz` (≥ 10,000 inputs in all). The properties, for every input:
 *  - no crash: a parser reports bad input as data (a diagnostic, null, a 4xx TutorError or ZodError); anything it
 *    throws otherwise is a failure, and so is loadCourse's "could not be parsed" (a parser crash it caught);
 *  - no hang: each input is timed against a bound (the bench also runs in a worker a watchdog can stop);
 *  - every rejection carries where: a course diagnostic names a file of the input and a line inside it; a
 *    request rejection is a 4xx with a message that shows no stack and no server path.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { ZodError } from "zod";
import { citeQuerySchema } from "../../../lib/cite/lookup";
import { extractRefs, normaliseRefText, parseRef } from "../../../lib/cite/refs";
import { formatLabel } from "../../../lib/course/labels";
import { parseLatex } from "../../../lib/course/latex";
import { loadCourse, parseCourseJson } from "../../../lib/course/load-course";
import { parseMarkdown } from "../../../lib/course/markdown";
import { parseTextExport } from "../../../lib/course/text-export";
import type { Diagnostic, ParsedFile, SectionNode } from "../../../lib/course/types";
import { TutorError } from "../../../lib/errors";
import { readJsonBody } from "../../../lib/http/body";
import { formatZod, searchParamsObject } from "../../../lib/http/respond";
import { resolveQuestionRefs } from "../../../lib/retrieve/question-refs";
import type { ItemRow } from "../../../lib/store/schema";
import { extractCitations } from "../../../lib/tutor/citations";
import { splitConversation } from "../../../lib/tutor/conversation";
import { chatRequestSchema, CHAT_LIMITS } from "../../../app/api/chat/schema";
import { searchQuerySchema } from "../../../app/api/search/schema";

/** A broken property: the message says which and why. */
export class PropertyViolation extends Error {}

function fail(message: string): never {
  throw new PropertyViolation(message);
}

export interface FuzzTarget<I = unknown> {
  name: string;
  /** What it parses, for the report. */
  what: string;
  arbitrary: fc.Arbitrary<I>;
  /** Runs the parser on one input; throws PropertyViolation (or whatever the parser threw) when a property fails. */
  check: (input: I) => void | Promise<void>;
  /** Share of the bench's inputs (the slow whole-folder loader gets fewer). */
  weight?: number;
}

// ---------------------------------------------------------------------------------------------- course files

const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;

/** A thrown value as one line. */
const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

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
    if (diagnostics.some((d) => d.severity !== "error")) fail("a course.json problem that is not an error");
    if (diagnostics.length && Object.keys(r).length) fail("settings used from a course.json with errors");
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

// ------------------------------------------------------------------------------------------ what people type

const KINDS = ["Exercise", "exercise", "Ex.", "ex", "opg", "Opgave", "Def.", "Thm", "theorem", "Lemma", "Prop.", "cor", "Section", "§", "§§", "sec", "Chapter", "ch", "Example", "eks", "Remark", "problem", "#", "q", "no.", "Key Idea", "Method"];
const NUMBERS = ["1", "1.41", "1.41(b)", "1.41b", "2.1.6", "A.2", "0", "99999999999999999999", "1.2.3.4.5.6", "1..2", ".5", "1.", "1.41–1.43", "1.41-1.45", "3(a)", "Ⅻ", "１．４１"];
const GLUE = [" ", "", ".", ", ", " and ", " to ", "–", "—", " in section ", " of ", " from §", "(", ")", "[", "]", "\u00a0", "\u200b", "\u202e", "\u00ad", "\n", " og ", " through "];

/** Free text built of kind words, numbers and glue, mixed with anything. */
const refText = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...KINDS), fc.constantFrom(...NUMBERS), fc.constantFrom(...GLUE), fc.string({ maxLength: 6 })), { maxLength: 40 }).map((p) => p.join("")) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: "binary" }) },
  // Long runs, where a backtracking pattern would show.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...KINDS, ...NUMBERS, ...GLUE, "1", " ", "(", "a"), fc.integer({ min: 100, max: 3000 })).map(([s, n]) => s.repeat(n).slice(0, 4000)) },
);

/** The demo course's labels (chapter 1 and 2 items, sections), as rows. */
const ITEMS: ItemRow[] = (() => {
  const rows: [string, string][] = [["chapter", "1"], ["chapter", "2"], ["section", "1.6"], ["section", "2.1"], ["subsection", "1.6.1"], ["theorem", "1.40"], ["exercise", "1.41"], ["definition", "1.42"], ["exercise", "2.1.6"], ["Key Idea", "4"], ["Method", "6.3"]];
  return rows.map(([kind, number], ord) => {
    const label = formatLabel(kind, number);
    return { id: `demo/${label}`, course: "demo", kind, number, label, title: "", text: label, chapter: "Chapter 1", chapter_title: "", section: "", section_title: "", path: "", parts: kind === "exercise" ? "a,b" : "", passage_id: "demo/p", file: "notes.txt", line: 1, end_line: 1, ord, hash: "" };
  });
})();
const LABELS = new Set(ITEMS.map((i) => i.label));

const refs: FuzzTarget<string> = {
  name: "refs",
  what: "a reference as typed (parseRef) and references in free text (extractRefs)",
  arbitrary: refText,
  check: (s) => {
    try {
      const one = parseRef(s);
      if (one && (typeof one.number !== "string" || !one.number)) fail(`parseRef gave an empty number for ${JSON.stringify(s)}`);
      const norm = normaliseRefText(s);
      for (const r of extractRefs(s)) {
        if (norm.slice(r.index, r.index + r.match.length) !== r.match) fail(`extractRefs offset ${r.index} does not hold its match "${r.match}"`);
        if (!r.kind) fail(`extractRefs found "${r.match}" without a kind`);
      }
    } catch (e) {
      if (e instanceof PropertyViolation) throw e;
      fail(`threw ${describe(e)}`);
    }
  },
};

const questionRefs: FuzzTarget<string> = {
  name: "question-refs",
  what: "the labels a question names, resolved against a course (resolveQuestionRefs)",
  arbitrary: refText,
  check: (q) => {
    let r;
    try {
      r = resolveQuestionRefs(q, ITEMS);
    } catch (e) {
      fail(`threw ${describe(e)}`);
    }
    for (const e of r.explicit) if (!LABELS.has(e.label)) fail(`"${e.label}" reported as found, but the course has no such label`);
    for (const a of r.absent) {
      if (LABELS.has(a.label)) fail(`"${a.label}" reported absent, but the course has it`);
      for (const n of a.nearest) if (!LABELS.has(n)) fail(`nearest label "${n}" is not the course's`);
    }
  },
};

const citations: FuzzTarget<string> = {
  name: "citations",
  what: "citations in an answer ([Exercise 1.41], ranges, lists) — extractCitations",
  arbitrary: fc.oneof(refText, fc.array(fc.oneof(refText, fc.constantFrom("[", "]", "[Exercise 1.41]", "[Section 1.6, Exercise 1.41]", "Exercises 1.41–1.43")), { maxLength: 8 }).map((p) => p.join(" "))),
  check: (answer) => {
    let cs;
    try {
      cs = extractCitations(answer);
    } catch (e) {
      fail(`threw ${describe(e)}`);
    }
    const len = normaliseRefText(answer).length;
    for (const c of cs) {
      if (!parseRef(c.label)?.kind) fail(`citation label "${c.label}" is not a label`);
      if (c.index < 0 || c.index > len) fail(`citation offset ${c.index} outside the answer (${len})`);
    }
  },
};

// ------------------------------------------------------------------------------------------- request parsers

/** What the API may answer a bad request: a 4xx TutorError, or a ZodError (→ 400), never anything else. */
function checkRejection(e: unknown) {
  let message: string;
  if (e instanceof ZodError) message = formatZod(e);
  else if (e instanceof TutorError && e.status >= 400 && e.status < 500) message = e.message;
  else fail(`rejected with ${describe(e)} (not a 4xx)`);
  if (!message.trim()) fail("a rejection with no message");
  if (/\n\s+at |\/work\/|\/home\/|node_modules/.test(message)) fail(`a rejection shows internals: ${message.slice(0, 200)}`);
}

const chatMessage = fc.record(
  {
    id: fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue()),
    role: fc.oneof(fc.constantFrom("user", "assistant", "system", "tool"), fc.jsonValue()),
    parts: fc.oneof(
      fc.array(
        fc.oneof(
          fc.record({ type: fc.constant("text"), text: fc.oneof(fc.string({ maxLength: 60 }), fc.constant(""), fc.constant("   "), fc.jsonValue()) }, { requiredKeys: ["type"] }),
          fc.record({ type: fc.oneof(fc.constantFrom("step-start", "source-document", "data-citations", "data-notice", "", "text"), fc.jsonValue()), data: fc.jsonValue() }, { requiredKeys: [] }),
        ),
        { maxLength: 5 },
      ),
      fc.jsonValue(),
    ),
    metadata: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

/** Chat bodies: well-shaped and not, JSON and not, valid UTF-8 and not, with and without the right content type. */
const chatBody = fc.record({
  contentType: fc.oneof({ weight: 6, arbitrary: fc.constant("application/json") }, { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/json; charset=utf-8", "APPLICATION/JSON", "application/jsonx", "", "multipart/form-data; boundary=x") }),
  body: fc.oneof(
    { weight: 4, arbitrary: fc.record({ messages: fc.oneof(fc.array(chatMessage, { maxLength: 4 }), fc.jsonValue()), course: fc.oneof(fc.string({ maxLength: 70 }), fc.jsonValue()), hint: fc.oneof(fc.boolean(), fc.jsonValue()), id: fc.jsonValue(), trigger: fc.constant("submit-message") }, { requiredKeys: ["messages"] }).map((o) => Buffer.from(JSON.stringify(o))) },
    { weight: 1, arbitrary: fc.json().map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.nat({ max: 3 }).map((n) => Buffer.from(JSON.stringify({ messages: [{ role: "user", parts: [{ type: "text", text: "x".repeat([10, CHAT_LIMITS.questionChars + 1, 300_000, 1_100_000][n]) }] }] }))) },
  ),
  /** Chunk sizes the body arrives in (a chunked upload). */
  chunk: fc.integer({ min: 1, max: 70_000 }),
});

const chatRequest: FuzzTarget<{ contentType: string; body: Buffer; chunk: number }> = {
  name: "chat-body",
  what: "POST /api/chat bodies: streamed JSON read under its byte limit, the zod schema, the conversation split",
  arbitrary: chatBody,
  check: async ({ contentType, body, chunk }) => {
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (offset >= body.length) return c.close();
        c.enqueue(new Uint8Array(body.subarray(offset, offset + chunk)));
        offset += chunk;
      },
    });
    const request = new Request("http://localhost/api/chat", { method: "POST", headers: { "content-type": contentType }, body: stream, duplex: "half" } as RequestInit);
    try {
      const parsed = chatRequestSchema.parse(await readJsonBody(request, CHAT_LIMITS.bodyBytes));
      const { question } = splitConversation(parsed.messages);
      if (!question.trim() || question.length > CHAT_LIMITS.questionChars + 100) fail(`accepted a question of ${question.length} characters`);
      if (body.length > CHAT_LIMITS.bodyBytes) fail(`accepted a body of ${body.length} bytes`);
    } catch (e) {
      if (e instanceof PropertyViolation) throw e;
      checkRejection(e);
      if (body.length > CHAT_LIMITS.bodyBytes && contentType === "application/json" && !(e instanceof TutorError && e.status === 413)) fail(`a ${body.length}-byte body got ${describe(e)}, not 413`);
    }
  },
};

/** Query strings: the known keys with any values, repeated keys, broken escapes. */
const queryString = fc.oneof(
  fc.array(fc.tuple(fc.constantFrom("q", "course", "k", "ref", "x", ""), fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("", " ", "0", "-1", "1e3", "101", "5", "NaN", "Infinity", "0x10", "1.5", "%", "%ZZ", "%E2%82", "imo-demo", "x".repeat(1200)))), { maxLength: 5 }).map((kv) => kv.map(([k, v]) => `${k}=${v}`).join("&")),
  fc.string({ maxLength: 100 }),
);

const apiQueries: FuzzTarget<string> = {
  name: "api-queries",
  what: "GET /api/search and /api/cite query strings (URLSearchParams → zod)",
  arbitrary: queryString,
  check: (qs) => {
    for (const schema of [searchQuerySchema, citeQuerySchema]) {
      try {
        schema.parse(searchParamsObject(new URLSearchParams(qs)));
      } catch (e) {
        checkRejection(e);
      }
    }
  },
};

export const FUZZ_TARGETS: FuzzTarget<any>[] = [textExport, markdown, latex, courseJson, courseFolder, refs, questionRefs, citations, chatRequest, apiQueries];

export interface FuzzReport {
  name: string;
  runs: number;
  ms: number;
  slowestMs: number;
  slowestInput?: string;
  /** The first failing input (shrunk) and why. */
  failure?: { input: string; error: string; seed: number; path?: string };
}

/** Shows an input briefly (the whole of it is in the seed and path). */
export function showInput(x: unknown): string {
  const s = Buffer.isBuffer(x) ? `<${x.length} bytes> ${JSON.stringify(x.subarray(0, 200).toString("utf8"))}` : JSON.stringify(x, (_k, v) => (v && v.type === "Buffer" && Array.isArray(v.data) ? `<${v.data.length} bytes>` : v));
  return (s ?? String(x)).length > 400 ? `${(s ?? String(x)).slice(0, 400)}…` : (s ?? String(x));
}

/**
 * Runs one target on `runs` inputs. An input slower than `boundMs` is a failure ("hang"). `onInput` sees each
 * input before it runs (the bench's watchdog reports it if the parser never returns).
 */
export async function fuzzTarget(target: FuzzTarget<any>, opts: { runs: number; seed?: number; boundMs: number; onInput?: (input: unknown) => void }): Promise<FuzzReport> {
  let slowestMs = 0;
  let slowestInput: unknown;
  // One untimed input first: a parser's first call loads and compiles what it needs (grammars, word lists),
  // which is start-up, not a hang.
  await Promise.resolve(target.check(fc.sample(target.arbitrary, { numRuns: 1, seed: 0 })[0])).catch(() => {});
  const started = performance.now();
  const details = await fc.check(
    fc.asyncProperty(target.arbitrary, async (input) => {
      opts.onInput?.(input);
      const t0 = performance.now();
      await target.check(input);
      const ms = performance.now() - t0;
      if (ms > slowestMs) {
        slowestMs = ms;
        slowestInput = input;
      }
      if (ms > opts.boundMs) fail(`took ${Math.round(ms)} ms, over the ${opts.boundMs} ms bound for one input`);
    }),
    { numRuns: opts.runs, seed: opts.seed, endOnFailure: false },
  );
  const report: FuzzReport = { name: target.name, runs: details.numRuns, ms: Math.round(performance.now() - started), slowestMs: Math.round(slowestMs), slowestInput: showInput(slowestInput) };
  if (details.failed) {
    const err = details.errorInstance;
    report.failure = { input: showInput(details.counterexample?.[0]), error: describe(err), seed: details.seed, path: details.counterexamplePath ?? undefined };
  }
  return report;
}
