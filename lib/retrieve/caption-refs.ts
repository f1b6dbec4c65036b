import { nearestPrinted, PRINTED_REF_SOURCE, printedKindOf, printedLabel, type PrintedKind } from "../cite/printed-labels";
import type { AbsentLabel } from "./question-refs";

/**
 * Figures, tables and displayed equations a question names ("what does Figure 2.1 show", "fig. 3.2", "table 4",
 * "eq (1.4.1)") in a course that prints their numbers but does not hold them as items: the ingest writes each
 * caption into its passage as "Figure 2.1: …" and each equation number as "\tag{1.4.1}", so the passage holding it
 * is the one named. Read only for a number the course prints — and then never reported absent.
 */

/** A caption as the ingest writes it at the start of a line: "Figure 2.1: Histogram of …", "Table 3: …". */
const CAPTION_LINE = /^(Figure|Table) ((?:\d+|[A-Z])(?:\.\d+)*):/gm;
/** An equation number as the ingest writes it into the display: "\tag{1.4.1}". */
const EQUATION_TAG = /\\tag\{((?:\d+|[A-Z])(?:\.\d+)*)\}/g;
/** A figure, table or equation named in a question: the forms of lib/cite/printed-labels.ts. */
const NAMED = new RegExp(PRINTED_REF_SOURCE, "gi");

/** Caption label ("Figure 2.1") → the passage whose text holds that caption (the first, in passage order). */
export function captionIndex(passages: { id: string; text: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of passages) {
    for (const m of p.text.matchAll(CAPTION_LINE)) {
      const label = `${m[1]} ${m[2]}`;
      if (!out.has(label)) out.set(label, p.id);
    }
    for (const m of p.text.matchAll(EQUATION_TAG)) if (!out.has(`Equation ${m[1]}`)) out.set(`Equation ${m[1]}`, p.id);
  }
  return out;
}

/**
 * The passages of the figures and tables a question names, in the question's order, for the captions the course
 * has and the labels it does not hold as items (`isItem`).
 */
export function captionRefs(question: string, index: Map<string, string>, isItem: (label: string) => boolean): { label: string; passageId: string }[] {
  if (!index.size) return [];
  const out: { label: string; passageId: string }[] = [];
  for (const m of question.matchAll(NAMED)) {
    const label = printedLabel(printedKindOf(m[1]), m[2]);
    const passageId = index.get(label);
    if (passageId && !isItem(label) && !out.some((o) => o.label === label)) out.push({ label, passageId });
  }
  return out;
}

/**
 * Figures, tables and equations a question names that the course does not print, for a kind it does print ("Figure
 * 9.9" in a course with Figures 1.1–2.3), and holds as no item: reported absent with the nearest of that kind. A
 * course printing no figure at all is not asked ("figure 3" may be the student's own), nor is "equation 2" in a
 * course that numbers no display.
 */
export function absentCaptions(question: string, index: Map<string, string>, isItem: (label: string) => boolean): AbsentLabel[] {
  if (!index.size) return [];
  const printedKinds = new Set<PrintedKind>();
  for (const label of index.keys()) printedKinds.add(label.slice(0, label.indexOf(" ")) as PrintedKind);
  const out: AbsentLabel[] = [];
  for (const m of question.matchAll(NAMED)) {
    const kind = printedKindOf(m[1]);
    const label = printedLabel(kind, m[2]);
    if (!printedKinds.has(kind) || index.has(label) || isItem(label) || out.some((o) => o.label === label)) continue;
    out.push({ label, nearest: nearestPrinted({ kind, number: m[2] }, index.keys()) });
  }
  return out;
}
