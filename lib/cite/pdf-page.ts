import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { TutorError } from "../errors";

/**
 * One page of a course's PDF, rendered, with a passage's words highlighted: poppler draws the page
 * (`pdftoppm`) and gives every word's box (`pdftotext -bbox`); the passage's words are found in that
 * sequence and their boxes, merged per printed line, are the highlight. Rectangles are fractions of the page
 * (x, y from the top-left), so they sit on the image at any size. Without poppler the view is unavailable
 * and the citation keeps its link to the PDF.
 */

const run = promisify(execFile);

export interface PageWord {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface HighlightRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

async function withPdfFile<T>(bytes: Buffer, page: number, f: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "tutor-pdf-page-"));
  try {
    const file = path.join(dir, "page.pdf");
    await writeFile(file, bytes);
    return await f(file);
  } catch (e) {
    if (e instanceof TutorError) throw e;
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new TutorError("not-found", "Page images need poppler-utils (pdftoppm, pdftotext) on the server.");
    // poppler exits non-zero for a page the PDF does not have (or a damaged file).
    throw new TutorError("not-found", `Page ${page} of the PDF cannot be shown.`, { cause: e });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface RenderOptions {
  /** Resolution; 110 dpi by default (a page of notes at reading size). */
  dpi?: number;
  /**
   * The longest side in pixels at most: the resolution is lowered for a large page (a figure drawn on A0 is
   * not rasterised at 150 dpi), so the PNG stays a bounded size. Costs one `pdfinfo` run.
   */
  maxSide?: number;
}

/** The page as a PNG, about 110 dpi (or as `opts` say). */
export function renderPdfPage(bytes: Buffer, page: number, opts: RenderOptions = {}): Promise<Buffer> {
  return withPdfFile(bytes, page, async (file) => {
    let dpi = opts.dpi ?? 110;
    if (opts.maxSide) {
      const { stdout: info } = await run("pdfinfo", ["-f", String(page), "-l", String(page), file], { encoding: "utf8", timeout: 30_000 });
      const size = new RegExp(String.raw`^Page\s+${page} size:\s+([\d.]+) x ([\d.]+) pts`, "m").exec(info);
      if (!size) throw new TutorError("not-found", `The PDF has no page ${page}.`);
      const longest = Math.max(Number(size[1]), Number(size[2])) / 72;
      if (longest > 0) dpi = Math.min(dpi, opts.maxSide / longest);
    }
    const { stdout } = await run("pdftoppm", ["-png", "-r", dpi.toFixed(2), "-f", String(page), "-l", String(page), "-singlefile", file], { encoding: "buffer", maxBuffer: 64 * 1024 * 1024, timeout: 30_000 });
    if (!stdout.length) throw new TutorError("not-found", `The PDF has no page ${page}.`);
    return stdout;
  });
}

/** The page's size in points and its words with their boxes (poppler's `pdftotext -bbox`). */
export function pdfPageWords(bytes: Buffer, page: number): Promise<{ width: number; height: number; words: PageWord[] }> {
  return withPdfFile(bytes, page, async (file) => {
    const { stdout } = await run("pdftotext", ["-bbox", "-f", String(page), "-l", String(page), file, "-"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 30_000 });
    const size = /<page width="([\d.]+)" height="([\d.]+)"/.exec(stdout);
    if (!size) throw new TutorError("not-found", `The PDF has no page ${page}.`);
    const words: PageWord[] = [];
    for (const m of stdout.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      words.push({ x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]), text: decodeEntities(m[5]) });
    }
    return { width: Number(size[1]), height: Number(size[2]), words };
  });
}

function decodeEntities(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

/** A word as compared: letters and digits only, lower case, ligatures split. */
function norm(word: string): string {
  return word.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

/**
 * Where the passage's words run on the page: the start that matches the most of its first words in order, then
 * on through the passage, stepping over a few words either side that do not match (formulas read differently).
 * Returns the matched words' boxes merged per line, as fractions of the page; none when under 3 words match.
 */
export function highlightRects(words: PageWord[], text: string, width: number, height: number): HighlightRect[] {
  const page = words.map((w) => norm(w.text));
  const passage = text.split(/\s+/).map(norm).filter(Boolean).slice(0, 400);
  if (!passage.length) return [];
  let best = { at: -1, from: 0, n: 0 };
  // The passage may open with words the page prints elsewhere (a label, a title): try its first few as the start.
  for (let from = 0; from < Math.min(6, passage.length); from++) {
    for (let i = 0; i < page.length; i++) {
      let n = 0;
      while (i + n < page.length && from + n < passage.length && page[i + n] && page[i + n] === passage[from + n]) n++;
      if (n > best.n) best = { at: i, from, n };
    }
  }
  if (best.n < 3) return [];
  const matched: PageWord[] = [];
  let i = best.at;
  let j = best.from;
  let misses = 0;
  while (i < page.length && j < passage.length && misses < 12) {
    if (page[i] && page[i] === passage[j]) {
      matched.push(words[i]);
      i++;
      j++;
      misses = 0;
      continue;
    }
    // Step over up to 4 words on either side to find the next agreement.
    let step: [number, number] | null = null;
    for (let d = 1; d <= 4 && !step; d++) {
      for (const [a, b] of [[d, 0], [0, d], [d, d]] as const) {
        if (i + a < page.length && j + b < passage.length && page[i + a] && page[i + a] === passage[j + b]) {
          step = [a, b];
          break;
        }
      }
    }
    if (!step) {
      i++;
      j++;
      misses++;
      continue;
    }
    i += step[0];
    j += step[1];
  }
  // One rectangle per printed line.
  const lines: PageWord[][] = [];
  for (const w of matched) {
    const line = lines.find((l) => Math.abs(l[0].y1 - w.y1) < 2 && w.x0 > l[l.length - 1].x0 - 1);
    if (line) line.push(w);
    else lines.push([w]);
  }
  return lines.map((l) => {
    const x0 = Math.min(...l.map((w) => w.x0));
    const x1 = Math.max(...l.map((w) => w.x1));
    const y0 = Math.min(...l.map((w) => w.y0));
    const y1 = Math.max(...l.map((w) => w.y1));
    return { x: x0 / width, y: y0 / height, w: (x1 - x0) / width, h: (y1 - y0) / height };
  });
}
