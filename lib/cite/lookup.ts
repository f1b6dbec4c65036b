import { z } from "zod";
import { KIND_NAMES } from "../course/labels";
import { parseKatexMacros } from "../course/latex-macros";
import { TutorError } from "../errors";
import { listCourseItems, requireSnapshot, resolveCourse, type Snapshot } from "../store/read";
import type { ItemRow } from "../store/schema";
import { numberOrder } from "./printed-labels";
import { lookupPrinted } from "./printed-lookup";
import { parseRef, refLabel, type Ref } from "./refs";
import { sourceRef, type SourceRef } from "./source";

/** The exact passage of one citable item, as the API, the CLI and the page return it. */
export interface CitedItem {
  label: string;
  kind: string;
  number: string;
  title: string;
  text: string;
  course: string;
  /** "Chapter 1: Numbers, logic and sets" */
  chapter: string;
  /** "Section 1.6: More on sets", or "" for a chapter. */
  section: string;
  /** Heading path down to the item's own heading. */
  path: string[];
  /** The part asked for ("b" of "Exercise 1.41(b)"), when it exists. */
  part?: string;
  parts: string[];
  passageId: string;
  /** Lines of a source file, or pages of a PDF (`{file, page, endPage}`). */
  source: SourceRef;
  /** The course's own math macros for KaTeX (`"\\norm": "\\lVert #1\\rVert"`); absent when it has none. */
  macros?: Record<string, string>;
}

export interface Candidate {
  label: string;
  title: string;
  kind: string;
}

export type CiteResult =
  | { status: "found"; item: CitedItem }
  | { status: "ambiguous"; candidates: Candidate[] }
  | { status: "not-found"; suggestions: string[] };

export const citeQuerySchema = z.object({
  ref: z.string().trim().min(1, "ref is required, e.g. ref=Exercise 1.41").max(200, "ref is longer than 200 characters"),
  course: z.string().trim().min(1).max(64).optional(),
});
export type CiteQuery = z.infer<typeof citeQuerySchema>;

/**
 * Resolves what a student typed ("Ex 1.41(b)", "§1.6", "1.41", "Figure 2.1") to the exact item (for a figure, table
 * or equation the course prints, the passage printing it): found, ambiguous (a bare number several kinds share), or
 * not found with the nearest labels.
 */
export async function lookupCitation(opts: { ref: string; course?: string; db?: string; defaultCourse?: string }): Promise<CiteResult & { course: string }> {
  const snap = await requireSnapshot(opts.db);
  const course = await resolveCourse(snap, opts.course, opts.defaultCourse);
  const items = await listCourseItems(snap, course.id);
  let result = resolveRef(items, opts.ref);
  // A figure, table or equation the course prints without holding it as an item: the passage that prints it.
  if (result.status === "not-found") result = (await lookupPrinted(snap, course.id, items, opts.ref)) ?? result;
  const macros = parseKatexMacros(course.macros);
  if (result.status === "found" && Object.keys(macros).length) result.item.macros = macros;
  return { ...result, course: course.id };
}

/** The pure part of lookupCitation, over a course's items. */
export function resolveRef(items: ItemRow[], input: string): CiteResult {
  const ref = parseRef(input);
  if (!ref) {
    const exact = items.find((i) => i.label.toLowerCase() === input.trim().toLowerCase() || i.title.toLowerCase() === input.trim().toLowerCase());
    if (exact) return { status: "found", item: toCited(exact) };
    return { status: "not-found", suggestions: suggestByText(items, input) };
  }
  // The label as printed first: an article's top-level "Section 19" is stored as a chapter-level heading.
  const label = refLabel(ref);
  const printed = label ? items.find((i) => i.label === label) : undefined;
  if (printed) return { status: "found", item: toCited(printed, ref) };
  // "Appendix A" of a course that labels it otherwise: the chapter lettered A (never "Chapter 2" for "Appendix 2").
  let matches = items.filter((i) => i.number === ref.number && (!ref.kind || i.kind === ref.kind) && !(ref.appendix && /^\d/.test(i.number)));
  // "Section 1.6.2" typed for a subsection (or "Subsection 1.6" for a section) still means that heading.
  if (!matches.length && (ref.kind === "section" || ref.kind === "subsection")) {
    matches = items.filter((i) => i.number === ref.number && (i.kind === "section" || i.kind === "subsection"));
  }
  if (!ref.kind && matches.length > 1) {
    return { status: "ambiguous", candidates: matches.map((m) => ({ label: m.label, title: m.title, kind: m.kind })) };
  }
  if (matches.length >= 1) return { status: "found", item: toCited(matches[0], ref) };
  return { status: "not-found", suggestions: suggestLabels(items, ref) };
}

function toCited(row: ItemRow, ref?: Ref): CitedItem {
  const parts = row.parts ? row.parts.split(",").filter(Boolean) : [];
  const path = row.path ? row.path.split(" › ") : [];
  const item: CitedItem = {
    label: row.label,
    kind: row.kind,
    number: row.number,
    title: row.title,
    text: row.text,
    course: row.course,
    chapter: row.chapter_title,
    section: row.section ? (row.section_title ? `${row.section}: ${row.section_title}` : row.section) : "",
    path,
    parts,
    passageId: row.passage_id,
    source: sourceRef(row.file, row.line, row.end_line, { pdf: row.pdf, page: row.page }),
  };
  if (ref?.part && parts.includes(ref.part)) item.part = ref.part;
  return item;
}

/**
 * Nearest labels: same number of another kind, then same kind (a course's own too: "Question") with the closest
 * numbers. An unnumbered item (a book's front matter under its title, "Preface") has no number to be near.
 */
export function suggestLabels(items: ItemRow[], ref: { kind?: string; number: string }): string[] {
  const target = numericKey(ref.number);
  const scored = items.filter((i) => i.number !== "").map((i) => {
    let score = Math.abs(numericKey(i.number) - target);
    if (i.number === ref.number) score = -1;
    if (ref.kind && i.kind !== ref.kind) score += 0.5 + (i.number === ref.number ? 0 : 1000);
    if (i.number.split(".").length !== ref.number.split(".").length) score += 10_000;
    return { label: i.label, score };
  });
  return scored
    .sort((a, b) => a.score - b.score)
    .slice(0, 5)
    .map((s) => s.label);
}

function suggestByText(items: ItemRow[], input: string): string[] {
  const words = new Set(input.toLowerCase().match(/[\p{L}]{3,}/gu) ?? []);
  if (!words.size) return [];
  const kindWords = new Set(Object.values(KIND_NAMES).map((k) => k.toLowerCase()));
  return items
    .map((i) => {
      const hay = `${i.title} ${i.text.slice(0, 400)}`.toLowerCase();
      let score = 0;
      for (const w of words) if (!kindWords.has(w) && hay.includes(w)) score++;
      return { label: i.label, score };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, 5)
    .map((s) => s.label);
}

/** "1.41" → 1041: the order of numbers within the notes (`numberOrder`), on the scale of the kind and depth penalties below. */
function numericKey(number: string): number {
  return numberOrder(number) * 1000;
}

/** Throws the 404 a route maps to a response, for not-found results. */
export function assertFound(result: CiteResult): asserts result is { status: "found"; item: CitedItem } {
  if (result.status === "not-found") {
    throw new TutorError("not-found", "No such label in this course.", { details: { suggestions: result.suggestions } });
  }
}

export type { Snapshot };
