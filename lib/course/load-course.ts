import { readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { findLatexMains, parseLatexDetailed, type TracedNumber } from "./latex";
import { findTexEngine, type TexEngine } from "./latex/engine";
import { engineNumbers } from "./latex/engine-numbers";
import { parseMarkdown } from "./markdown";
import { checkNumbering } from "./numbering";
import { parseTextExport } from "./text-export";
import type { CourseDoc, Diagnostic, ParseInput, ParsedFile, SectionNode } from "./types";
import { TutorError } from "../errors";

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
  })
  .strict();
export type CourseJson = z.infer<typeof courseJsonSchema>;

const NOTE_EXTENSIONS = new Set([".txt", ".tex", ".md", ".markdown"]);
/**
 * Files that sit beside notes but are not notes, in any naming: README.md, LICENSE, LICENSE-CC-by-nc-sa.md,
 * licence_en.txt, CHANGELOG.md, CODE_OF_CONDUCT.md.
 */
export const NOT_NOTES_RE = /^(readme|licen[cs]e|copying|copyright|change[-_ ]?log|changes|contributing|contributors|authors|notice|todo|code[-_ ]of[-_ ]conduct)([-_. ].*)?$/i;
/** Folders that never hold notes: VCS, dependencies, build output. */
const SKIP_DIRS = new Set(["node_modules", ".git", ".svn", ".hg", "build", "dist", "out", "_build", ".next", "__pycache__"]);
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface LoadCourseOptions {
  /** A course folder, or a single notes file. */
  path: string;
  /** Overrides course.json's id (and the folder-name default). */
  courseId?: string;
  /** Printed numbers a TeX run traced, per LaTeX main file (see `loadCourseWithTex`). */
  latexTraces?: Record<string, TracedNumber[]>;
}

/**
 * Reads a course folder (or one file) into a `CourseDoc`: finds the note files, parses each with the
 * parser for its format, merges chapters in number order and checks numbering. Bad input never throws:
 * it becomes a diagnostic with file:line. Throws `TutorError("course-not-found")` only when the path
 * itself does not exist.
 */
export function loadCourse(options: LoadCourseOptions): CourseDoc {
  const target = path.resolve(options.path);
  let stat;
  try {
    stat = statSync(target);
  } catch {
    throw new TutorError("course-not-found", `No such file or folder: ${options.path}`);
  }
  const root = stat.isDirectory() ? target : path.dirname(target);
  const diagnostics: Diagnostic[] = [];
  const error = (file: string, line: number, message: string) => diagnostics.push({ severity: "error", file, line, message });
  const warn = (file: string, line: number, message: string) => diagnostics.push({ severity: "warning", file, line, message });

  const courseJson = readCourseJson(root, diagnostics);
  if (options.courseId !== undefined) {
    const checked = courseIdSchema.safeParse(options.courseId);
    if (!checked.success) throw new TutorError("bad-request", `--course "${options.courseId}" is not a course id (letters, digits, '.', '_' or '-', at most 64 characters)`);
  }
  const reader = makeReader(root, diagnostics);

  let candidates: string[];
  let explicit = false;
  const ignored: string[] = [];
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
    candidates = listNoteFiles(root, ignored);
  }

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

  // LaTeX main files first, so the chapter files they \input are not parsed again on their own.
  const texFiles = candidates.filter((f) => extOf(f) === ".tex");
  // The book is the file with \documentclass that no other file \input's (a per-chapter wrapper is not a book).
  const choice = courseJson.main ? { mains: [toPosix(path.normalize(courseJson.main))], skipped: [] } : findLatexMains(texFiles, reader);
  let mains = choice.mains;
  const notBooks = new Map(choice.skipped.map((s) => [s.file, s.reason]));
  if (courseJson.main) {
    const line = courseJson.lineOf?.(courseJson.main) ?? 1;
    if (isOutside(mains[0])) error("course.json", line, `main "${courseJson.main}" is outside the course folder; ignored`);
    else if (!existsInside(root, mains[0])) error("course.json", line, `main "${courseJson.main}" does not exist in the course folder`);
    if (isOutside(mains[0]) || !existsInside(root, mains[0])) mains = [];
  }
  const parseLatexMain = (input: ParseInput) => parseLatexDetailed(input, { trace: options.latexTraces?.[input.file] });
  for (const f of mains) {
    const r = parse(f, parseLatexMain);
    if (r) parsed.push(r);
  }

  const mainParsed = parsed.length > 0;
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
      if (explicit) warn(f, 1, `not a notes format (.txt, .tex or .md); skipped`);
      continue;
    }
    const text = reader(f);
    if (text === null) continue; // the reader already said why
    let result: ParsedFile | undefined;
    if (ext === ".txt") result = parse(f, parseTextExport);
    else if (ext === ".tex") result = parse(f, parseLatexMain);
    else result = parse(f, parseMarkdown);
    if (!result) continue;
    if (countNodes(result.chapters) === 0) {
      warn(f, 1, "no chapters, sections or numbered items found (not course notes?); skipped");
      continue;
    }
    parsed.push(result);
  }

  for (const r of parsed) diagnostics.push(...r.diagnostics);
  const chapters = mergeChapters(parsed, diagnostics);
  diagnostics.push(...checkNumbering(chapters, { printedNumbers: (file) => extOf(file) !== ".tex" }));

  if (countNodes(chapters) === 0) {
    error(stat.isDirectory() ? "." : toPosix(path.relative(root, target)), 1, "empty course: no chapters, sections or numbered items were found");
  }

  const id = options.courseId ?? courseJson.id ?? slugify(path.basename(stat.isDirectory() ? root : target, path.extname(target)));
  // The math macros of every LaTeX file, for KaTeX (a later file's definition wins, as in one document).
  const macros = Object.assign({}, ...parsed.map((r) => r.macros ?? {})) as Record<string, string>;
  const figures = [...new Set(parsed.flatMap((r) => r.figures ?? []))];
  return {
    id,
    title: courseJson.title ?? chapters[0]?.title ?? id,
    language: courseJson.language,
    guidance: courseJson.guidance,
    root,
    chapters,
    ...(mains.length ? { mains: mains.filter((m) => consumed.has(m)) } : {}),
    diagnostics: sortDiagnostics(diagnostics),
    files: orderFiles(chapters, parsed),
    ...(Object.keys(macros).length ? { macros } : {}),
    ...(figures.length ? { figures } : {}),
    ...(ignored.length ? { ignored } : {}),
  };
}

/**
 * `loadCourse`, with the printed numbers of a real TeX run when an engine is there (`tex`: default
 * `findTexEngine()`; null: none): each LaTeX main file is compiled in a sandboxed copy and its trace
 * settles the numbers (disagreements with the derived ones are warnings at file:line). Without TeX, or
 * when the document does not compile cleanly, the numbers are derived from the source, and `numbers` says so.
 */
export async function loadCourseWithTex(options: LoadCourseOptions & { tex?: TexEngine | null; timeoutMs?: number }): Promise<CourseDoc> {
  const derived = loadCourse(options);
  if (!derived.mains?.length) return derived;
  let engine = options.tex;
  let reason = "";
  if (engine === undefined) {
    const found = findTexEngine();
    engine = found.engine;
    reason = found.reason ?? "";
  } else if (engine === null) reason = "TeX not used";
  if (!engine) return { ...derived, numbers: `derived from the source (${reason}; install TeX for exact numbers)` };
  const traces: Record<string, TracedNumber[]> = {};
  const extra: Diagnostic[] = [];
  const used: string[] = [];
  for (const main of derived.mains) {
    const r = await engineNumbers({ root: derived.root, main, engine, timeoutMs: options.timeoutMs });
    extra.push(...r.diagnostics);
    if (r.trace) {
      traces[main] = r.trace;
      used.push(`${main} in ${r.seconds.toFixed(1)} s`);
    }
  }
  if (!used.length) return { ...derived, diagnostics: sortDiagnostics([...derived.diagnostics, ...extra]), numbers: `derived from the source (${engine.kind} could not compile it cleanly, see the warnings)` };
  const doc = loadCourse({ ...options, latexTraces: traces });
  return { ...doc, diagnostics: sortDiagnostics([...doc.diagnostics, ...extra]), numbers: `as printed by ${engine.version} (${used.join(", ")})` };
}

/** course.json as read, with the line of a string value (for diagnostics about `files` and `main`). */
type ReadCourseJson = CourseJson & { lineOf?: (value: string) => number };

function readCourseJson(root: string, diagnostics: Diagnostic[]): ReadCourseJson {
  let raw: string;
  try {
    // A UTF-8 byte-order mark (Windows editors write one) is not part of the JSON.
    raw = readFileSync(path.join(root, "course.json"), "utf8").replace(/^\uFEFF/, "");
  } catch {
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (e) {
    const pos = /position (\d+)/.exec(String(e))?.[1];
    const line = pos ? raw.slice(0, Number(pos)).split("\n").length : 1;
    diagnostics.push({ severity: "error", file: "course.json", line, message: `not valid JSON (${(e as Error).message})` });
    return {};
  }
  const result = courseJsonSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.join(".") || "(top level)";
      const line = lineOfKey(raw, String(issue.path[0] ?? ""));
      diagnostics.push({ severity: "error", file: "course.json", line, message: `${key}: ${issue.message}` });
    }
    return {};
  }
  return { ...result.data, lineOf: (value) => lineOfText(raw, JSON.stringify(value)) };
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

function lineOfKey(raw: string, key: string): number {
  if (!key) return 1;
  const idx = raw.indexOf(`"${key}"`);
  return idx < 0 ? 1 : raw.slice(0, idx).split("\n").length;
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

/**
 * Note files under root, in natural order, skipping VCS/build folders and hidden files; readme, licence and
 * changelog files in a notes format are added to `ignored` (the run names them).
 */
export function listNoteFiles(root: string, ignored: string[] = []): string[] {
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
      } else if (e.isFile() && (NOTE_EXTENSIONS.has(extOf(e.name)) || NOT_NOTES_RE.test(e.name)) && e.name !== "course.json") {
        (NOT_NOTES_RE.test(e.name) ? ignored : out).push(toPosix(path.relative(root, abs)));
      }
    }
  };
  walk(root, 0);
  const collator = new Intl.Collator("en", { numeric: true });
  ignored.sort(collator.compare);
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

function extOf(file: string): string {
  return path.extname(file).toLowerCase();
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "course";
}
