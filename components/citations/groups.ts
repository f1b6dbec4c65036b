import { formatLabel } from "@/lib/course/labels";
import { parsePrintedRef, printedLabel } from "@/lib/cite/printed-labels";
import { parseRef, refLabel, type Ref } from "@/lib/cite/refs";

/**
 * What one written reference stands for. "[Exercises 1.41–1.43]" and "[Theorems 2.1, 2.3]" are each one
 * reference (one chip), standing for several labels; "[Section 1.6, Exercise 1.41]" is two. Pure: it knows how
 * references are written (lib/cite/refs), not which labels a course has.
 */
export interface CitationGroup {
  /** What the chip shows, in the course's form: "Exercise 1.41(b)", "Exercises 1.41–1.43", "Theorems 2.1, 2.3". */
  text: string;
  members: GroupMember[];
}

export interface GroupMember {
  /** In the course's form, with the part when one was written: "Exercise 1.41(b)". */
  label: string;
  /**
   * Inside a range and not written out ("1.42" of "1.41–1.43"). Notes that number every kind on one counter
   * have no Exercise 1.42 when 1.42 is a definition: such a label is skipped, never flagged as invented.
   */
  between?: boolean;
}

/** The longest range whose labels are listed one by one ("Exercises 1.41–1.43"); beyond it only the two ends. */
const MAX_RANGE = 30;
const DASH = String.raw`[–—‒-]`;

/**
 * The references inside one pair of brackets, or null when any piece is not a reference (then the
 * brackets are just text: "[0, 1]", "[see below]"). A piece with a kind starts a new reference; bare numbers
 * after it continue it ("Exercises 1.41, 1.43"), as do ranges ("1.41–1.43", "1.41(a)–(c)").
 */
export function parseCitationBracket(inner: string): CitationGroup[] | null {
  // `name` is what the kind prints ("Exercise", "Figure"); `labelOf` puts a number in the course's form.
  const groups: { name: string; labelOf: (number: string) => string; written: string[]; members: GroupMember[] }[] = [];
  for (const raw of inner.split(/\s*[,;]\s*|\s+(?:and|og|or|&)\s+/)) {
    const piece = raw.trim();
    if (!piece) return null;
    const parts = new RegExp(String.raw`^(.*\(\s*[a-z]\s*\))\s*${DASH}\s*\(\s*([a-z])\s*\)$`).exec(piece);
    const range = parts ? null : new RegExp(String.raw`^(.*\S)\s*${DASH}\s*(\S.*)$`).exec(piece);
    // A figure, table or equation the notes print ("Figure 2.1", "Equation (1.4.1)"): one label of its own.
    const printed = parsePrintedRef(piece);
    if (printed) {
      groups.push({ name: printed.kind, labelOf: (n) => printedLabel(printed.kind, n), written: [printed.number], members: [{ label: printed.label }] });
      continue;
    }
    const first = parseRef(parts?.[1] ?? range?.[1] ?? piece);
    if (!first) return null;
    if (first.kind) {
      const kind = first.kind;
      groups.push({ name: formatLabel(kind, "").trim(), labelOf: (n) => refLabel({ kind, number: n })!, written: [], members: [] });
    }
    const group = groups.at(-1);
    if (!group) return null;
    const label = (r: Ref) => `${group.labelOf(r.number)}${r.part ? `(${r.part})` : ""}`;
    const number = (r: Ref) => `${r.number}${r.part ? `(${r.part})` : ""}`;
    if (parts) {
      group.members.push({ label: label(first) });
      group.written.push(`${number(first)}–(${parts[2]})`);
    } else if (range) {
      const last = parseRef(range[2]);
      if (!last || (last.kind && formatLabel(last.kind, "").trim() !== group.name)) return null;
      group.members.push({ label: label(first) });
      for (const n of between(first.number, last.number)) group.members.push({ label: label({ number: n }), between: true });
      group.members.push({ label: label(last) });
      group.written.push(`${number(first)}–${number(last)}`);
    } else {
      group.members.push({ label: label(first) });
      group.written.push(number(first));
    }
  }
  if (!groups.length) return null;
  return groups.map((g) => ({
    text: g.members.length === 1 ? `${g.name} ${g.written[0]}` : `${plural(g.name)} ${g.written.join(", ")}`,
    members: g.members,
  }));
}

function plural(name: string): string {
  return /[^aeiou]y$/.test(name) ? `${name.slice(0, -1)}ies` : `${name}s`;
}

/** The numbers strictly between a and b when they differ only in their last component ("1.41", "1.44" → 1.42, 1.43). */
function between(a: string, b: string): string[] {
  const pa = a.split(".");
  const pb = b.split(".");
  if (pa.length !== pb.length || pa.slice(0, -1).join(".") !== pb.slice(0, -1).join(".")) return [];
  const lo = Number(pa.at(-1));
  const hi = Number(pb.at(-1));
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi <= lo || hi - lo > MAX_RANGE) return [];
  return Array.from({ length: hi - lo - 1 }, (_, i) => [...pa.slice(0, -1), String(lo + 1 + i)].join("."));
}

export const CITE_HREF_PREFIX = "#cite:";

function encodeLabel(label: string): string {
  return encodeURIComponent(label).replace(/\(/g, "%28").replace(/\)/g, "%29");
}

/**
 * The link target a chip is made from: `#cite:Exercise%201.41,~Exercise%201.42,Exercise%201.43` (`~`: between). The
 * separators are characters Markdown keeps as they are in a link (it %-encodes "|"); labels are %-encoded, commas too.
 */
export function groupHref(members: GroupMember[]): string {
  return CITE_HREF_PREFIX + members.map((m) => `${m.between ? "~" : ""}${encodeLabel(m.label)}`).join(",");
}

/** The members of a `#cite:` link (groupHref's inverse); a bare label is one member. */
export function parseGroupHref(href: string): GroupMember[] {
  return href
    .slice(CITE_HREF_PREFIX.length)
    .split(",")
    .filter(Boolean)
    .map((m) => (m.startsWith("~") ? { label: decodeURIComponent(m.slice(1)), between: true } : { label: decodeURIComponent(m) }));
}

/**
 * Whether the course has a label, judged as the server's lookup does (lib/cite/lookup `resolveRef`): the label
 * as printed, or a section number typed as a subsection and back; a figure, table or equation when the course prints
 * it (the outline lists those too). A form without a kind cannot be judged: true.
 */
export function labelExists(labels: ReadonlySet<string>, label: string): boolean {
  const figure = parsePrintedRef(label);
  if (figure) return labels.has(figure.label);
  const ref = parseRef(label);
  const printed = ref && refLabel({ kind: ref.kind, number: ref.number });
  if (!ref || !printed) return true;
  if (labels.has(printed)) return true;
  if (ref.kind === "section" || ref.kind === "subsection") return labels.has(`Section ${ref.number}`) || labels.has(`Subsection ${ref.number}`);
  return false;
}
