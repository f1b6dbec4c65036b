import type { ItemRow } from "../store/schema";

/** Kinds of item whose emphasised words are the terms they define ("Definition", "Defn", "Terminology"). */
const DEFINING_KIND = /^(def|terminolog|notation)/i;
/** An emphasised run as the ingest keeps it from \emph, \textit, \textbf or Markdown: `*basis*`, `**truth table**`. */
const EMPHASIS = /(?<![*\w])\*{1,2}([^*\n$]{2,60}?)\*{1,2}(?![*\w])/g;

/**
 * The terms a course defines: the emphasised words of its definitions ("A *basis* for V is …", "the *truth
 * table*"). Authors set the defined term in italics or bold, so these are the course's own vocabulary even when
 * they are everyday English ("basis", "implication", "zero") and the headings do not name them (a book whose
 * headings are "Lecture 10"). Counted with the headings and item titles as course terms.
 */
export function definedTerms(items: Pick<ItemRow, "kind" | "text">[]): string[] {
  const out = new Set<string>();
  for (const item of items) {
    if (!DEFINING_KIND.test(item.kind)) continue;
    for (const m of item.text.matchAll(EMPHASIS)) out.add(m[1].trim().toLowerCase());
  }
  return [...out];
}
