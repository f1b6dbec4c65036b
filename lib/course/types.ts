import type { ExercisePolicyLine } from "../policy/solutions";
import type { ExercisePolicies } from "../policy/withhold";

/**
 * The one shape every course parser produces. Parsers (text-export, latex, markdown) turn a course
 * file into `ParsedFile`; `loadCourse` merges files into a `CourseDoc`, checks numbering and
 * reports diagnostics. Everything downstream (chunking, the store, citation lookup) reads only these types.
 */

/** Kinds of headings, outermost first. */
export const HEADING_KINDS = ["chapter", "section", "subsection"] as const;
export type HeadingKind = (typeof HEADING_KINDS)[number];

/** Kinds of numbered (or unnumbered, when starred) statement-like blocks. */
export const ITEM_KINDS = [
  "exercise",
  "definition",
  "theorem",
  "lemma",
  "proposition",
  "corollary",
  "example",
  "remark",
] as const;
/** The item kinds every course format knows. */
export type KnownItemKind = (typeof ITEM_KINDS)[number];
/**
 * A numbered item's kind: a known one, or the printed name of a theorem-like kind the notes declare
 * themselves ("Key Idea", "Problem"), cited by its label ("Key Idea 4"). `(string & {})` keeps the
 * known names visible to the editor while any name is accepted.
 */
export type ItemKind = KnownItemKind | (string & {});

/** Headings and the known item kinds: what students' abbreviations ("Ex.", "Thm") can name. */
export type KnownCitableKind = HeadingKind | KnownItemKind;
/** Every kind a citation can name: headings and items. */
export type CitableKind = HeadingKind | ItemKind;

/**
 * Kinds of content blocks inside a section. Items are the numbered statements; the rest is prose,
 * proofs, code (Sage/Python), quizzes and display math that belong to the section but carry no number.
 * A hint inside an exercise stays part of that exercise's text (the exercise block); a solution or answer box
 * after it is a "solution" block (the solutions policy, lib/policy/withhold.ts, withholds it with the exercise).
 */
export type BlockKind = ItemKind | "paragraph" | "proof" | "code" | "quiz" | "hint" | "solution" | "math" | "list";

/**
 * Where something sits in the course sources. `file` is relative to the course root, POSIX separators.
 * A PDF has no source lines: for a `.pdf` file `line` and `endLine` are physical pages (1-based), and
 * what users see says "page" (`lib/cite/source.ts`).
 */
export interface SourceLoc {
  file: string;
  /** 1-based line where the block begins (a PDF: its first page). */
  line: number;
  /** 1-based line where the block ends, inclusive (a PDF: its last page). */
  endLine: number;
  /** A LaTeX source compiled to a PDF lying beside it: the physical page the part is printed on, and that PDF. */
  page?: number;
  pdf?: string;
}

export interface Block {
  kind: BlockKind;
  /** Printed number ("1.41") for numbered items; undefined for prose and starred/unnumbered items. */
  number?: string;
  /** Citation label ("Exercise 1.41") for numbered items; undefined otherwise. */
  label?: string;
  /** Optional title, e.g. "Binomial identities" in `Exercise 1.41 (Binomial identities)`. */
  title?: string;
  /**
   * The exact text of the block as the notes have it (LaTeX math and macros left as written; for an
   * item, its body without the `Exercise 1.41:` / `/Exercise` or `\begin{..}`/`\end{..}` wrapper).
   */
  text: string;
  /** Sub-part letters found in the item ("a", "b", …) when it has parts (a), (b). */
  parts?: string[];
  /** LaTeX `\label{…}` keys attached to this block, if any. */
  latexLabels?: string[];
  source: SourceLoc;
}

export interface SectionNode {
  kind: HeadingKind;
  /** Printed number: "1" for a chapter, "1.6" for a section, "1.6.1" for a subsection. */
  number: string;
  title: string;
  /** "Chapter 1", "Section 1.6", "Subsection 1.6.1". */
  label: string;
  /** Content directly under this heading, before its first child heading, in source order. */
  blocks: Block[];
  children: SectionNode[];
  latexLabels?: string[];
  /** Location of the heading line; `endLine` is the last line of the node including its children. */
  source: SourceLoc;
}

export type Severity = "warning" | "error";

/** A problem found in a course file. Never thrown for bad input: collected and reported. */
export interface Diagnostic {
  severity: Severity;
  /** Relative to the course root. */
  file: string;
  line: number;
  /** 1-based column, when known (course.json errors): printed as file:line:column. */
  column?: number;
  message: string;
}

/** What one parser returns for one entry file (a LaTeX main file may pull in many files). */
export interface ParsedFile {
  /** Top-level nodes in order; normally chapters. */
  chapters: SectionNode[];
  diagnostics: Diagnostic[];
  /** Every file that contributed (relative paths), e.g. the chapter files a LaTeX main file `\input`s. */
  files: string[];
  /** The notes' own math macros in KaTeX's `macros` form (`"\\norm": "\\lVert #1\\rVert"`), when any. */
  macros?: Record<string, string>;
  /** Image files the notes show (`\includegraphics`), relative to the course root: the only files the app serves. */
  figures?: string[];
}

export interface CourseMeta {
  id: string;
  title: string;
  language?: string;
  /** The instructor's tutoring guidance for the chat LLM. */
  guidance?: string;
  /** course.json's `insights`, when the course turns them on (lib/insights/config.ts). */
  insights?: import("../insights/config").InsightsConfig;
}

export interface CourseDoc extends CourseMeta {
  /** Absolute path of the course root (a folder, or the folder of a single-file course). */
  root: string;
  chapters: SectionNode[];
  diagnostics: Diagnostic[];
  /** Files parsed, relative to root. */
  files: string[];
  /** The notes' own math macros for KaTeX (see `ParsedFile.macros`). */
  macros?: Record<string, string>;
  /** Image files the notes show, relative to root (see `ParsedFile.figures`). */
  figures?: string[];
  /** The LaTeX main file(s) read as the book, when the course has LaTeX. */
  mains?: string[];
  /** Where the LaTeX numbers come from: a TeX run, or derived from the source (and why). */
  numbers?: string;
  /** PDFs the synchronous `loadCourse` found but cannot read (pdf.js is asynchronous): `loadCourseWithPdfs` reads them. */
  pdfsUnread?: string[];
  /** Files in the folder that were not read as notes, and why (a README, a transcript, an exam, a LaTeX file no main \inputs…). */
  skipped?: SkippedFile[];
  /** course.json's `solutions` policy resolved per exercise (lib/policy/solutions.ts), when course.json has one. */
  solutions?: { policies: ExercisePolicies; exercises: ExercisePolicyLine[] };
}

export interface SkippedFile {
  /** Relative to root; a folder ends with "/". */
  file: string;
  reason: string;
}

/** A citable thing, flattened out of the tree: headings and numbered items. */
export interface CourseItem {
  kind: CitableKind;
  number: string;
  label: string;
  title: string;
  text: string;
  /** "1" — the chapter number the item sits in. */
  chapter: string;
  /** Label of the chapter, e.g. "Chapter 1", with title. */
  chapterTitle: string;
  /** Label of the enclosing section ("Section 1.6"), or "" for a chapter-level item. */
  section: string;
  sectionTitle: string;
  /** Heading path, e.g. ["Chapter 1: Numbers", "Section 1.6: More on sets"]. */
  path: string[];
  parts?: string[];
  source: SourceLoc;
}

/** What every parser gets: the course root, the entry file (relative to root), and a reader. */
export interface ParseInput {
  /** Absolute path of the course root. */
  root: string;
  /** Entry file, relative to root, POSIX separators. */
  file: string;
  /** Reads a file relative to root as UTF-8; returns null when it does not exist or is not readable. */
  readText: (relPath: string) => string | null;
  /** The number a first chapter without a printed number gets (the one after the chapters of the files before it); default 1. */
  firstChapter?: number;
  /** Whether a (binary) file exists inside the course folder, e.g. a figure's image; absent = never. */
  fileExists?: (relPath: string) => boolean;
}

/**
 * The start every parser shares: read the entry file (BOM stripped) and a `warn` that records a
 * diagnostic in that file. `text` is null when the file could not be read; `failed` is then the result.
 */
export function openSource(input: ParseInput): {
  text: string | null;
  diagnostics: Diagnostic[];
  warn: (line: number, message: string) => void;
  failed: ParsedFile;
} {
  const file = input.file;
  const diagnostics: Diagnostic[] = [];
  const warn = (line: number, message: string) => diagnostics.push({ severity: "warning", file, line, message });
  const source = input.readText(file);
  const failed: ParsedFile = { chapters: [], files: [file], diagnostics: [{ severity: "error", file, line: 1, message: "cannot read file" }] };
  return { text: source === null ? null : source.replace(/^\uFEFF/, ""), diagnostics, warn, failed };
}
