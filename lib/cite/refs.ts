import { formatLabel } from "../course/labels";
import type { KnownCitableKind } from "../course/types";

/**
 * What students (and models) type for each kind, lower case, without the trailing dot. Danish names are
 * included because the course is taught in Denmark and questions mix the languages ("opg 1.41").
 */
const ALIASES: Record<KnownCitableKind, string[]> = {
  exercise: ["exercise", "exercises", "exerc", "exer", "exc", "ex", "opgave", "opgaver", "opg", "øvelse", "øvelser", "øv"],
  definition: ["definition", "definitions", "defn", "def", "defs"],
  theorem: ["theorem", "theorems", "thm", "thms", "th", "sætning", "saetning", "sætn"],
  lemma: ["lemma", "lemmas", "lemmata", "lem"],
  proposition: ["proposition", "propositions", "prop", "props"],
  corollary: ["corollary", "corollaries", "coroll", "cor", "korollar"],
  example: ["example", "examples", "eks", "eksempel", "eg"],
  remark: ["remark", "remarks", "rem", "bemærkning"],
  section: ["section", "sections", "sect", "sec", "afsnit", "§", "§§"],
  subsection: ["subsection", "subsections", "subsec", "ssec"],
  chapter: ["chapter", "chapters", "chap", "ch", "kapitel"],
};

/** A book's appendices are chapters printed "Appendix A" (LaTeX's `\appendixname`). */
const APPENDIX_WORDS = new Set(["appendix", "appendices", "appx", "bilag"]);

/** The kinds whose names and abbreviations this module reads; a course's own kinds ("Method") are read elsewhere. */
export const KNOWN_REF_KINDS: ReadonlySet<string> = new Set(Object.keys(ALIASES));

const ALIAS_TO_KIND = new Map<string, KnownCitableKind>();
for (const [kind, names] of Object.entries(ALIASES)) for (const n of names) ALIAS_TO_KIND.set(n, kind as KnownCitableKind);
for (const n of APPENDIX_WORDS) ALIAS_TO_KIND.set(n, "chapter");

const ALIAS_PATTERN = [...ALIAS_TO_KIND.keys()]
  .sort((a, b) => b.length - a.length)
  .map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
  .join("|");

/** Every alias of the kinds other than `except` (lower case), e.g. the words that name a theorem-like item. */
export function refAliases(except: ReadonlySet<string> = new Set()): string[] {
  return [...ALIAS_TO_KIND].filter(([, kind]) => !except.has(kind)).map(([alias]) => alias);
}

/** The kind an alias names ("thm" → "theorem"), or undefined. */
export function kindOfAlias(alias: string): KnownCitableKind | undefined {
  return ALIAS_TO_KIND.get(alias.toLowerCase());
}

/** A parsed reference: kind may be unknown ("1.41"), part is a letter ("b" of "1.41(b)"). */
export interface Ref {
  kind?: KnownCitableKind;
  number: string;
  part?: string;
  /** Typed as an appendix ("Appendix A"): a chapter the book prints under that name. */
  appendix?: true;
}

/**
 * A part of a number after a dot: digits, or one capital letter for a book that letters some headings within a
 * chapter ("Section 4.E", "Definition 0.E.1", Axler's "1.A"). Matched without regard to case; a lower-case letter
 * is cut off by `numberAsPrinted`.
 */
const SEGMENT = String.raw`\.(?:\d+|[A-Z](?![\p{L}\d]))`;
/** A number, or an appendix letter ("A.2") that must stand apart from the kind word ("Exercises" is not "Exercise s"). */
const NUMBER = String.raw`(?:\d+(?:${SEGMENT}){0,3}|(?<=[\s.§]|^)[A-Z](?:\.\d+){0,3})`;
/** In free text a number must contain a digit (appendix "A.2" but not the "e" of "the"), or be an appendix's letter ("Appendix B"). */
const TEXT_NUMBER = String.raw`(?:\d+(?:${SEGMENT}){0,3}|[A-Z](?:\.\d+){1,3}|(?<=(?:${[...APPENDIX_WORDS].join("|")})\.?\s*)[A-Z](?![\p{L}\d]))`;

/** A number up to its first lower-case letter part ("2.a" is 2 then prose, "4.E" a lettered heading). */
function numberAsPrinted(number: string): string {
  const cut = /\.[a-z]/.exec(number);
  return cut ? number.slice(0, cut.index) : number;
}
/** One whole reference, e.g. "Ex. 1.41(b)", "§1.6", "thm 7.13", "1.41". */
const SINGLE_RE = new RegExp(String.raw`^\s*(?:(${ALIAS_PATTERN})\.?\s*)?(${NUMBER})\s*(?:\(\s*([a-z])\s*\)|([a-z]))?\s*\.?\s*$`, "iu");

/**
 * Compatibility forms folded (NFKC: full-width digits, ligatures), no-break spaces made spaces, and
 * invisible format characters (zero-width spaces, bidi overrides, soft hyphens — pasted from PDFs and
 * chat apps) dropped. Idempotent: a caller that uses `extractRefs` offsets normalises its text first.
 */
export function normaliseRefText(text: string): string {
  return text.normalize("NFKC").replace(/\u00a0|\u202f/g, " ").replace(/\p{Cf}/gu, "");
}

/** Parses one reference as typed ("Exercise 1.41", "ex 1.41(b)", "Def. 8.2", "§1.6", "1.41"). Null if it is not one. */
export function parseRef(input: string): Ref | null {
  const m = SINGLE_RE.exec(normaliseRefText(input));
  if (!m) return null;
  const [, alias, typed, partParen, partBare] = m;
  const number = numberAsPrinted(typed);
  if (number !== typed) return null;
  const ref: Ref = { number };
  if (alias) ref.kind = ALIAS_TO_KIND.get(alias.toLowerCase());
  if (alias && APPENDIX_WORDS.has(alias.toLowerCase())) markAppendix(ref);
  const part = (partParen ?? partBare)?.toLowerCase();
  if (part) ref.part = part;
  // "Section 1" names a chapter-level number; keep as typed, lookup decides.
  return ref;
}

/** "Appendix A" is the chapter printed so; "Appendix A.2" means its Section A.2. */
function markAppendix(ref: Ref): void {
  if (ref.number.includes(".")) ref.kind = "section";
  else ref.appendix = true;
}

/** "Exercise 1.41" ("Appendix A") for a ref with a kind, else null. */
export function refLabel(ref: Ref): string | null {
  if (ref.appendix) return `Appendix ${ref.number}`;
  return ref.kind ? formatLabel(ref.kind, ref.number) : null;
}

/** A reference in free text: an alias, then a number, then maybe a part ("Ex. 1.41(b)", "thm 7.13"). */
const TEXT_REF_RE = new RegExp(
  String.raw`(?<![\p{L}\d.])(${ALIAS_PATTERN})\.?\s*(${TEXT_NUMBER})(?:\s*\(\s*([a-z])\s*\)|([a-z])(?![\p{L}]))?(?![\d]|\.\d)`,
  "giu",
);

export type FoundRef = Ref & { kind: KnownCitableKind; match: string; index: number };

/**
 * The first explicit reference at or after offset `from` of a text already passed through
 * `normaliseRefText` (so offsets are into that text), or null. Scanning a long answer reference by
 * reference this way stays linear in its length.
 */
export function nextRef(normalised: string, from = 0): FoundRef | null {
  TEXT_REF_RE.lastIndex = from;
  let m = TEXT_REF_RE.exec(normalised);
  // An appendix is a capital letter: "the appendix a while ago" names none.
  while (m && APPENDIX_WORDS.has(m[1].toLowerCase()) && /^[a-z]$/.test(m[2])) m = TEXT_REF_RE.exec(normalised);
  if (!m) return null;
  const number = numberAsPrinted(m[2]);
  // "thm 2.a…": the number ends before the lower-case letter, and so does the match.
  const match = number === m[2] ? m[0] : m[0].slice(0, m[0].indexOf(m[2]) + number.length);
  const ref: FoundRef = { kind: ALIAS_TO_KIND.get(m[1].toLowerCase())!, number, match, index: m.index };
  if (APPENDIX_WORDS.has(m[1].toLowerCase())) markAppendix(ref);
  const part = number === m[2] ? (m[3] ?? m[4])?.toLowerCase() : undefined;
  if (part) ref.part = part;
  return ref;
}

/** Finds every explicit reference inside free text ("In Exercise 1.41(b) and Def 1.42 …"), in order, deduplicated. */
export function extractRefs(text: string): FoundRef[] {
  const normalised = normaliseRefText(text);
  const out: FoundRef[] = [];
  const seen = new Set<string>();
  for (let ref = nextRef(normalised); ref; ref = nextRef(normalised, ref.index + ref.match.length)) {
    const key = `${ref.kind} ${ref.number} ${ref.part ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ref);
  }
  return out;
}
