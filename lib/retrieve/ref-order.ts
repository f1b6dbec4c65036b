import type { ItemRow } from "../store/schema";

/** Kinds that are headings: they hold the items printed under them. */
const HEADING_KINDS = new Set(["chapter", "section", "subsection"]);

/**
 * The labels in the question's order, except that a section or chapter named before an item it holds goes after
 * that item: "in section 2.3, why does example 2.3.4 …", "Section 2.3, Example 2.3.4: …", "I read chapter 2 and
 * theorem 2.3.5 lost me" are about the item, the heading says where it is (the more specific label leads). An item
 * read from a number alone (maybe math) does not.
 */
export function containedFirst<T extends { label: string; at: number; bare?: boolean }>(found: T[], items: ItemRow[]): T[] {
  const byLabel = new Map(items.map((i) => [i.label, i]));
  const out = [...found];
  for (const entry of found) {
    const heading = byLabel.get(entry.label);
    if (!heading || !HEADING_KINDS.has(heading.kind)) continue;
    const from = out.indexOf(entry);
    let last = -1;
    for (let j = from + 1; j < out.length; j++) {
      const item = byLabel.get(out[j].label);
      if (item && item !== heading && !out[j].bare && isUnder(item, heading)) last = j;
    }
    if (last < 0) continue;
    out.splice(from, 1);
    out.splice(last, 0, entry);
  }
  return out;
}

/** Whether an item is printed under a heading: its section or chapter, its path, or its number ("2.3.4" in "2.3"). */
function isUnder(item: ItemRow, heading: ItemRow): boolean {
  if (heading.kind === "chapter" && item.kind !== "chapter" && item.chapter === heading.number) return true;
  if (item.section === heading.label || item.path.split(" › ").some((p) => p === heading.label || p.startsWith(`${heading.label}:`))) return true;
  return /^\d/.test(heading.number) && item.number.startsWith(`${heading.number}.`);
}
