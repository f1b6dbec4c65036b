import type { ItemRow } from "../store/schema";

/**
 * Exercises a book numbers by chapter and letter ("Exercise 11A": forall x's lettered practice parts, Napkin's
 * "Problem 1A"), named the ways students write them: "exercise 11A", "ex. 11 A", "11A", "part A of chapter 11's
 * exercises", "chapter 11 practice exercises part A", "exercise 11 part A". Read only when the course has the
 * lettered item: elsewhere "exercise 12b" is part (b) of Exercise 12, which `extractRefs` reads.
 */
export interface LetteredRef {
  item: ItemRow;
  /** The part asked for ("b" of "11Ab", "3" of "11A.3"), when one is. */
  part?: string;
  index: number;
  length: number;
}

const LETTERED = /^(\d+)([A-Z])$/;
const EXERCISE_WORD = String.raw`(?:exercises?|exercise\s+set|exerc|ex|problems?|prob|practice\s+exercises?|part)`;
const CHAPTER_WORD = String.raw`(?:chapter|chap|ch)`;
/** A part right after the letter: "11Ab", "11A(b)", "11A(3)", "11A.3". */
const PART = String.raw`(?:\s*\(\s*(?<pp>[a-h]|\d{1,2})\s*\)|(?<pb>[a-h])|\.(?<pd>\d{1,2}))?`;
const FORMS = [
  // "exercise 11A", "ex. 11 A", "problem 11-A", and "11A" typed alone (no space then)
  new RegExp(String.raw`(?<![\p{L}\d.])(?:${EXERCISE_WORD}\.?\s*(?<n>\d+)\s?-?\s?|(?<n2>\d+))(?<l>[A-Za-z])${PART}(?![\p{L}\d])`, "giu"),
  // "part A of chapter 11's exercises", "exercise A in ch 11", "set B from chapter 3"
  new RegExp(String.raw`(?<![\p{L}\d])(?:part|exercise|set)\s+(?<l>[A-Za-z])\s+(?:of|in|from|for)\s+(?:the\s+)?${CHAPTER_WORD}\.?\s*(?<n>\d+)(?![\d.]*\d)`, "giu"),
  // "chapter 3 practice exercises part E", "exercise 11 part A", "ch 12 exercises, part B"
  new RegExp(String.raw`(?<![\p{L}\d])(?:${CHAPTER_WORD}|exercises?|ex)\.?\s*(?<n>\d+)(?:'s)?(?:\s+(?:practice\s+)?(?:exercises?|problems?))?\s*,?\s+part\s+(?<l>[A-Za-z])(?![\p{L}\d])`, "giu"),
];

const MATH_NEAR = /[=+\-*/^_(){}<>|$\\]/;

/** The lettered exercises a question names, where it names them (each span once, leftmost form first). */
export function findLetteredRefs(text: string, items: ItemRow[]): LetteredRef[] {
  const lettered = letteredItems(items);
  if (!lettered.size) return [];
  const out: LetteredRef[] = [];
  for (const re of FORMS) {
    for (const m of text.matchAll(re)) {
      const g = m.groups!;
      const item = lettered.get(`${g.n ?? g.n2}${g.l.toUpperCase()}`);
      if (!item) continue;
      const index = m.index!;
      // "11a" typed alone beside an operator is algebra ("3a + 2b = 7"), not Exercise 3A
      if (g.n2 && g.l === g.l.toLowerCase() && MATH_NEAR.test(`${text.slice(Math.max(0, index - 3), index)} ${text.slice(index + m[0].length, index + m[0].length + 3)}`)) continue;
      if (out.some((r) => index < r.index + r.length && r.index < index + m[0].length)) continue;
      const part = (g.pp ?? g.pb ?? g.pd)?.toLowerCase();
      out.push({ item, index, length: m[0].length, ...(part ? { part } : {}) });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

const letteredCache = new WeakMap<ItemRow[], Map<string, ItemRow>>();

/** The course's lettered items by number ("11A" → Exercise 11A), once per item list (every question reads it). */
function letteredItems(items: ItemRow[]): Map<string, ItemRow> {
  let lettered = letteredCache.get(items);
  if (!lettered) {
    lettered = new Map();
    for (const i of items) if (LETTERED.test(i.number) && !lettered.has(i.number)) lettered.set(i.number, i);
    letteredCache.set(items, lettered);
  }
  return lettered;
}
