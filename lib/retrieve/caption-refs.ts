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
/**
 * A figure, table or equation named in a question: "Figure 2.1", "fig. 2.1", "Tab 3", "table no. 3", "eq (1.4.1)",
 * "Figure A.2" — a number with a digit: "the normal equations A^T A x" names no equation A.
 */
const NAMED = /\b(fig(?:ure)?|tab(?:le)?|eq(?:uation|n)?)s?\.?\s*(?:no\.?\s*|#\s*)?\(?((?:\d+|[A-Z])(?:\.\d+)+|\d+)(?!\.?\d|[a-z])\)?/gi;

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
    const label = `${/^f/i.test(m[1]) ? "Figure" : /^t/i.test(m[1]) ? "Table" : "Equation"} ${m[2]}`;
    const passageId = index.get(label);
    if (passageId && !isItem(label) && !out.some((o) => o.label === label)) out.push({ label, passageId });
  }
  return out;
}
