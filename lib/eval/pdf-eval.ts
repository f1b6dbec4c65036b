import type { SectionNode } from "../course/types";
import { HEADING_KINDS, normalizeLabel, type TruthRow } from "./latex-eval";

/**
 * Scores the PDF ingest of a book compiled from its LaTeX against the book's printed truth
 * (tests/eval/latex-books/<name>/truth.jsonl): each numbered item and heading found with the printed label,
 * and on the page where it is printed. The page truth is read without pdf.js: poppler's `pdftotext` text of
 * each page, searched in document order for the item's printed head ("EXAMPLE 1.5", "Lemma 2.3", "1.41",
 * "2. Definitions"). Issue 15's target: ≥ 95 % of numbered items with the printed number on the right page.
 */

/** One numbered thing the PDF ingest produced, with its physical page. */
export interface PdfFound {
  kind: string;
  label: string;
  page: number;
}

export interface PdfTally {
  truth: number;
  /** The truth rows whose printed head was found on a page (the others cannot be scored for the page). */
  paged: number;
  /** Found under the printed label. */
  rightNumber: number;
  /** Found under the printed label on the page the head is printed on. */
  rightPage: number;
}

export interface PdfRowResult {
  row: TruthRow;
  page: number | null;
  found?: PdfFound;
  verdict: "right-page" | "wrong-page" | "missing";
}

export interface PdfScore {
  items: PdfTally;
  headings: PdfTally;
  rows: PdfRowResult[];
}

/** Every numbered heading and item of a PDF parse, in document order, with its first page. */
export function foundInPdf(chapters: SectionNode[]): PdfFound[] {
  const out: PdfFound[] = [];
  const visit = (node: SectionNode) => {
    if (node.number) out.push({ kind: node.kind, label: node.label, page: node.source.line });
    for (const b of node.blocks) if (b.number && b.label) out.push({ kind: b.kind, label: b.label, page: b.source.line });
    node.children.forEach(visit);
  };
  chapters.forEach(visit);
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The page (1-based) each truth row's head is printed on, searched in order from the previous row's page:
 * first the name and number at a line's start ("Lemma 2.3", "GUIDED PRACTICE 1.6", "Chapter 3"), else the
 * bare number opening a line ("1.41 Title", "2. Definitions") within a few pages. Null when neither is found.
 */
export function truthPages(rows: TruthRow[], pages: string[]): (number | null)[] {
  const lines = pages.map((p) => p.split("\n").map((l) => l.trim()));
  let cursor = 0;
  return rows.map((row) => {
    const num = escapeRe(row.number);
    const named = new RegExp(`^${escapeRe(row.name).replace(/\s+/g, "\\s+")}\\s+${num}(?![\\d.]\\d)`, "i");
    const bare = new RegExp(`^${num}\\.?(?:\\s|$)`);
    const search = (re: RegExp, span: number): number | null => {
      for (let p = cursor; p < Math.min(lines.length, cursor + span); p++) if (lines[p].some((l) => re.test(l))) return p;
      return null;
    };
    const p = search(named, 40) ?? search(bare, HEADING_KINDS.has(row.kind) ? 40 : 6);
    if (p === null) return null;
    cursor = p;
    return p + 1;
  });
}

const emptyTally = (): PdfTally => ({ truth: 0, paged: 0, rightNumber: 0, rightPage: 0 });

/** Pairs truth rows with found items of the same printed label, in order; a label found twice pairs with the nearest page. */
export function scorePdf(rows: TruthRow[], pages: (number | null)[], found: PdfFound[]): PdfScore {
  const byLabel = new Map<string, PdfFound[]>();
  for (const f of found) {
    const key = normalizeLabel(f.label);
    byLabel.set(key, [...(byLabel.get(key) ?? []), f]);
  }
  const score: PdfScore = { items: emptyTally(), headings: emptyTally(), rows: [] };
  rows.forEach((row, i) => {
    const tally = HEADING_KINDS.has(row.kind) ? score.headings : score.items;
    const page = pages[i];
    tally.truth++;
    if (page !== null) tally.paged++;
    const candidates = byLabel.get(normalizeLabel(row.label)) ?? [];
    if (!candidates.length) {
      score.rows.push({ row, page, verdict: "missing" });
      return;
    }
    const pick = page === null ? 0 : candidates.reduce((best, c, j) => (Math.abs(c.page - page) < Math.abs(candidates[best].page - page) ? j : best), 0);
    const [f] = candidates.splice(pick, 1);
    tally.rightNumber++;
    const right = page !== null && f.page === page;
    if (right) tally.rightPage++;
    score.rows.push({ row, page, found: f, verdict: right ? "right-page" : "wrong-page" });
  });
  return score;
}
