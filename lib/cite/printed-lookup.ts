import { captionIndex } from "../retrieve/caption-refs";
import { getCoursePassages, listCoursePassages, memoOnSnapshot, type Snapshot } from "../store/read";
import type { ItemRow } from "../store/schema";
import type { CiteResult, CitedItem } from "./lookup";
import { nearestPrinted, parsePrintedRef, printedLabel, type PrintedRef } from "./printed-labels";
import { sourceRef } from "./source";

/**
 * The figures, tables and equations a course prints ("Figure 2.1" → the id of the passage holding its caption,
 * "Equation 1.4.1" → the passage whose display is tagged so), built once per snapshot. Retrieval, the citation
 * check, the lookup and the outline read the same index, so they never disagree on what the course prints.
 */
export function coursePrintedLabels(snap: Snapshot, course: string): Promise<Map<string, string>> {
  return memoOnSnapshot(snap, `captions:${course}`, async () => captionIndex(await listCoursePassages(snap, course)));
}

/** "(1.4.1)" alone: the equation the course prints with that number. */
const BARE_EQUATION = /^\s*\(\s*((?:\d+|[A-Z])(?:\.\d+)*)\s*\)\s*$/;

/**
 * A figure, table or equation typed as a reference ("Figure 2.1", "fig. 2.1", "Equation (1.4.1)", "(1.4.1)")
 * resolved to the passage that prints it: found (the passage, whole, as the item of the citation), or not found
 * with the nearest labels of its kind. Null when the input names none, so the caller keeps its own answer. Items
 * come first: a course that holds its figures as items ("Figure 1.2.2" of a text export) resolves them as items.
 */
export async function lookupPrinted(snap: Snapshot, course: string, items: ItemRow[], input: string): Promise<CiteResult | null> {
  const bare = BARE_EQUATION.exec(input.normalize("NFKC"));
  const ref: PrintedRef | null = parsePrintedRef(input) ?? (bare ? { kind: "Equation", number: bare[1], label: printedLabel("Equation", bare[1]) } : null);
  if (!ref || items.some((i) => i.label === ref.label)) return null;
  const index = await coursePrintedLabels(snap, course);
  const passageId = index.get(ref.label);
  if (!passageId) {
    // "(1.4.1)" in a course that prints no such equation is no reference to anything; the caller's answer stands.
    if (bare && !parsePrintedRef(input)) return null;
    const suggestions = nearestPrinted(ref, index.keys());
    return suggestions.length ? { status: "not-found", suggestions } : null;
  }
  const [hit] = await getCoursePassages(snap, course, [passageId]);
  if (!hit) return null;
  const heading = items.find((i) => i.label === hit.heading);
  const item: CitedItem = {
    label: ref.label,
    kind: ref.kind.toLowerCase(),
    number: ref.number,
    title: ref.kind === "Equation" ? "" : captionOf(hit.text, ref.label),
    // The passage without its heading-path line: the panel and the page show where it sits above it, as for an item.
    text: hit.headingPath && hit.text.startsWith(hit.headingPath) ? hit.text.slice(hit.headingPath.length).trimStart() : hit.text,
    course,
    chapter: heading?.chapter_title ?? "",
    section: heading?.section ? (heading.section_title ? `${heading.section}: ${heading.section_title}` : heading.section) : "",
    path: hit.headingPath ? hit.headingPath.split(" › ") : [],
    parts: [],
    passageId,
    source: sourceRef(hit.file, hit.line, hit.endLine),
  };
  return { status: "found", item };
}

/** The caption's words after "Figure 2.1: " (its first line, at most 160 characters), the title a chip shows. */
function captionOf(text: string, label: string): string {
  const m = new RegExp(`^${label.replace(/\./g, "\\.")}:(.*)$`, "m").exec(text);
  if (!m) return "";
  const line = m[1].trim();
  return line.length > 160 ? `${line.slice(0, 157).trimEnd()}…` : line;
}
