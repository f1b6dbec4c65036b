import type { PdfLine } from "./read-pdf";

/**
 * Reading order on a page set in columns, found from the lines' positions (the idea of pdfminer's layout
 * analysis, much reduced): a gutter is a vertical band that many lines end before and many start after while
 * few cross it. Lines that cross it (a title, a full-width figure caption, a heading spanning both columns) cut
 * the page into bands; each band is read left column first, then right. Lines in a column carry that column's
 * edges (`column`), which indents and margins are measured from. A page without a gutter keeps its order.
 */
export function readingOrder(lines: PdfLine[], bodySize: number): PdfLine[] {
  const gutter = findGutter(lines, bodySize);
  if (gutter === null) return lines;
  const side = (l: PdfLine): 0 | 1 | null => (l.xEnd <= gutter ? 0 : l.x >= gutter ? 1 : null);
  const edges = [0, 1].map((c) => {
    const inCol = lines.filter((l) => side(l) === c && l.text.length > 20);
    return { left: modeOf(inCol.map((l) => Math.round(l.x))), right: modeOf(inCol.map((l) => Math.round(l.xEnd))) };
  });
  // Bands between full-width lines, top to bottom (PDF y grows upwards).
  const sorted = [...lines].sort((a, b) => b.y - a.y);
  const out: PdfLine[] = [];
  let band: PdfLine[][] = [[], []];
  const flush = () => {
    out.push(...band[0], ...band[1]);
    band = [[], []];
  };
  for (const l of sorted) {
    const c = side(l);
    if (c === null) {
      flush();
      out.push(l);
      continue;
    }
    band[c].push({ ...l, column: edges[c] });
  }
  flush();
  return out;
}

/** The x of a gutter between two columns, or null: at least 6 lines and a fifth of the page on each side, under a tenth crossing it. */
function findGutter(lines: PdfLine[], bodySize: number): number | null {
  const text = lines.filter((l) => l.text.length >= 3);
  if (text.length < 12) return null;
  const minX = Math.min(...text.map((l) => l.x));
  const maxX = Math.max(...text.map((l) => l.xEnd));
  const width = maxX - minX;
  // Most lines running across the middle: a single-column page (the common case, decided at once).
  const mid = minX + width / 2;
  if (text.filter((l) => l.x < mid - bodySize && l.xEnd > mid + bodySize).length > text.length * 0.5) return null;
  let best: { g: number; score: number } | null = null;
  for (let g = minX + width * 0.3; g <= minX + width * 0.7; g += 2) {
    let left = 0;
    let right = 0;
    let cross = 0;
    for (const l of text) {
      if (l.xEnd <= g) left++;
      else if (l.x >= g) right++;
      else cross++;
    }
    const need = Math.max(6, text.length * 0.2);
    if (left < need || right < need || cross > text.length * 0.1) continue;
    // Lines in the left column must be column-wide, not just short lines of a single-column page.
    const score = Math.min(left, right) - 3 * cross;
    if (!best || score > best.score) best = { g, score };
  }
  if (!best) return null;
  // A real gutter leaves the left column's full lines ending close to it: not a page of short lines (a table, a poem).
  const leftEnds = text.filter((l) => l.xEnd <= best!.g).map((l) => l.xEnd);
  const fullLeft = leftEnds.filter((e) => best!.g - e < bodySize * 3).length;
  return fullLeft >= leftEnds.length * 0.4 ? best.g : null;
}

function modeOf(values: number[]): number {
  const w = new Map<number, number>();
  for (const v of values) w.set(v, (w.get(v) ?? 0) + 1);
  let best = NaN;
  let n = -1;
  for (const [v, c] of w) if (c > n) [best, n] = [v, c];
  return best;
}
