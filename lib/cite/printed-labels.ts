/**
 * Figures, tables and numbered displays as citable labels: "Figure 2.1", "Table 3", "Equation 1.4.1". A course
 * prints their numbers (a caption "Figure 2.1: …", an equation's "(1.4.1)") without holding them as items; the
 * ingest writes each into its passage ("Figure 2.1: …" at a line's start, `\tag{1.4.1}` in the display), so the
 * label names the passage that prints it. Pure and client-safe: the chat's chips read the same forms the server's
 * citation check and lookup read.
 */

export type PrintedKind = "Figure" | "Table" | "Equation";

export interface PrintedRef {
  kind: PrintedKind;
  /** "2.1", "A.3", "1.4.1". */
  number: string;
  /** "Figure 2.1", "Equation 1.4.1": the label the lookup, the search JSON and the verdicts use. */
  label: string;
}

/** A printed number: "2.1", "12", "A.3", "1.4.1". */
const NUMBER = String.raw`(?:\d+|[A-Z])(?:\.\d+)*`;
/** "fig", "Figure", "Figs.", "tab", "Table", "eq", "eqn", "Equation", "Equations". */
const WORD = String.raw`fig(?:ure)?|tab(?:le)?|eq(?:uation|n)?`;

/**
 * A figure, table or equation named in free text: "Figure 2.1", "fig. 2.1", "Tab 3", "table no. 3", "eq (1.4.1)",
 * "Figure A.2" — a number with a digit: "the normal equations A^T A x" names no equation A; "the equation 2x + 3"
 * names no equation 2. Groups: 1 the word, 2 the number.
 */
export const PRINTED_REF_SOURCE = String.raw`\b(${WORD})s?\.?\s*(?:no\.?\s*|#\s*)?\(?((?:\d+|[A-Z])(?:\.\d+)+|\d+)(?!\.?\d|[a-z])\)?`;

/** One whole reference, as a chip or the cite page gets it: "Figure 2.1", "Fig. 2.1", "Equation (1.4.1)", "eq 1.4.1". */
const SINGLE_RE = new RegExp(String.raw`^\s*(${WORD})s?\.?\s*\(?\s*(${NUMBER})\s*\)?\s*\.?\s*$`, "i");

/** "fig" / "Table" / "eqn" → the printed kind. */
export function printedKindOf(word: string): PrintedKind {
  return /^f/i.test(word) ? "Figure" : /^t/i.test(word) ? "Table" : "Equation";
}

/** "Figure" + "2.1" → "Figure 2.1". */
export function printedLabel(kind: PrintedKind, number: string): string {
  return `${kind} ${number}`;
}

/** Parses one reference as typed ("Fig. 2.1", "table 3", "Equation (1.4.1)"); null when it is not one. */
export function parsePrintedRef(input: string): PrintedRef | null {
  const m = SINGLE_RE.exec(input.normalize("NFKC"));
  if (!m) return null;
  const kind = printedKindOf(m[1]);
  return { kind, number: m[2], label: printedLabel(kind, m[2]) };
}

/** A printed reference found in free text, at an offset of the text searched. */
export type FoundPrintedRef = PrintedRef & { match: string; index: number };

/** The first figure, table or equation named at or after `from` in a text, or null. */
export function nextPrintedRef(text: string, from = 0): FoundPrintedRef | null {
  const re = new RegExp(PRINTED_REF_SOURCE, "gi");
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m) return null;
  const kind = printedKindOf(m[1]);
  // "(see Fig. 2.1)": the bracket closing the sentence's own "(" is not the reference's.
  const match = m[0].endsWith(")") && !m[0].includes("(") ? m[0].slice(0, -1) : m[0];
  return { kind, number: m[2], label: printedLabel(kind, m[2]), match, index: m.index };
}

/** Whether a label is a figure's, a table's or an equation's, as `printedLabel` writes it. */
export function isPrintedLabel(label: string): boolean {
  return /^(?:Figure|Table|Equation) /.test(label) && parsePrintedRef(label) !== null;
}

/**
 * "1.41" → 1.041, "3.2.1" → 3.002001, "A.3" (a letter: after every chapter): the numbers' order within a book, for
 * "nearest" (labels here, items in lib/cite/lookup.ts).
 */
export function numberOrder(number: string): number {
  return number
    .split(".")
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p.charCodeAt(0) + 1000))
    .reduce((acc, p, i) => acc + p * Math.pow(1000, -i), 0);
}

/**
 * The labels of the same kind nearest a number the course does not print ("Figure 9.9" → "Figure 2.3", …): same
 * depth first, then the closest numbers; at most five.
 */
export function nearestPrinted(ref: Pick<PrintedRef, "kind" | "number">, labels: Iterable<string>): string[] {
  const depth = ref.number.split(".").length;
  const target = numberOrder(ref.number);
  return [...labels]
    .map((label) => parsePrintedRef(label))
    .filter((p): p is PrintedRef => !!p && p.kind === ref.kind)
    .map((p) => ({ label: p.label, score: Math.abs(numberOrder(p.number) - target) + (p.number.split(".").length === depth ? 0 : 1e6) }))
    .sort((a, b) => a.score - b.score)
    .slice(0, 5)
    .map((s) => s.label);
}

/**
 * Where, in the passage that prints it, a figure, table or equation begins: the paragraph of its caption line
 * ("Figure 2.1: …", after the figure's own image paragraph `![figure](…)`) or of the display tagged with its number.
 * 0 when the text does not print it (then the passage is read from its start).
 */
export function printedOffset(text: string, label: string): number {
  const ref = parsePrintedRef(label);
  if (!ref) return 0;
  const number = ref.number.replace(/\./g, "\\.");
  const at = (ref.kind === "Equation" ? new RegExp(`\\\\tag\\{${number}\\}`) : new RegExp(`^${ref.kind} ${number}:`, "m")).exec(text)?.index;
  if (at === undefined) return 0;
  let start = paragraphStart(text, at);
  // The image a caption belongs to is the paragraph before it.
  const before = paragraphStart(text, Math.max(0, start - 2));
  if (start > 0 && /^!\[[^\]\n]*\]\([^\n]*\)\s*$/.test(text.slice(before, start).trim())) start = before;
  return start;
}

function paragraphStart(text: string, at: number): number {
  const m = /\n[ \t]*\n/g;
  let start = 0;
  for (let x = m.exec(text); x && x.index < at; x = m.exec(text)) start = x.index + x[0].length;
  return start;
}
