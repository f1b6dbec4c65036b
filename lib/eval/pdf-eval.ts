import path from "node:path";
import type { SectionNode } from "../course/types";
import { HEADING_KINDS, normalizeLabel, type TruthRow } from "./latex-eval";

/**
 * Scores the PDF ingest of a book compiled from its LaTeX against the book's printed truth
 * (tests/eval/latex-books/<name>/truth.jsonl): each numbered item and heading found with the printed label,
 * and on the page where it is printed. The page truth is TeX's own, not read from the PDF: the SyncTeX record
 * of the line where the source opens the item (truth.jsonl's file:line). Issue 15's target: ≥ 95 % of numbered items with the printed number on the right page.
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

/** The first and last physical page holding boxes dated at a source line. */
export interface LinePages {
  first: number;
  last: number;
}

/**
 * Where TeX put each source line, from the SyncTeX file pdflatex writes with `-synctex=1`: file (relative to
 * the build folder) → line → the first physical page holding a box or glyph from that line.
 */
export function synctexLinePages(text: string, buildDir: string): Map<string, Map<number, LinePages>> {
  const files = new Map<string, string>();
  // file → line → page → whether the page's own body box (the output routine's) is dated at that line.
  const seen = new Map<string, Map<number, Map<number, boolean>>>();
  let page = 0;
  for (const line of text.split("\n")) {
    const input = /^Input:(\d+):(.*)$/.exec(line);
    if (input) {
      files.set(input[1], path.relative(buildDir, path.resolve(buildDir, input[2])).split(path.sep).join("/"));
      continue;
    }
    const open = /^\{(\d+)$/.exec(line);
    if (open) {
      page = Number(open[1]);
      continue;
    }
    // Boxes only: the glue above a heading can end the previous page.
    const rec = /^([[(hvx])(\d+),(\d+)(?::-?\d+,-?\d+(?::(-?\d+),(-?\d+),(-?\d+))?)?/.exec(line);
    if (!rec || !page) continue;
    const file = files.get(rec[2]);
    if (!file) continue;
    const [w, h, d] = rec[4] === undefined ? [1, 0, 0] : [Number(rec[4]), Number(rec[5]), Number(rec[6])];
    if (w === 0 && h === 0 && d === 0) continue;
    let lines = seen.get(file);
    if (!lines) seen.set(file, (lines = new Map()));
    let pages = lines.get(Number(rec[3]));
    if (!pages) lines.set(Number(rec[3]), (pages = new Map()));
    pages.set(page, (pages.get(page) ?? false) || h + d > 300 * 65536);
  }
  // A page shipped out while TeX read a line (a full page, or a \clearpage before "\section") dates its body,
  // head and foot at that line: such a page is not where the line's own text is, unless it is the only one.
  const out = new Map<string, Map<number, LinePages>>();
  for (const [file, lines] of seen) {
    const m = new Map<number, LinePages>();
    for (const [n, pages] of lines) {
      const own = [...pages].filter(([, shipped]) => !shipped).map(([p]) => p);
      const use = own.length ? own : [...pages.keys()];
      m.set(n, { first: Math.min(...use), last: Math.max(...use) });
    }
    out.set(file, m);
  }
  return out;
}

/**
 * The page each truth row's item starts on, from the first source line at or after its begin line that TeX
 * typeset into a box. SyncTeX dates a macro's argument (OpenIntro's \eoce{…}) at the line it ends, so the
 * search runs on (up to 300 lines). Boxes dated at the begin line itself include the end of the paragraph
 * before it (ended by the "\begin{lemma}" or "\section" there): the item is on the last page they reach.
 */
export function truthPages(rows: TruthRow[], linePages: Map<string, Map<number, LinePages>>): (number | null)[] {
  return rows.map((row) => {
    const lines = linePages.get(row.file);
    for (let l = row.line; lines && l <= row.line + 300; l++) {
      const at = lines.get(l);
      if (at) return l === row.line ? at.last : at.first;
    }
    return null;
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
