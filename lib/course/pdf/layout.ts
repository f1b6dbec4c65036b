import { readingOrder } from "./columns";
import type { PdfLine, PdfPages } from "./read-pdf";

/**
 * What a page prints around the text, and the page's measures: running heads and footers and page
 * numbers are dropped (a line at the top or bottom of a page that carries the page's printed number, or
 * that recurs at the top or bottom of other pages), so are table-of-contents lines (dot leaders).
 */

export interface PageLayout {
  /** Lines of the body, in reading order, pages concatenated. */
  lines: PdfLine[];
  /** The size most characters are set in. */
  bodySize: number;
  /** Left margin of body text on odd and on even pages (two-sided books shift it). */
  margin: { odd: number; even: number };
  /** Right end of full body lines, odd and even pages. */
  right: { odd: number; even: number };
  /** Printed page number = physical page − offset, when the pages carry numbers; null when they do not. */
  pageOffset: number | null;
  /** Baseline-to-baseline distance of body text. */
  leading: number;
}

const ROMAN_RE = /^[ivxlcdm]+$/i;
const DOT_LEADER_RE = /(?:\.\s?){4,}\s*[0-9ivxlcdm]+$/i;

export function layoutPages(doc: PdfPages): PageLayout {
  const all = doc.pages.flat();
  const bodySize = modeOf(all.map((l) => [l.size, l.text.length]));
  const pageOffset = findPageOffset(doc.pages);
  const recurring = recurringEdges(doc.pages, bodySize);
  const lines: PdfLine[] = [];
  for (const page of doc.pages) {
    const kept = page.filter((line, i) => {
      const edge = i < 2 || i >= page.length - 2;
      // A heading at the top of a page ("Chapter 3" on every chapter's first page) is set larger than any running head.
      const heading = line.size > bodySize * 1.08;
      if (edge && !heading && isPageFurniture(line, pageOffset, recurring, i === 0 || i === page.length - 1)) return false;
      return !DOT_LEADER_RE.test(line.text);
    });
    // Heads and feet go first (they are found by their place in the page's content order), then columns are read in turn.
    lines.push(...readingOrder(kept, bodySize));
  }
  // Margins are those of full-width text: a page in columns has its own, per column.
  const bodyAll = lines.filter((l) => Math.abs(l.size - bodySize) < 0.3);
  const fullWidth = bodyAll.filter((l) => !l.column);
  const body = fullWidth.length >= 20 ? fullWidth : bodyAll;
  const side = (odd: boolean) => body.filter((l) => l.page % 2 === (odd ? 1 : 0));
  const margin = { odd: modeOf(side(true).map((l) => [Math.round(l.x), 1])), even: modeOf(side(false).map((l) => [Math.round(l.x), 1])) };
  const right = { odd: modeOf(side(true).map((l) => [Math.round(l.xEnd), 1])), even: modeOf(side(false).map((l) => [Math.round(l.xEnd), 1])) };
  if (!Number.isFinite(margin.even)) margin.even = margin.odd;
  if (!Number.isFinite(margin.odd)) margin.odd = margin.even;
  if (!Number.isFinite(right.even)) right.even = right.odd;
  if (!Number.isFinite(right.odd)) right.odd = right.even;
  const gaps: [number, number][] = [];
  for (let i = 1; i < bodyAll.length; i++) {
    const d = bodyAll[i - 1].y - bodyAll[i].y;
    if (bodyAll[i].page === bodyAll[i - 1].page && d > 0 && d < bodySize * 2) gaps.push([Math.round(d * 2) / 2, 1]);
  }
  const leading = gaps.length ? modeOf(gaps) : bodySize * 1.2;
  return { lines, bodySize, margin, right, pageOffset, leading };
}

/** A page's head or foot: its number alone, a line carrying its printed number at either end, or a recurring line. */
function isPageFurniture(line: PdfLine, offset: number | null, recurring: Set<string>, outermost: boolean): boolean {
  const t = line.text.trim();
  if (outermost && (/^\d{1,4}$/.test(t) || (ROMAN_RE.test(t) && t.length <= 6))) return true;
  if (offset !== null) {
    const printed = String(line.page - offset);
    const words = t.split(/\s+/);
    if (outermost && (words[0] === printed || words[words.length - 1] === printed) && words.length <= 14) return true;
  }
  return outermost && recurring.has(edgeKey(t));
}

/** A line's text with numbers and case removed: "2 CHAPTER 3. DERIVATIVES" and "4 CHAPTER 3. DERIVATIVES" agree. */
function edgeKey(text: string): string {
  return text.toLowerCase().replace(/[0-9ivxlcdm]+\b/g, "#").replace(/\s+/g, " ").trim();
}

/** Keys of first and last lines that recur on at least three pages (a running head without a number). */
function recurringEdges(pages: PdfLine[][], bodySize: number): Set<string> {
  const count = new Map<string, number>();
  for (const page of pages) {
    const keys = new Set([page[0], page[page.length - 1]].filter((l) => l && l.size <= bodySize * 1.08).map((l) => edgeKey(l.text)));
    for (const k of keys) if (k.replace(/[#\s.]/g, "").length >= 3) count.set(k, (count.get(k) ?? 0) + 1);
  }
  const min = Math.max(3, Math.ceil(pages.length * 0.05));
  return new Set([...count].filter(([, n]) => n >= min).map(([k]) => k));
}

/**
 * The offset between physical pages and printed page numbers: each page's first and last lines vote with
 * the number at either end; the offset most pages agree on (at least 3, and a fifth of the pages) wins.
 */
function findPageOffset(pages: PdfLine[][]): number | null {
  const votes = new Map<number, number>();
  pages.forEach((page, i) => {
    const seen = new Set<number>();
    for (const line of [page[0], page[page.length - 1]]) {
      if (!line) continue;
      const words = line.text.trim().split(/\s+/);
      for (const w of [words[0], words[words.length - 1]]) {
        if (/^\d{1,4}$/.test(w)) seen.add(i + 1 - Number(w));
      }
    }
    for (const o of seen) votes.set(o, (votes.get(o) ?? 0) + 1);
  });
  const best = [...votes].sort((a, b) => b[1] - a[1])[0];
  if (!best || best[1] < Math.max(3, pages.length * 0.2)) return null;
  return best[0];
}

/** The value carrying the most weight. */
function modeOf(pairs: [number, number][]): number {
  const w = new Map<number, number>();
  for (const [v, n] of pairs) w.set(v, (w.get(v) ?? 0) + n);
  let best = NaN;
  let bestW = -1;
  for (const [v, n] of w) if (n > bestW) [best, bestW] = [v, n];
  return best;
}
