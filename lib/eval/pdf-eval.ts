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

/**
 * Where TeX put each source line, from the SyncTeX file pdflatex writes with `-synctex=1`: file (relative to
 * the build folder) → line → the first physical page holding a box or glyph from that line.
 */
export function synctexLinePages(text: string, buildDir: string): Map<string, Map<number, number>> {
  const files = new Map<string, string>();
  const out = new Map<string, Map<number, number>>();
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
    // Boxes only: the glue above a heading can end the previous page. Empty boxes and page-tall ones are the
    // output routine's (a \clearpage before "\section" ships the previous page dated at the heading's line).
    const rec = /^([[(hvx])(\d+),(\d+)(?::-?\d+,-?\d+(?::(-?\d+),(-?\d+),(-?\d+))?)?/.exec(line);
    if (!rec || !page) continue;
    if (rec[4] !== undefined) {
      const [w, h, d] = [Number(rec[4]), Number(rec[5]), Number(rec[6])];
      if (w === 0 && h === 0 && d === 0) continue;
      if (h + d > 300 * 65536) continue;
    }
    const file = files.get(rec[2]);
    if (!file) continue;
    let lines = out.get(file);
    if (!lines) out.set(file, (lines = new Map()));
    const n = Number(rec[3]);
    if (!lines.has(n) || lines.get(n)! > page) lines.set(n, page);
  }
  return out;
}

/**
 * The page each truth row's item starts on: that of the first source line at or after its begin line that
 * TeX typeset into a box. SyncTeX dates a macro's argument (OpenIntro's \eoce{…}) at the line it ends, so
 * the search runs on (up to 300 lines) rather than expecting a record at the begin line itself.
 */
export function truthPages(rows: TruthRow[], linePages: Map<string, Map<number, number>>): (number | null)[] {
  return rows.map((row) => {
    const lines = linePages.get(row.file);
    for (let l = row.line; lines && l <= row.line + 300; l++) if (lines.has(l)) return lines.get(l)!;
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
