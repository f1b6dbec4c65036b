import type { ItemRow } from "../store/schema";
import { isStopWord, stem, words } from "./terms";

/**
 * Numbers students type without a kind word, confirmed by the rest of the question: "5.4 conditional – why is it
 * true…" names Section 5.4 when its title is "Conditionals"; "what's in 3.6.5, the checklist for sketching?" names
 * Subsection 3.6.5 ("A checklist for sketching") rather than Example 3.6.5, which shares the number. A number alone
 * may be math ("is 5.4 bigger than 5.38?"), so it is a label only when a word of the question is a word of that
 * label's title.
 */

/**
 * Words for numbered things that are not items of the course ("figure 2.1", "page 5.4", "lecture 3.2", "step 1.2"):
 * a number after one is theirs, never a bare label.
 */
const NUMBERED_THING = /^(?:fig(?:ure)?s?|tab(?:le)?s?|tbl|eq(?:uation|n)?s?|pages?|pg|pp?|lines?|slides?|lectures?|weeks?|hw|homework|assignments?|quiz(?:zes)?|tests?|exams?|versions?|steps?|parts?|items?|rows?|columns?|cols?|units?|modules?|lessons?|appendix|listing|code|algorithm|alg|box)$/i;

/** Whether the word before a number says what the number counts ("figure", "page", "step"). */
export function countsSomethingElse(wordBefore: string | undefined): boolean {
  return !!wordBefore && NUMBERED_THING.test(wordBefore);
}

/** The stems of a text's content words. */
export function contentStems(text: string): Set<string> {
  return new Set(words(text).filter((w) => w.length > 2 && !isStopWord(w) && !/^\d/.test(w)).map(stem));
}

/** How many of the question's content words the item's title has. */
function titleOverlap(item: ItemRow, question: Set<string>): number {
  let n = 0;
  for (const s of contentStems(item.title)) if (question.has(s)) n++;
  return n;
}

/**
 * The item numbered `number` whose title shares the most words with the question (the number itself left out),
 * when exactly one does; none when no title shares a word, or two share as many.
 */
export function titleConfirmedItem(items: ItemRow[], number: string, question: string): ItemRow | undefined {
  const same = items.filter((i) => i.number === number && i.title);
  if (!same.length) return undefined;
  const stems = contentStems(question);
  const scored = same.map((item) => ({ item, n: titleOverlap(item, stems) })).sort((a, b) => b.n - a.n);
  if (!scored[0].n || (scored[1] && scored[1].n === scored[0].n)) return undefined;
  return scored[0].item;
}

/** "ch.5 sec 1", "chapter 5, section 1", "chap 2 §3": a chapter, then a section numbered within it. */
const CHAPTER_THEN_SECTION = /(?<![\p{L}\d.])(?:chapter|chap|ch|kapitel)\.?\s*(\d+)\s*[,:;/-]?\s*(?:sections?|sect|sec|§|afsnit)\.?\s*(\d+)(?![\d\p{L}]|\.\d)/giu;

/**
 * The text with "chapter 5 section 1" written "§5.1" (spaces keep every later offset) when the course has a
 * heading numbered 5.1; the rest is read as usual.
 */
export function joinChapterSection(text: string, items: ItemRow[]): string {
  let out = text;
  for (const m of text.matchAll(CHAPTER_THEN_SECTION)) {
    const number = `${m[1]}.${m[2]}`;
    if (!items.some((i) => (i.kind === "section" || i.kind === "subsection") && i.number === number)) continue;
    const joined = `§${number}`;
    out = out.slice(0, m.index!) + joined + " ".repeat(m[0].length - joined.length) + out.slice(m.index! + m[0].length);
  }
  return out;
}
