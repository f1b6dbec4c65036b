import { createHash } from "node:crypto";
import path from "node:path";
import { TutorError } from "../errors";
import { log } from "../log";
import { lruMemo } from "../store/read";
import { readCourseFigure, type FigureQuery } from "./figures";
import { renderPdfPage } from "./pdf-page";

/**
 * A course's figure as an image a page can show with `<img>`. PNG and JPEG are served as they are; a PDF
 * figure (`\includegraphics{chord.pdf}`, what pdflatex courses mostly have) is drawn as a PNG of its first
 * page by poppler (`renderPdfPage`), because the page's CSP (`object-src 'none'`) and the API's
 * (`default-src 'none'`, `X-Frame-Options: DENY`) keep a PDF out of `<object>` and frames — and should.
 */

/** Figures are drawn at twice the printed size on a 72-dpi screen, so they stay sharp on high-density screens. */
const FIGURE_DPI = 150;
/** No side of a drawn figure above this many pixels (a PNG of a few MB at most). */
const FIGURE_MAX_SIDE = 2000;
/** Drawn figures kept in memory, the most recently used: a course has tens of figures, each PNG tens of kB. */
export const FIGURE_CACHE_MAX = 64;

/**
 * Drawn figures by the PDF's content hash: a figure file edited and ingested again is drawn again; the same
 * figure of two courses (or two copies of one) is drawn once. On globalThis, as the other process-wide caches.
 */
const cache: Map<string, Promise<Buffer>> = ((globalThis as Record<string, unknown>).__tutorFigureImages ??= new Map()) as Map<string, Promise<Buffer>>;

export type FigureImage = { status: "ok"; bytes: Buffer; contentType: string } | { status: "unavailable"; reason: string };

/** The PNG of a PDF figure's first page, drawn once per content (`FIGURE_CACHE_MAX` kept; a failure is not kept). */
export function pdfFigurePng(pdf: Buffer): Promise<Buffer> {
  const key = createHash("sha256").update(pdf).digest("hex");
  return lruMemo(cache, key, () => renderPdfPage(pdf, 1, { dpi: FIGURE_DPI, maxSide: FIGURE_MAX_SIDE }), FIGURE_CACHE_MAX);
}

/** How many drawn figures the cache holds now (for tests and benchmarks). */
export function figureCacheSize(): number {
  return cache.size;
}

/**
 * One figure of a course, ready for `<img>`: a file the ingest did not record for the course (or no longer in its
 * folder) is a `not-found` TutorError, as `readCourseFigure` says; a recorded PDF figure poppler cannot draw (a
 * damaged file, no poppler-utils on the server) is `unavailable` with a reason a student may read, the details
 * in the log.
 */
export async function courseFigureImage(opts: FigureQuery & { db?: string; defaultCourse?: string }): Promise<FigureImage> {
  const figure = await readCourseFigure(opts);
  if (figure.contentType !== "application/pdf") return { status: "ok", ...figure };
  try {
    return { status: "ok", bytes: await pdfFigurePng(figure.bytes), contentType: "image/png" };
  } catch (e) {
    log.warn({ file: opts.file, course: opts.course, err: e instanceof Error ? { message: e.message, cause: String(e.cause ?? "") } : String(e) }, "a PDF figure could not be drawn");
    const name = path.posix.basename(opts.file);
    const why = e instanceof TutorError && /poppler/.test(e.message) ? "the server cannot draw PDF figures" : "its PDF could not be drawn";
    return { status: "unavailable", reason: `The figure ${name} cannot be shown: ${why}.` };
  }
}

/**
 * What a figure that cannot be drawn shows instead of a broken image: a plain SVG box with the reason (our own
 * text, escaped; an SVG in `<img>` runs no script, and the API's CSP covers it opened on its own). The reason's
 * two halves ("The figure x.pdf cannot be shown:" / "its PDF could not be drawn.") go on two lines.
 */
export function figurePlaceholderSvg(reason: string): string {
  const esc = (t: string) => t.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const cut = reason.indexOf(": ");
  const lines = cut > 0 ? [reason.slice(0, cut + 1), reason.slice(cut + 2)] : [reason];
  const text = lines.map((l, i) => `<text x="260" y="${70 + 20 * i}" text-anchor="middle" font-family="sans-serif" font-size="14" fill="#444">${esc(l)}</text>`).join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="520" height="130" viewBox="0 0 520 130" role="img" aria-label="${esc(reason)}">` +
    `<rect x="1" y="1" width="518" height="128" rx="6" fill="#f6f6f6" stroke="#999" stroke-dasharray="6 4"/>` +
    `<text x="260" y="40" text-anchor="middle" font-family="sans-serif" font-size="16" font-weight="bold" fill="#333">Figure unavailable</text>` +
    text +
    `</svg>`
  );
}
