/**
 * A PDF's text layer as lines, read with pdf.js (`pdfjs-dist`'s legacy build, the one meant for Node):
 * per page, the text items in content order grouped into lines by baseline, with the font size that
 * carries each line (headings are found by size) and where it starts and ends (paragraphs by indent).
 * Raised and lowered smaller text becomes `^`/`_` so formulas stay readable ("x^2", "x_{i}").
 */

/** One printed line of a page. Coordinates are PDF points, y up from the page's bottom. */
export interface PdfLine {
  text: string;
  /** 1-based physical page (what `#page=N` opens). */
  page: number;
  x: number;
  xEnd: number;
  /** Baseline. */
  y: number;
  /** Font size that carries most of the line's characters. */
  size: number;
  /** On a page set in columns: the left and right edge of the line's column (`pdf/columns.ts`). */
  column?: { left: number; right: number };
}

export interface PdfPages {
  pages: PdfLine[][];
  /** Page width and height in points, per page. */
  sizes: { width: number; height: number }[];
}

/** Thrown for a file pdf.js cannot open (not a PDF, damaged, encrypted); the message is safe to show. */
export class PdfReadError extends Error {}

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  hasEOL: boolean;
}

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let pdfjs: Promise<PdfJs> | undefined;

/** pdf.js loads lazily: only a course with a PDF pays for it. */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import("pdfjs-dist/legacy/build/pdf.mjs");
  return pdfjs;
}

/** Reads every page's lines. Never renders; fonts are not loaded (text extraction needs only the text layer). */
export async function readPdfLines(data: Uint8Array): Promise<PdfPages> {
  const { getDocument } = await loadPdfJs();
  let doc;
  try {
    doc = await getDocument({ data, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0, stopAtErrors: false }).promise;
  } catch (e) {
    const name = (e as Error).name;
    if (name === "PasswordException") throw new PdfReadError("the PDF is encrypted with a password; save an unprotected copy");
    throw new PdfReadError(`not a readable PDF (${(e as Error).message})`);
  }
  try {
    const pages: PdfLine[][] = [];
    const sizes: { width: number; height: number }[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const [x0, y0, x1, y1] = page.view;
      sizes.push({ width: x1 - x0, height: y1 - y0 });
      const content = await page.getTextContent({ includeMarkedContent: false, disableNormalization: false });
      pages.push(toLines(content.items as TextItem[], p));
      page.cleanup();
    }
    return { pages, sizes };
  } finally {
    await doc.destroy();
  }
}

interface OpenLine {
  parts: { x: number; xEnd: number; y: number; size: number; str: string }[];
  baseY: number;
  size: number;
}

/** Groups text items into lines: an item joins the open line when it sits on (or just above/below) its baseline and to its right. */
function toLines(items: TextItem[], page: number): PdfLine[] {
  const lines: PdfLine[] = [];
  let open: OpenLine | undefined;
  const close = () => {
    if (open) {
      const line = finishLine(open, page);
      if (line.text) lines.push(line);
    }
    open = undefined;
  };
  for (const it of items) {
    if (!("str" in it)) continue;
    const [a, b, c, d, e, f] = it.transform;
    // Rotated text (a margin note, a rotated table) is not part of the reading order.
    if (Math.abs(b) > 0.01 || Math.abs(c) > 0.01 || a <= 0) {
      if (it.hasEOL) close();
      continue;
    }
    const size = Math.abs(d) || Math.abs(a);
    if (it.str.length === 0) {
      if (it.hasEOL) close();
      continue;
    }
    const part = { x: e, xEnd: e + it.width, y: f, size, str: it.str };
    if (open) {
      const last = open.parts[open.parts.length - 1];
      const near = Math.abs(f - open.baseY) < 0.6 * Math.max(open.size, size);
      const rightward = e >= last.xEnd - Math.max(2, 0.3 * size);
      if (!near || !rightward) close();
    }
    if (!open) open = { parts: [], baseY: f, size };
    open.parts.push(part);
    // The line's baseline and size are those of its full-size text, not of an index or exponent.
    if (size > open.size * 1.05 && it.str.trim()) {
      open.size = size;
      open.baseY = f;
    }
    if (it.hasEOL) close();
  }
  close();
  return lines;
}

function finishLine(open: OpenLine, page: number): PdfLine {
  let text = "";
  let script: "^" | "_" | "" = "";
  let scriptText = "";
  let prevEnd = -Infinity;
  const flushScript = () => {
    if (!script) return;
    const s = scriptText.trim();
    if (s) text += s.length === 1 ? `${script}${s}` : `${script}{${s}}`;
    script = "";
    scriptText = "";
  };
  const weights = new Map<number, number>();
  for (const p of open.parts) {
    const small = p.size < open.size * 0.85;
    const rise = p.y - open.baseY;
    // Primes and stars are raised glyphs, not exponents.
    const mark = /^[\s′″‴*∗]+$/.test(p.str);
    const kind: "^" | "_" | "" = mark || !small ? "" : rise > 0.15 * open.size ? "^" : rise < -0.08 * open.size ? "_" : "";
    // A gap wider than a thin space between two items is a space the PDF did not write as a character.
    const gap = p.x - prevEnd > 0.2 * p.size;
    if (kind !== script) {
      flushScript();
      script = kind;
    }
    if (script) scriptText += (gap && scriptText ? " " : "") + p.str;
    else {
      // "x^2 and": an exponent ends where the base line goes on.
      if (/[\^_](?:\{[^}]*\}|\S)$/.test(text) && /^[\p{L}\p{N}(]/u.test(p.str)) text += " ";
      else if (gap && text && !/\s$/.test(text) && !/^\s/.test(p.str)) text += " ";
      text += p.str;
    }
    prevEnd = p.xEnd;
    if (!small) weights.set(round1(p.size), (weights.get(round1(p.size)) ?? 0) + p.str.length);
  }
  flushScript();
  const size = [...weights.entries()].sort((x, y) => y[1] - x[1])[0]?.[0] ?? round1(open.size);
  const first = open.parts[0];
  const last = open.parts[open.parts.length - 1];
  return { text: cleanText(text), page, x: first.x, xEnd: last.xEnd, y: open.baseY, size };
}

/** Unicode as a reader types it: ligatures split (NFKC), TeX's negation slash composed (" ̸=" → "≠"). */
export function cleanText(text: string): string {
  return text
    // Glyphs of math fonts without a Unicode mapping come out as control characters.
    .replace(/[\u0000-\u0008\u000B-\u001F\uFFFD]/g, "")
    .replace(/\s*\u0338\s*=/g, "≠")
    // cmsy's \mapsto bar maps to "7" ("x 7→ x^2").
    .replace(/(^|\s)7\s?→/g, "$1↦")
    .replace(/\s*\u0338\s*∈/g, "∉")
    .replace(/[\uFB00-\uFB06]/g, (ch) => ch.normalize("NFKC"))
    .replace(/\u00A0/g, " ")
    .replace(/[ \t]+/g, " ")
    .trim();
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
