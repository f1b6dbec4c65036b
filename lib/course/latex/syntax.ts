/**
 * What LaTeX names mean to the course parser: sectioning levels, the environments it knows, the
 * commands that define, include or reference. Shared by every pass under `lib/course/latex/`.
 */
import { VERBATIM_ENVS } from "./conditionals";

export const HEADING_LEVELS: Record<string, number> = {
  part: -1,
  chapter: 0,
  section: 1,
  subsection: 2,
  subsubsection: 3,
  paragraph: 4,
  subparagraph: 5,
};

export const BOOK_CLASSES = new Set(["book", "report", "memoir", "scrbook", "scrreprt", "amsbook", "tufte-book", "krantz"]);
/** KOMA-Script's chaptered classes: their `\thesection` leaves out the chapter outside the main matter. */
/** memoir's level names for `\setsecnumdepth`/`\maxsecnumdepth` (its `\toclevel@…`). */
export const SECNUM_LEVELS: Record<string, number> = {
  none: -10, book: -2, part: -1, chapter: 0, section: 1, subsection: 2, subsubsection: 3, paragraph: 4, subparagraph: 5, all: 50,
};
export const KOMA_CLASSES = new Set(["scrbook", "scrreprt"]);

export const CODE_ENVS = new Set([...VERBATIM_ENVS].filter((e) => e !== "comment" && !e.startsWith("filecontents")));

/** Numbered display-math environments; rows are split at `\\` for the multi-line ones. */
export const EQ_ENVS = new Set(["equation", "align", "gather", "multline", "flalign", "alignat", "eqnarray", "xalignat", "xxalignat"]);
export const SINGLE_ROW_EQ = new Set(["equation", "multline"]);
export const MATH_ENVS = new Set([
  ...[...EQ_ENVS].flatMap((e) => [e, `${e}*`]),
  "displaymath",
  "math",
  "dmath",
  "dmath*",
]);
export const MATH_INNER_ENVS = new Set([
  "aligned", "alignedat", "gathered", "split", "cases", "cases*", "dcases", "rcases", "matrix", "pmatrix",
  "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix", "array", "subarray", "CD", "multlined",
]);
export const LIST_ENVS = new Set(["enumerate", "itemize", "description", "enumerate*", "itemize*", "description*"]);
/** Tables whose cells a list's `\item`s may sit in (lists.ts). */
export const TABLE_ENVS = new Set(["tabular", "tabular*", "tabularx", "tabulary", "longtable", "supertabular"]);
// rotating's sidewaysfigure/sidewaystable are the same floats turned on the page (numbered and captioned alike)
export const FLOAT_ENVS: Record<string, string> = { figure: "figure", "figure*": "figure", table: "table", "table*": "table", wrapfigure: "figure", sidewaysfigure: "figure", "sidewaysfigure*": "figure", sidewaystable: "table", "sidewaystable*": "table" };
export const KNOWN_ENVS = new Set([
  "document", "center", "flushleft", "flushright", "quote", "quotation", "verse", "minipage", "tabular",
  "tabular*", "tabularx", "longtable", "array", "tikzpicture", "tikzcd", "picture", "abstract", "titlepage",
  "multicols", "multicols*", "proof", "thebibliography", "theindex", "small", "footnotesize", "scriptsize",
  "large", "Large", "normalsize", "subfigure", "subequations", "appendices", "frame", "block", "alertblock",
  "exampleblock", "columns", "column", "adjustbox", "framed", "mdframed", "tcolorbox", "hint", "hints", "quiz",
  "otherlanguage", "otherlanguage*", "sloppypar", "spacing", "singlespace", "onehalfspace", "doublespace",
  "landscape", "axis", "scope", "filecontents", "filecontents*", "comment", "lstlisting", "exercises",
  ...LIST_ENVS, ...MATH_ENVS, ...MATH_INNER_ENVS, ...Object.keys(FLOAT_ENVS), ...CODE_ENVS,
]);
export const REF_CMDS = new Set(["ref", "pageref", "eqref", "cref", "Cref", "autoref", "Autoref", "nameref", "vref", "Vref", "labelcref", "namecref", "nameCref", "cpageref", "Cpageref"]);
/**
 * A `\label`/`\ref` key as TeX reads it: a comment goes with its line end, a line end is a space, the next
 * line's indentation is skipped and a run of spaces is one, so `\ref{def one⏎  sided}` finds
 * `\label{def one sided}` (the same tokens, as in the .aux).
 */
export function labelKey(raw: string): string {
  return raw
    .replace(/(?<!\\)%[^\n]*(?:\n[ \t]*)?/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

export const DEFINERS = new Set(["newcommand", "renewcommand", "providecommand", "DeclareRobustCommand", "DeclareMathOperator", "NewDocumentCommand", "RenewDocumentCommand", "ProvideDocumentCommand", "DeclareDocumentCommand"]);
export const INCLUDES = new Set(["input", "include", "subfile", "import", "subimport", "inputfrom", "subinputfrom", "includefrom", "subincludefrom"]);

export const EXERCISE_CONTAINER = /^(exercises|problems|exercise-?list|exlist|problemset|problem-?list|homework|aufgaben|uebungen)\*?$/i;
export const EXERCISE_LIST_ENV = /exercis|problem|homework|aufgab/i;
export const EXERCISE_HEADING = /^(exercises|problems|homework|further exercises|aufgaben|übungen)\b/i;
/** A heading that holds exercises, with a word before it ("Practice exercises", "Chapter problems"): where a box printing only its number is an exercise. */
export const EXERCISES_TITLE = /^(?:[\p{L}-]+\s+)?(?:exercises|problems|homework|aufgaben|übungen|øvelser|opgaver)\s*$/iu;

export const DEFAULT_ENUM_LABELS = ["\\arabic*.", "(\\alph*)", "\\roman*.", "\\Alph*."];
// LaTeX's \p@enumii etc. prefix nested refs with the outer item ("1a", "1(a)i").
export const DEFAULT_ENUM_REFS = ["\\arabic*", "\\theenumi\\alph*", "\\theenumi(\\theenumii)\\roman*", "\\theenumi(\\theenumii)\\theenumiii\\Alph*"];
export const ENUM_COUNTERS = ["enumi", "enumii", "enumiii", "enumiv"];

export const MAX_DEPTH = 400;
export const MAX_INCLUDES = 2000;

/**
 * Identifiers books give their exercise boxes and counters — not solutions, answers or hints to them: a box that
 * prints only its number ("2.15", OpenIntro's `\eoce`) is an exercise when its macro or counter is named so. The
 * engine's reading of a trace (`engine/numbered-items.ts`) uses the same rule.
 */
export const EXERCISE_IDENTIFIER = /^(?!.*(?:sol|ans|hint|loes|løs))(?:ex|exer|exercises?|eoce|prob|problems?|hw|homework|opg|opgaver?|oevelser?|øvelser?|aufgaben?)(?:counter|cnt|ctr|num|nr|no|s)?$/i;

/**
 * `{text}` → `text` when one brace group encloses all of it (`{thm:a}` → `thm:a`); anything else as it is
 * (`Proposition\assumesAC{x}` keeps its closing brace, `{a}{b}` both groups).
 */
export function unbrace(v: string): string {
  if (!v.startsWith("{") || !v.endsWith("}")) return v;
  let depth = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === "{") depth++;
    else if (v[i] === "}" && --depth === 0 && i < v.length - 1) return v;
  }
  return v.slice(1, -1);
}
