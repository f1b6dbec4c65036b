import type { ItemRow } from "../store/schema";
import { perContainerItems } from "./ref-forms";

/**
 * The other half of the explicit-reference stress check: labels the course does NOT have, typed the ways students
 * type real ones ("Theorem 19.1", "thm 19.1", "hint for exercise 2.1.47?", "problem 47 in section 2.1", "§19.1",
 * "chapter 19"). Retrieval must report each as absent (issue 11: "labels that do not exist reported as such 100 %").
 * The numbers are made from the course's own numbering so they look real: past the last chapter, and past the last
 * item of a real chapter or section.
 */
export interface AbsentProbe {
  /** Which form ("printed label", "abbrev", "S #n"…): the check reports the share reported per form. */
  form: string;
  /** The number the absent report must name ("2.1.47"). */
  number: string;
  question: string;
}

const HEADING_KINDS = new Set(["chapter", "section", "subsection"]);
const ABBREVIATIONS: Record<string, string> = { exercise: "ex", theorem: "thm", definition: "def", lemma: "lem", corollary: "cor", proposition: "prop", example: "eg", problem: "prob", section: "sec" };
const CARRIERS = ["{ref}", "hint for {ref}?", "I'm stuck on {ref}, can you help?", "what does {ref} say", "can you explain {ref} to me"];

function printedWord(item: ItemRow): string {
  return item.label.slice(0, item.label.length - item.number.length).trim();
}

/** Every absent probe for a course's items (deterministic). */
export function absentProbes(items: ItemRow[]): AbsentProbe[] {
  const numbers = new Set(items.map((i) => i.number));
  const probes: { form: string; number: string; ref: string }[] = [];
  const add = (form: string, number: string, ref: string) => {
    if (!numbers.has(number)) probes.push({ form, number, ref });
  };
  const numeric = items.filter((i) => /^\d+(\.\d+)*$/.test(i.number));
  const chapters = numeric.map((i) => Number(i.number.split(".")[0]));
  if (!chapters.length) return [];
  // Past the last chapter, far enough that no appendix or front matter has it.
  const beyond = Math.max(...chapters) + 7;

  const byWord = new Map<string, ItemRow[]>();
  for (const i of numeric) {
    const word = printedWord(i);
    if (!word || !/^[A-Z][a-z]+$/.test(word)) continue;
    byWord.set(word, [...(byWord.get(word) ?? []), i]);
  }
  for (const [word, list] of byWord) {
    const lower = word.toLowerCase();
    const depth = mostCommon(list.map((i) => i.number.split(".").length));
    const heading = list.some((i) => HEADING_KINDS.has(i.kind));
    // "Theorem 19.1": a chapter the course does not have.
    const far = depth === 1 ? String(Math.max(...list.map((i) => Number(i.number))) + 50) : [beyond, ...Array(depth - 1).fill(1)].join(".");
    add("printed label", far, `${word} ${far}`);
    add("lower case", far, `${lower} ${far}`);
    const abbr = ABBREVIATIONS[lower];
    if (abbr) add("abbrev", far, `${abbr} ${far}`);
    if (heading && lower === "section") add("§n", far, `§${far}`);
    // "Exercise 2.1.47": past the last of its kind in a real container.
    if (depth >= 2 && !heading) {
      const last = list.reduce((a, b) => (a.ord > b.ord ? a : b));
      const prefix = last.number.slice(0, last.number.lastIndexOf("."));
      const past = `${prefix}.${Math.max(...list.filter((i) => i.number.startsWith(`${prefix}.`)).map((i) => Number(i.number.slice(prefix.length + 1)))) + 40}`;
      add("printed label, real container", past, `${word} ${past}`);
      add("lower case, real container", past, `${lower} ${past}`);
    }
  }
  // Place forms, where a course numbers its exercises 1, 2, 3… in each section or chapter.
  for (const [prefix, { heading, exercises }] of perContainerItems(items, "exercise")) {
    const n = exercises.length + 40;
    const where = printedWord(heading).toLowerCase();
    add("problem n in <heading> S", `${prefix}.${n}`, `problem ${n} in ${where} ${prefix}`);
    if (prefix.includes(".")) add("S #n", `${prefix}.${n}`, `${prefix} #${n}`);
    break; // one container is enough per form
  }
  return probes.map((p, i) => ({ form: p.form, number: p.number, question: CARRIERS[i % CARRIERS.length].replace("{ref}", p.ref) }));
}

/** True when a search reported the probe's label absent (named with the probe's number, under any kind word). */
export function reportsAbsent(probe: AbsentProbe, absent: { label: string }[]): boolean {
  return absent.some((a) => a.label.endsWith(` ${probe.number}`) || a.label.endsWith(`§${probe.number}`));
}

function mostCommon(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
}
