import { resolveRef } from "../cite/lookup";
import { isPrintedLabel, nextPrintedRef, printedLabel } from "../cite/printed-labels";
import { nextRef, normaliseRefText, parseRef, refLabel } from "../cite/refs";
import type { SearchResult } from "../retrieve/search";
import type { ItemRow } from "../store/schema";
import { citeUrl, type CitationCheck, type CitationsData } from "./contract";

/** One reference found in an answer. */
export interface ExtractedCitation {
  /** Normalised label, "Exercise 1.41" (kind name + number, without the part). */
  label: string;
  /** "b" of "Exercise 1.41(b)". */
  part?: string;
  /** Inside square brackets, as the prompt asks the model to cite. */
  bracketed: boolean;
  /** Offset in the NFKC-normalised text. */
  index: number;
  /**
   * Only implied by a range ("1.42" of "Exercises 1.41–1.43"): notes that number every kind on one counter
   * have no Exercise 1.42 when 1.42 is a definition, so such a label is skipped when the course lacks it.
   */
  between?: boolean;
}

/** Longest range we expand ("Exercises 1.41–1.43"); beyond it only the two ends are cited. */
const MAX_RANGE = 30;

/**
 * The continuation of a reference: "–1.43", ", 1.44(b)", " and 1.45", " to 1.47". The number must have the same
 * depth as the first one, so "Section 1.6 and 2 more" does not cite "2".
 */
const CONTINUATION_RE = /\s*(–|—|‒|-|to|through|til|,|and|og|or|&)\s*(\d+(?:\.\d+){0,3})(?:\s*\(\s*([a-z])\s*\))?(?![\d.]\d)/iuy;

/**
 * Every reference in an answer, in order: bracketed ("[Exercise 1.41]", "[Ex. 1.41(b)]", "[Section 1.6, Exercise 1.41]")
 * and bare ("see exercise 1.41"), ranges and lists expanded ("Exercises 1.41–1.43", "Exercises 1.41 and 1.44"); figures,
 * tables and equations by their printed numbers ("[Figure 2.1]", "[Equation (1.4.1)]", lib/cite/printed-labels).
 * Pure: it knows the aliases students and models type (lib/cite/refs), not the course.
 */
export function extractCitations(answer: string): ExtractedCitation[] {
  // nextRef's offsets index the normalised text, and so do ours.
  const text = normaliseRefText(answer);
  const brackets = bracketSpans(text);
  // References come in order of their offsets, and bracket spans do not overlap: one pointer suffices.
  let bracket = 0;
  const inBrackets = (i: number) => {
    while (bracket < brackets.length && brackets[bracket][1] <= i) bracket++;
    return bracket < brackets.length && i > brackets[bracket][0];
  };
  const out: ExtractedCitation[] = [];
  // Every reference, repeated labels included, and a range after an earlier single mention
  // ("[Ex 1.41] … [Exercises 1.41–1.43]"): scan on from the end of each reference and its continuation.
  const nextCitation = citationScanner(text);
  for (let first = nextCitation(); first; ) {
    const start = first.index;
    let end = start + first.match.length;
    const labelOf = first.labelOf;
    const bracketed = inBrackets(start);
    const push = (number: string, part?: string, between?: boolean) => {
      const label = labelOf(number);
      if (label) out.push({ label, ...(part ? { part } : {}), bracketed, index: start, ...(between ? { between } : {}) });
    };
    push(first.number, first.part);
    let previous = first.number;
    for (;;) {
      CONTINUATION_RE.lastIndex = end;
      const m = CONTINUATION_RE.exec(text);
      if (!m || m[2].split(".").length !== previous.split(".").length) break;
      const [, sep, number, part] = m;
      if (/^[–—‒-]$|^(to|through|til)$/i.test(sep)) for (const n of expandRange(previous, number)) push(n, undefined, true);
      push(number, part?.toLowerCase());
      previous = number;
      end += m[0].length;
    }
    first = nextCitation(end);
  }
  return out;
}

type NextCitation = (from?: number) => { number: string; part?: string; match: string; index: number; labelOf: (number: string) => string | null } | null;

/**
 * The first reference at or after `from`: an item's or heading's (lib/cite/refs), or a figure's, table's or
 * equation's. The next printed one found is kept while it lies ahead, so a long answer is scanned once for each
 * kind of reference, not once per reference.
 */
function citationScanner(text: string): NextCitation {
  let printed: ReturnType<typeof nextPrintedRef> | undefined;
  return (from = 0) => {
    const ref = nextRef(text, from);
    if (printed === undefined || (printed && printed.index < from)) printed = nextPrintedRef(text, from);
    const p = printed;
    if (p && (!ref || p.index < ref.index)) return { ...p, labelOf: (n: string) => printedLabel(p.kind, n) };
    return ref && { ...ref, labelOf: (n: string) => refLabel({ kind: ref.kind, number: n }) };
  };
}

/** The numbers strictly between a and b when they differ only in the last component ("1.41", "1.44" → 1.42, 1.43). */
function expandRange(a: string, b: string): string[] {
  const pa = a.split(".");
  const pb = b.split(".");
  if (pa.slice(0, -1).join(".") !== pb.slice(0, -1).join(".")) return [];
  const lo = Number(pa.at(-1));
  const hi = Number(pb.at(-1));
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi <= lo || hi - lo > MAX_RANGE) return [];
  const prefix = pa.slice(0, -1);
  const out: string[] = [];
  for (let n = lo + 1; n < hi; n++) out.push([...prefix, String(n)].join("."));
  return out;
}

/** [start, end] offsets of each "[…]" without nested brackets (LaTeX "[0,1]" intervals are harmless here). */
function bracketSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const m of text.matchAll(/\[[^\[\]\n]{1,200}\]/g)) spans.push([m.index ?? 0, (m.index ?? 0) + m[0].length - 1]);
  return spans;
}

/** Labels a set of retrieved passages puts in front of the model: each passage's label, items and heading path. */
export function contextLabels(results: Pick<SearchResult, "label" | "refs" | "headingPath">[]): Set<string> {
  const labels = new Set<string>();
  for (const r of results) {
    labels.add(r.label);
    for (const ref of r.refs) labels.add(ref);
    for (const segment of r.headingPath.split(" › ")) {
      const ref = parseRef(segment.split(":")[0]);
      const label = ref && refLabel(ref);
      if (label) labels.add(label);
    }
  }
  return labels;
}

/**
 * Checks each cited label against the course (does it exist?) and the passages the answer was given
 * (was its text in the context?). One entry per label, in order of first citation. A figure, table or equation
 * the course prints (`printed`: label → the passage printing it, lib/cite/printed-lookup) exists, and is in the
 * context when that passage was retrieved; one the course does not print is unknown — except an equation named in
 * passing ("multiply equation 2 by 3"), which may be the answer's own.
 */
export function verifyCitations(opts: {
  citations: ExtractedCitation[];
  items: ItemRow[];
  retrieved: (Pick<SearchResult, "label" | "refs" | "headingPath"> & { id?: string })[];
  course: string;
  printed?: ReadonlyMap<string, string>;
}): CitationsData {
  const inContext = contextLabels(opts.retrieved);
  const retrievedIds = new Set(opts.retrieved.map((r) => r.id));
  const seen = new Set<string>();
  const checks: CitationCheck[] = [];
  for (const c of opts.citations) {
    const resolved = resolveRef(opts.items, c.label);
    if (resolved.status !== "found" && isPrintedLabel(c.label)) {
      const passageId = opts.printed?.get(c.label);
      if ((!passageId && (c.between || (!c.bracketed && c.label.startsWith("Equation ")))) || seen.has(c.label)) continue;
      seen.add(c.label);
      if (!passageId) checks.push({ label: c.label, verdict: "unknown" });
      else checks.push({ label: c.label, verdict: retrievedIds.has(passageId) ? "verified" : "not-retrieved", citeUrl: citeUrl(c.label, opts.course) });
      continue;
    }
    const label = resolved.status === "found" ? resolved.item.label : c.label;
    if (resolved.status !== "found" && c.between) continue;
    if (seen.has(label)) continue;
    seen.add(label);
    if (resolved.status !== "found") checks.push({ label, verdict: "unknown" });
    else checks.push({ label, verdict: inContext.has(label) ? "verified" : "not-retrieved", citeUrl: citeUrl(label, opts.course) });
  }
  return { citations: checks, grounded: checks.some((c) => c.verdict === "verified") };
}

/** extract + verify in one call. */
export function checkAnswerCitations(opts: {
  answer: string;
  items: ItemRow[];
  retrieved: SearchResult[];
  course: string;
  printed?: ReadonlyMap<string, string>;
}): CitationsData {
  return verifyCitations({ citations: extractCitations(opts.answer), items: opts.items, retrieved: opts.retrieved, course: opts.course, printed: opts.printed });
}
