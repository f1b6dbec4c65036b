import { readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { closest, distance } from "fastest-levenshtein";
import { findNodeAtLocation, getNodeValue, type ParseError, type ParseErrorCode, parseTree, printParseErrorCode } from "jsonc-parser";
import { z } from "zod";
import { findLatexMains, parseLatexDetailed, type TracedNumber } from "./latex";
import { findTexEngine, type TexEngine } from "./latex/engine";
import { engineNumbers } from "./latex/engine-numbers";
import { isSweaveFile, SWEAVE_FILE_RE } from "./latex/sweave";
import { parseMarkdown } from "./markdown";
import { isSlides, whyNotNotes } from "./not-notes";
import { parsePdf } from "./pdf";
import { attachPdfPages } from "./pdf/source-pages";
import { checkNumbering } from "./numbering";
import { parseTextExport } from "./text-export";
import type { CourseDoc, Diagnostic, ParseInput, ParsedFile, SectionNode, SkippedFile } from "./types";
import { TutorError } from "../errors";
import { insightsConfig, insightsJsonSchema } from "../insights/config";
import { checkSolutionsJson, resolveSolutions, type SolutionsConfig } from "../policy/solutions";

/** `course.json` in the course folder. Every field is optional. */
/** A course id: what course.json's `id` and `--course` accept. */
export const courseIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, "letters, digits, '.', '_' or '-'").max(64);

export const courseJsonSchema = z
  .object({
    id: courseIdSchema.optional(),
    title: z.string().min(1).max(300).optional(),
    language: z.string().min(2).max(20).optional(),
    guidance: z.string().max(20_000).optional(),
    /** Note files in order, relative to the folder. When given, nothing else is parsed. */
    files: z.array(z.string().min(1)).min(1).optional(),
    /** The LaTeX main file, when it is not obvious (several files with \documentclass). */
    main: z.string().min(1).optional(),
    /** Opt-in record of answered questions for the instructor (lib/insights/config.ts); absent = off. */
    insights: insightsJsonSchema.optional(),
    /** The exercise solutions policy: checked by lib/policy/solutions.ts (`checkSolutionsJson`), which knows its positions. */
    solutions: z.unknown().optional(),
  })
  .strict();
export type CourseJson = z.infer<typeof courseJsonSchema>;

const NOTE_EXTENSIONS = new Set([".txt", ".tex", ".md", ".markdown", ".pdf"]);
/**
 * Files that sit beside notes but are not notes, in any naming: README.md, LICENSE, LICENSE-CC-by-nc-sa.md,
 * licence_en.txt, CHANGELOG.md, CODE_OF_CONDUCT.md.
 */
export const NOT_NOTES_RE = /^(readme|licen[cs]e|copying|copyright|change[-_ ]?log|changes|contributing|contributors|authors|notice|todo|code[-_ ]of[-_ ]conduct)([-_. ].*)?$/i;
/** Folders that never hold notes: VCS, dependencies, build output. */
const SKIP_DIRS = new Set(["node_modules", ".git", ".svn", ".hg", "build", "dist", "out", "_build", ".next", "__pycache__"]);
const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** A PDF of a whole book with figures runs to tens of MB. */
const MAX_PDF_BYTES = 200 * 1024 * 1024;

export interface LoadCourseOptions {
  /** A course folder, or a single notes file. */
  path: string;
  /** Overrides course.json's id (and the folder-name default). */
  courseId?: string;
  /** Printed numbers a TeX run traced, per LaTeX main file (see `loadCourseWithTex`). */
  latexTraces?: Record<string, TracedNumber[]>;
  /** The page of each `\label` in that run, per LaTeX main file (what `\pageref` prints). */
  latexLabelPages?: Record<string, Map<string, string>>;
  /** PDFs read ahead (pdf.js is asynchronous; `loadCourseWithTex` reads them), by file relative to the root. */
  pdfs?: Record<string, ParsedFile>;
}

/**
 * Reads a course folder (or one file) into a `CourseDoc`: finds the note files, parses each with the
 * parser for its format, merges chapters in number order and checks numbering. Bad input never throws:
 * it becomes a diagnostic with file:line. Throws `TutorError("course-not-found")` only when the path
 * itself does not exist.
 */
export function loadCourse(options: LoadCourseOptions): CourseDoc {
  return loadPlanned(planCourse(options), options);
}

/** What `loadCourse` finds before it parses anything: the folder, course.json, the note files and the LaTeX mains. */
interface CoursePlan {
  target: string;
  isDirectory: boolean;
  root: string;
  diagnostics: Diagnostic[];
  courseJson: ReadCourseJson;
  reader: (rel: string) => string | null;
  candidates: string[];
  /** The files were named (a single file, or course.json `files`), not found in the folder. */
  explicit: boolean;
  mains: string[];
  notBooks: Map<string, string>;
  /** Files of the folder left out before parsing, and why. */
  skipped: SkippedFile[];
}

function planCourse(options: LoadCourseOptions): CoursePlan {
  const target = path.resolve(options.path);
  let stat;
  try {
    stat = statSync(target);
  } catch {
    throw new TutorError("course-not-found", `No such file or folder: ${options.path}`);
  }
  const root = stat.isDirectory() ? target : path.dirname(target);
  const diagnostics: Diagnostic[] = [];
  const skipped: SkippedFile[] = [];
  const error = (file: string, line: number, message: string) => diagnostics.push({ severity: "error", file, line, message });

  const courseJson = readCourseJson(root, diagnostics);
  if (options.courseId !== undefined) {
    const checked = courseIdSchema.safeParse(options.courseId);
    if (!checked.success) throw new TutorError("bad-request", `--course "${options.courseId}" is not a course id (letters, digits, '.', '_' or '-', at most 64 characters)`);
  }
  const reader = makeReader(root, diagnostics);

  let candidates: string[];
  let explicit = false;
  if (!stat.isDirectory()) {
    candidates = [toPosix(path.relative(root, target))];
    explicit = true;
  } else if (courseJson.files) {
    candidates = courseJson.files.map((f) => toPosix(path.normalize(f)));
    explicit = true;
    for (const f of candidates) {
      const line = courseJson.lineOf?.(f) ?? 1;
      if (isOutside(f)) error("course.json", line, `"${f}" is outside the course folder; skipped`);
      else if (!existsInside(root, f)) error("course.json", line, `"${f}" is listed in files but does not exist in the course folder`);
    }
    candidates = candidates.filter((f) => !isOutside(f) && existsInside(root, f));
  } else {
    candidates = listNoteFiles(root, skipped);
    // Files with a notes extension that are not notes, by what they contain (transcripts, exams, slides).
    const texts = new Map(candidates.filter((f) => extOf(f) !== ".pdf").map((f) => [f, reader(f)]));
    const books = [...texts].filter(([f, t]) => extOf(f) === ".tex" && t && /\\documentclass/.test(t) && !isSlides(t));
    candidates = candidates.filter((f) => {
      const text = texts.get(f);
      if (!text) return true;
      const why = extOf(f) === ".tex" && books.length && isSlides(text) ? "slides (\\documentclass{beamer}) beside the notes, not notes" : whyNotNotes(f, text);
      if (why) skipped.push({ file: f, reason: why });
      return !why;
    });
  }

  // LaTeX main files first, so the chapter files they \input are not parsed again on their own.
  const texFiles = candidates.filter((f) => extOf(f) === ".tex");
  // The book is the file with \documentclass that no other file \input's (a per-chapter wrapper is not a book).
  const choice = courseJson.main ? { mains: [toPosix(path.normalize(courseJson.main))], skipped: [] } : findLatexMains(texFiles, reader);
  let mains = choice.mains;
  const notBooks = new Map(choice.skipped.map((s) => [s.file, s.reason]));
  // notes.Rnw beside notes.tex: the .tex is what knitr/Sweave made of it, with R's output in — the book as printed
  for (const m of mains.filter(isSweaveFile)) {
    const made = mains.find((t) => t !== m && !isSweaveFile(t) && stemOf(t) === stemOf(m));
    if (made) notBooks.set(m, `the Sweave/knitr source of ${made}, which is read instead (it holds R's output)`);
  }
  mains = mains.filter((m) => !notBooks.has(m));
  if (courseJson.main) {
    const line = courseJson.lineOf?.(courseJson.main) ?? 1;
    if (isOutside(mains[0])) error("course.json", line, `main "${courseJson.main}" is outside the course folder; ignored`);
    else if (!existsInside(root, mains[0])) error("course.json", line, `main "${courseJson.main}" does not exist in the course folder`);
    if (isOutside(mains[0]) || !existsInside(root, mains[0])) mains = [];
  }
  return { target, isDirectory: stat.isDirectory(), root, diagnostics, courseJson, reader, candidates, explicit, mains, notBooks, skipped };
}

function loadPlanned(plan: CoursePlan, options: LoadCourseOptions): CourseDoc {
  const { target, root, diagnostics, courseJson, reader, candidates, explicit, mains, notBooks, skipped } = plan;
  const error = (file: string, line: number, message: string) => diagnostics.push({ severity: "error", file, line, message });
  const warn = (file: string, line: number, message: string) => diagnostics.push({ severity: "warning", file, line, message });
  const parsed: ParsedFile[] = [];
  const consumed = new Set<string>();
  const parse = (file: string, parser: (input: ParseInput) => ParsedFile) => {
    try {
      const result = parser({ root, file, readText: reader, fileExists: (rel) => !isOutside(rel) && isFileInside(root, rel) });
      result.files.forEach((f) => consumed.add(f));
      consumed.add(file);
      return result;
    } catch (e) {
      // Parsers report bad input as diagnostics; reaching here is a parser bug. Keep going with the other files.
      error(file, 1, `could not be parsed (${e instanceof Error ? e.message : String(e)})`);
      consumed.add(file);
      return undefined;
    }
  };

  const parseLatexMain = (input: ParseInput) => parseLatexDetailed(input, { trace: options.latexTraces?.[input.file], labelPages: options.latexLabelPages?.[input.file] });
  for (const f of mains) {
    const r = parse(f, parseLatexMain);
    if (r) parsed.push(r);
  }

  const mainParsed = parsed.length > 0;
  /** The chapter after the highest numbered chapter of the files before `file` in reading order. */
  const chapterAfter = (file: string): number => {
    const at = candidates.indexOf(file);
    let last = 0;
    for (const r of parsed) {
      const first = Math.min(...r.files.map((x) => candidates.indexOf(x)).filter((i) => i >= 0));
      if (!(first < at)) continue;
      for (const c of r.chapters) if (/^\d+$/.test(c.number)) last = Math.max(last, Number(c.number));
    }
    return last + 1;
  };
  const pdfsUnread: string[] = [];
  for (const f of candidates) {
    if (consumed.has(f)) continue;
    const ext = extOf(f);
    // With a LaTeX main file, the notes are what it \input's, as in the PDF: another .tex file lying in
    // the folder (an old chapter, a commented-out \input) is not part of them, unless course.json lists it.
    if (ext === ".tex" && mainParsed && !explicit) {
      const why = notBooks.get(f);
      warn(f, 1, why ? `has its own \\documentclass but is ${why}, not another book; skipped` : `not \\input or \\include'd by ${mains.join(", ")}, so not in the printed notes; skipped`);
      continue;
    }
    if (!NOTE_EXTENSIONS.has(ext)) {
      if (explicit) warn(f, 1, `not a notes format (.txt, .tex, .Rnw, .md or .pdf); skipped`);
      continue;
    }
    if (ext === ".pdf") {
      // The source is the better copy: its numbers, math and structure are exact, the PDF's are read back from print.
      if (mainParsed && !explicit) {
        const compiled = mains.find((m) => stemOf(m) === f.replace(/\.pdf$/i, ""));
        if (compiled) warn(f, 1, `the PDF of ${compiled}, whose LaTeX source is read instead; skipped`);
        continue;
      }
      const pdf = options.pdfs?.[f];
      if (!pdf) {
        pdfsUnread.push(f);
        continue;
      }
      parsed.push(pdf);
      pdf.files.forEach((x) => consumed.add(x));
      if (countNodes(pdf.chapters) === 0 && !pdf.diagnostics.some((d) => d.severity === "error")) {
        warn(f, 1, "no chapters, sections or numbered items found in the PDF's text (not course notes?); skipped");
        parsed.pop();
        diagnostics.push(...pdf.diagnostics);
      }
      continue;
    }
    const text = reader(f);
    if (text === null) continue; // the reader already said why
    let result: ParsedFile | undefined;
    if (ext === ".txt") result = parse(f, parseTextExport);
    else if (ext === ".tex") result = parse(f, parseLatexMain);
    else result = parse(f, (input) => parseMarkdown({ ...input, firstChapter: chapterAfter(f) }));
    if (!result) continue;
    // Beside a LaTeX book, a .txt without any "Chapter" heading or numbered item is a file the book reads (an
    // exercise list for a \read loop, a figure's attribution), not notes in the plain-text export.
    if (ext === ".txt" && mainParsed && !explicit && result.chapters.every((c) => !c.title && !c.children.length && c.blocks.every((b) => !b.number))) {
      warn(f, 1, `no "Chapter" heading or numbered item, so not notes in the plain-text export (a file ${mains.join(", ")} reads?); skipped`);
      continue;
    }
    if (countNodes(result.chapters) === 0) {
      warn(f, 1, "no chapters, sections or numbered items found (not course notes?); skipped");
      continue;
    }
    parsed.push(result);
  }

  for (const r of parsed) diagnostics.push(...r.diagnostics);
  const chapters = mergeChapters(parsed, diagnostics);
  diagnostics.push(...checkNumbering(chapters, { printedNumbers: (file) => extOf(file) !== ".tex" }));

  const solutions = resolveSolutions(chapters, courseJson.solutions);
  for (const { rule, nearest } of solutions.unknown) {
    diagnostics.push({
      severity: "warning",
      file: "course.json",
      line: rule.line,
      column: rule.column,
      message: `solutions: the notes have no ${rule.label}, so "${rule.key}" applies to nothing${nearest.length ? ` (the nearest are ${nearest.join(", ")})` : ""}`,
    });
  }
  for (const f of pdfsUnread) warn(f, 1, "a PDF: read by the ingest (loadCourseWithPdfs), not by the synchronous loadCourse");
  if (countNodes(chapters) === 0) {
    error(plan.isDirectory ? "." : toPosix(path.relative(root, target)), 1, "empty course: no chapters, sections or numbered items were found");
  }

  const id = options.courseId ?? courseJson.id ?? slugify(path.basename(plan.isDirectory ? root : target, path.extname(target)));
  // The math macros of every LaTeX file, for KaTeX (a later file's definition wins, as in one document).
  const macros = Object.assign({}, ...parsed.map((r) => r.macros ?? {})) as Record<string, string>;
  const figures = [...new Set(parsed.flatMap((r) => r.figures ?? []))];
  return {
    id,
    title: courseJson.title ?? chapters[0]?.title ?? id,
    language: courseJson.language,
    guidance: courseJson.guidance,
    ...(courseJson.insights ? { insights: insightsConfig(courseJson.insights) } : {}),
    root,
    chapters,
    ...(mains.length ? { mains: mains.filter((m) => consumed.has(m)) } : {}),
    diagnostics: sortDiagnostics(diagnostics),
    files: orderFiles(chapters, parsed),
    ...(Object.keys(macros).length ? { macros } : {}),
    ...(figures.length ? { figures } : {}),
    ...(pdfsUnread.length ? { pdfsUnread } : {}),
    ...(courseJson.solutions ? { solutions: { policies: solutions.policies, exercises: solutions.exercises } } : {}),
    skipped: [...skipped, ...diagnostics.filter((d) => d.severity === "warning" && d.line === 1 && /; skipped$/.test(d.message)).map((d) => ({ file: d.file, reason: d.message.replace(/; skipped$/, "") }))],
  };
}

/** How LaTeX numbers are made: a TeX engine, `"auto"` (`findTexEngine()`: TUTOR_TEX, else pdflatex or lualatex on the PATH), or `"none"`/null (derived from the source). */
export type TexChoice = TexEngine | "auto" | "none" | null;

/** One TeX run of a LaTeX main file, as `loadCourseWithTex` made it (the benchmark reads these). */
export interface TexRunSummary {
  main: string;
  /** Wall-clock seconds, copy and cleanup included. */
  seconds: number;
  /** CPU seconds TeX used (Linux), what a loaded machine does not inflate. */
  cpuSeconds?: number;
  /** Pages of the book as TeX typeset it. */
  pages?: number;
  /** Whether its trace settled the numbers. */
  used: boolean;
}

/**
 * `loadCourse`, with its PDFs read: pdf.js is asynchronous, so the synchronous pass lists the PDFs it
 * found (`pdfsUnread`) and a second pass takes them parsed. A PDF that is not a readable regular file
 * inside the folder, or is too large, is an error at that file.
 */
export async function loadCourseWithPdfs(options: LoadCourseOptions): Promise<{ doc: CourseDoc; pdfs?: Record<string, ParsedFile> }> {
  const first = loadCourse(options);
  if (!first.pdfsUnread?.length) return { doc: await withPrintedPages(first) };
  const pdfs: Record<string, ParsedFile> = { ...options.pdfs };
  for (const f of first.pdfsUnread) pdfs[f] = await readPdfFile(first.root, f);
  return { doc: await withPrintedPages(loadCourse({ ...options, pdfs })), pdfs };
}

/**
 * A LaTeX main file's own PDF beside it (notes.tex, notes.pdf), skipped as notes, supplies the pages: each part
 * of the source gets `source.page` (and `source.pdf`), matched by printed label (lib/course/pdf/source-pages.ts).
 * The skip line says how many numbered things the PDF placed; an unreadable PDF only warns, the source stands.
 */
export async function withPrintedPages<T extends CourseDoc>(doc: T): Promise<T> {
  for (const main of doc.mains ?? []) {
    const pdfFile = `${stemOf(main)}.pdf`;
    const note = doc.diagnostics.find((d) => d.file === pdfFile && /whose LaTeX source is read instead/.test(d.message));
    if (!note) continue;
    const pdf = await readPdfFile(doc.root, pdfFile);
    if (pdf.diagnostics.some((d) => d.severity === "error")) {
      note.message += `; its pages are not used either (${pdf.diagnostics.find((d) => d.severity === "error")!.message})`;
      continue;
    }
    const chapters = doc.chapters.filter((c) => extOf(c.source.file) === ".tex");
    const { numbered, found } = attachPdfPages(chapters, pdfFile, pdf);
    note.message = `the PDF of ${main}, whose LaTeX source is read instead; it supplies the pages (${found} of ${numbered} numbered headings and items found in it)`;
  }
  return doc;
}

async function readPdfFile(root: string, file: string): Promise<ParsedFile> {
  const fail = (message: string): ParsedFile => ({ chapters: [], files: [file], diagnostics: [{ severity: "error", file, line: 1, message }] });
  if (!isFileInside(root, file)) return fail("not a regular file inside the course folder; skipped");
  const abs = path.resolve(root, file);
  const size = statSync(abs).size;
  if (size > MAX_PDF_BYTES) return fail(`the PDF is ${(size / 1e6).toFixed(0)} MB, over the ${MAX_PDF_BYTES / 1e6} MB limit; skipped`);
  const bytes = readFileSync(abs);
  if (bytes.subarray(0, 1024).indexOf("%PDF-") < 0) return fail("named .pdf but is not a PDF (no %PDF- header); skipped");
  return parsePdf(file, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * `loadCourse`, with the printed numbers of a real TeX run (`tex`, default `"auto"`: TUTOR_TEX, else pdflatex or
 * lualatex on the PATH; `"none"`: derived numbers only): each LaTeX main file is compiled in a sandboxed copy
 * first, then the course is parsed once with the trace settling the numbers (disagreements with the derived
 * ones are warnings at file:line). Without TeX, or when the document does not compile cleanly, the numbers are
 * derived from the source, and `numbers` says so.
 */
export async function loadCourseWithTex(options: LoadCourseOptions & { tex?: TexChoice; timeoutMs?: number }): Promise<CourseDoc & { texRuns?: TexRunSummary[] }> {
  const plan = planCourse(options);
  // No LaTeX book: the notes may be PDFs, which pdf.js reads asynchronously.
  if (!plan.mains.length) return (await loadCourseWithPdfs(options)).doc;
  // Beside a LaTeX book a PDF is read only when course.json lists it (else it is the book's print: skipped).
  if (plan.explicit) {
    const pdfs: Record<string, ParsedFile> = { ...options.pdfs };
    for (const f of plan.candidates) if (extOf(f) === ".pdf" && !pdfs[f]) pdfs[f] = await readPdfFile(plan.root, f);
    options = { ...options, pdfs };
  }
  const choice = options.tex === undefined ? "auto" : (options.tex ?? "none");
  let engine: TexEngine | null = null;
  let reason = "TeX not used";
  if (choice === "auto") {
    const found = findTexEngine();
    engine = found.engine;
    reason = found.reason ?? "";
  } else if (choice !== "none") engine = choice;
  if (!engine) {
    const doc = await withPrintedPages(loadPlanned(plan, options));
    return doc.mains?.length ? { ...doc, numbers: `derived from the source (${reason}; install TeX for exact numbers)` } : doc;
  }
  const traces: Record<string, TracedNumber[]> = {};
  const labelPages: Record<string, Map<string, string>> = {};
  const extra: Diagnostic[] = [];
  const used: string[] = [];
  const versions = new Set<string>();
  const texRuns: TexRunSummary[] = [];
  for (const main of plan.mains) {
    const r = await engineNumbers({ root: plan.root, main, engine, timeoutMs: options.timeoutMs });
    extra.push(...r.diagnostics);
    texRuns.push({ main, seconds: r.seconds, ...(r.cpuSeconds !== undefined ? { cpuSeconds: r.cpuSeconds } : {}), ...(r.pages !== undefined ? { pages: r.pages } : {}), used: !!r.trace });
    if (r.trace) {
      traces[main] = r.trace;
      if (r.labelPages) labelPages[main] = r.labelPages;
      used.push(`${main} in ${r.seconds.toFixed(1)} s`);
      versions.add(r.version); // lualatex when pdflatex could not typeset the book
    }
  }
  const doc = await withPrintedPages(loadPlanned(plan, { ...options, latexTraces: traces, latexLabelPages: labelPages }));
  const numbers = used.length
    ? `as printed by ${[...versions].join(" and ")} (${used.join(", ")})`
    : `derived from the source (${engine.kind} could not compile it cleanly, see the warnings)`;
  return { ...doc, diagnostics: sortDiagnostics([...doc.diagnostics, ...extra]), numbers, texRuns };
}

/** course.json as read, with the line of a string value (for diagnostics about `files` and `main`). */
type ReadCourseJson = Omit<CourseJson, "solutions"> & { lineOf?: (value: string) => number; solutions?: SolutionsConfig };

function readCourseJson(root: string, diagnostics: Diagnostic[]): ReadCourseJson {
  let raw: string;
  try {
    raw = readFileSync(path.join(root, "course.json"), "utf8");
  } catch {
    return {};
  }
  return parseCourseJson(raw, diagnostics);
}

/**
 * The text of course.json → its settings; what is wrong becomes an error diagnostic at course.json:line:column
 * (then no setting is used). Never throws.
 */
export function parseCourseJson(text: string, diagnostics: Diagnostic[]): ReadCourseJson {
  // A UTF-8 byte-order mark (Windows editors write one) is not part of the JSON.
  const raw = text.replace(/^\uFEFF/, "");
  const at = (offset: number) => positionOf(raw, offset);
  const report = (offset: number, message: string) => diagnostics.push({ severity: "error", file: "course.json", ...at(offset), message });
  // jsonc-parser (VS Code's) gives every syntax error and every value its offset: errors at line:column.
  const syntax: ParseError[] = [];
  const tree = parseTree(raw, syntax, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (syntax.length || !tree) {
    // Only the first: the parser's later errors are mostly that one seen again.
    if (syntax[0]) report(syntax[0].offset, `not valid JSON (${describeJsonError(syntax[0].error)})`);
    if (!syntax.length) report(0, "not valid JSON (empty file)");
    return {};
  }
  const data: unknown = getNodeValue(tree);
  const result = courseJsonSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        // The keys the object at that path knows (top level, or a nested object such as `insights`).
        const where = issue.path.join(".");
        const known = Object.keys(where === "insights" ? insightsJsonSchema.shape : courseJsonSchema.shape);
        for (const key of issue.keys) {
          const node = findNodeAtLocation(tree, [...(issue.path as (string | number)[]), key])?.parent?.children?.[0];
          const guess = closest(key, known);
          const near = distance(key.toLowerCase(), guess) <= Math.max(1, Math.floor(guess.length / 3));
          report(node?.offset ?? 0, `unknown key "${key}"${near ? ` — did you mean "${guess}"?` : ""} (${where ? `"${where}" knows` : "course.json knows"} ${known.join(", ")})`);
        }
        continue;
      }
      const key = issue.path.join(".") || "(top level)";
      const node = findNodeAtLocation(tree, issue.path as (string | number)[]);
      report(node?.offset ?? 0, `${key}: ${issue.message}`);
    }
    return {};
  }
  const { solutions: _raw, ...settings } = result.data;
  let solutions: SolutionsConfig | undefined;
  const solutionsNode = findNodeAtLocation(tree, ["solutions"]);
  if (solutionsNode) {
    const checked = checkSolutionsJson(solutionsNode, at);
    for (const p of checked.problems) diagnostics.push({ severity: p.severity, file: "course.json", ...at(p.offset), message: p.message });
    if (!checked.config) return {};
    solutions = checked.config;
  }
  return { ...settings, ...(solutions ? { solutions } : {}), lineOf: (value) => lineOfText(raw, JSON.stringify(value)) };
}

/** 1-based line and column of an offset. */
function positionOf(raw: string, offset: number): { line: number; column: number } {
  const before = raw.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** jsonc-parser's error codes in words. */
function describeJsonError(code: ParseErrorCode): string {
  // Keyed by the code's name (the enum is a const enum, which isolated modules cannot read).
  const words: Record<string, string> = {
    PropertyNameExpected: "a key in double quotes expected here — a comma before a closing brace is not allowed",
    ValueExpected: "a value expected here (a comma before a closing bracket is not allowed)",
    CommaExpected: "a comma expected here",
    ColonExpected: "a colon expected here",
    CloseBraceExpected: "a closing brace } expected",
    CloseBracketExpected: "a closing bracket ] expected",
    EndOfFileExpected: "nothing may follow the closing brace",
    InvalidCommentToken: "comments are not allowed in JSON",
    UnexpectedEndOfString: "a string is not closed",
    InvalidSymbol: "not a JSON value (strings need double quotes)",
  };
  return words[printParseErrorCode(code)] ?? printParseErrorCode(code);
}

function lineOfText(raw: string, needle: string): number {
  const idx = raw.indexOf(needle);
  return idx < 0 ? 1 : raw.slice(0, idx).split("\n").length;
}

/** A path that leaves the course folder ("../x", "/abs"). */
function isOutside(rel: string): boolean {
  return rel.startsWith("..") || path.isAbsolute(rel);
}

/** The file exists and, symlinks resolved, lies inside the course folder. */
/** A regular file inside the course folder (a symlink out of it does not count). */
function isFileInside(root: string, rel: string): boolean {
  try {
    return existsInside(root, rel) && statSync(path.resolve(root, rel)).isFile();
  } catch {
    return false;
  }
}

function existsInside(root: string, rel: string): boolean {
  try {
    const real = realpathSync(path.resolve(root, rel));
    const rootReal = realpathSync(root);
    return real === rootReal || real.startsWith(rootReal + path.sep);
  } catch {
    return false;
  }
}

/** A reader that refuses binary, non-UTF-8 and huge files, reporting each once with the reason. */
function makeReader(root: string, diagnostics: Diagnostic[]): (rel: string) => string | null {
  const cache = new Map<string, string | null>();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  return (rel) => {
    const key = toPosix(path.normalize(rel));
    if (cache.has(key)) return cache.get(key)!;
    let result: string | null = null;
    const abs = path.resolve(root, key);
    try {
      const st = statSync(abs);
      if (!st.isFile()) throw Object.assign(new Error("not a file"), { code: "EISDIR" });
      if (st.size > MAX_FILE_BYTES) {
        diagnostics.push({ severity: "warning", file: key, line: 1, message: `file is ${(st.size / 1e6).toFixed(1)} MB, over the 8 MB limit for notes; skipped` });
      } else {
        const buf = readFileSync(abs);
        if (buf.includes(0)) {
          diagnostics.push({ severity: "warning", file: key, line: 1, message: "binary file (contains NUL bytes); skipped" });
        } else {
          try {
            result = decoder.decode(buf);
          } catch {
            const line = firstBadUtf8Line(buf);
            diagnostics.push({ severity: "warning", file: key, line, message: "not valid UTF-8 text (save the file as UTF-8); skipped" });
          }
        }
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Missing files are reported by the caller that referenced them (with its own file:line).
      if (code !== "ENOENT") {
        diagnostics.push({ severity: "warning", file: key, line: 1, message: `unreadable (${code ?? (e as Error).message}); skipped` });
      }
    }
    cache.set(key, result);
    return result;
  };
}

function firstBadUtf8Line(buf: Buffer): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= buf.length; i++) {
    if (i === buf.length || buf[i] === 0x0a) {
      try {
        decoder.decode(buf.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return 1;
}

/** Note files under root, in natural order, skipping VCS/build folders, hidden files and READMEs. */
export function listNoteFiles(root: string, skipped: SkippedFile[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 8) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(abs, depth + 1);
        else skipped.push({ file: `${toPosix(path.relative(root, abs))}/`, reason: "a version-control, dependency or build-output folder" });
      } else if (e.isFile() && (NOTE_EXTENSIONS.has(extOf(e.name)) || NOT_NOTES_RE.test(e.name)) && e.name !== "course.json") {
        if (NOT_NOTES_RE.test(e.name)) skipped.push({ file: toPosix(path.relative(root, abs)), reason: "a README, licence or changelog, not notes" });
        else out.push(toPosix(path.relative(root, abs)));
      }
    }
  };
  walk(root, 0);
  const collator = new Intl.Collator("en", { numeric: true });
  return out.sort(collator.compare);
}

/** Chapters of all files in number order; a chapter number given by two files is reported. */
function mergeChapters(parsed: ParsedFile[], diagnostics: Diagnostic[]): SectionNode[] {
  const all = parsed.flatMap((r) => r.chapters);
  const seen = new Map<string, SectionNode>();
  for (const c of all) {
    if (!c.number) continue; // unnumbered chapters (\chapter*, a preface) are never cited by number
    const prev = seen.get(c.number);
    if (prev) {
      diagnostics.push({
        severity: "warning",
        file: c.source.file,
        line: c.source.line,
        message: `duplicate Chapter ${c.number}: also at ${prev.source.file}:${prev.source.line}`,
      });
    } else seen.set(c.number, c);
  }
  // Files are merged by chapter number (numeric chapters before appendix letters). An unnumbered chapter
  // stays where its file puts it: right after the numbered chapter before it, or before the file's first
  // numbered chapter (a preface). Stable: equal keys keep file order.
  const keyed: { c: SectionNode; anchor: string; rank: number }[] = [];
  for (const r of parsed) {
    const firstNumbered = r.chapters.find((c) => c.number)?.number ?? "";
    let anchor = firstNumbered;
    let rank = -1;
    for (const c of r.chapters) {
      if (c.number) {
        anchor = c.number;
        rank = 0;
      } else if (rank >= 0) rank++;
      keyed.push({ c, anchor, rank: c.number ? 0 : rank });
    }
  }
  const collator = new Intl.Collator("en", { numeric: true });
  const byNumber = (a: string, b: string) => {
    const an = /^\d+$/.test(a);
    const bn = /^\d+$/.test(b);
    if (an !== bn) return an ? -1 : 1;
    return collator.compare(a, b);
  };
  return keyed.sort((x, y) => byNumber(x.anchor, y.anchor) || x.rank - y.rank).map((k) => k.c);
}

/**
 * Files in the order a reader meets them: by the first chapter content they hold; a file holding none
 * (a LaTeX main file) goes right before the first file it pulled in.
 */
function orderFiles(chapters: SectionNode[], parsed: ParsedFile[]): string[] {
  const seen = [...new Set(chapters.flatMap(fileOrder))];
  const rank = new Map(seen.map((f, i) => [f, i]));
  for (const r of parsed) {
    const first = Math.min(...r.files.map((f) => rank.get(f) ?? Infinity));
    for (const f of r.files) if (!rank.has(f)) rank.set(f, first - 0.5);
  }
  return [...new Set(parsed.flatMap((r) => r.files))].sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity));
}

function fileOrder(node: SectionNode): string[] {
  return [node.source.file, ...node.blocks.map((b) => b.source.file), ...node.children.flatMap(fileOrder)];
}

function countNodes(chapters: SectionNode[]): number {
  let n = 0;
  const walk = (node: SectionNode) => {
    n += 1 + node.blocks.filter((b) => b.number).length;
    node.children.forEach(walk);
  };
  chapters.forEach(walk);
  return n;
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list
    .filter((d) => {
      const key = `${d.severity}|${d.file}|${d.line}|${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

/** A file's notes format by its name: ".tex" also for Sweave/knitr (.Rnw), LaTeX with R chunks the LaTeX reader turns into code. */
function extOf(file: string): string {
  return isSweaveFile(file) ? ".tex" : path.extname(file).toLowerCase();
}

/** The file name without its LaTeX extension (.tex, or Sweave's .Rnw): what its PDF and its knitr output are called. */
function stemOf(file: string): string {
  return file.replace(/\.tex$/i, "").replace(SWEAVE_FILE_RE, "");
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "course";
}
