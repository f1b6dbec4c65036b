/**
 * Where a passage or item is in the notes, as users see it. A PDF has pages, not lines: for a `.pdf`
 * file the store's `line`/`end_line` hold pages (lib/course/types.ts `SourceLoc`), and the JSON says
 * `{file, page, endPage}`. Client-safe (the citation panel uses it).
 */
export type SourceRef =
  | { file: string; line: number; endLine: number; /** A LaTeX source's PDF beside it: where the part is printed. */ pdf?: string; pdfPage?: number }
  | { file: string; page: number; endPage: number };

export function isPdfFile(file: string): boolean {
  return /\.pdf$/i.test(file);
}

export function sourceRef(file: string, line: number, endLine: number, printed?: { pdf?: string | null; page?: number | null }): SourceRef {
  if (isPdfFile(file)) return { file, page: line, endPage: endLine };
  return printed?.pdf && printed.page ? { file, line, endLine, pdf: printed.pdf, pdfPage: printed.page } : { file, line, endLine };
}

/** The PDF file and page a citation can open: a PDF's own, or the page of a LaTeX source's PDF beside it. */
export function pdfPageOf(s: SourceRef): { file: string; page: number } | undefined {
  if ("page" in s) return { file: s.file, page: s.page };
  return s.pdf && s.pdfPage ? { file: s.pdf, page: s.pdfPage } : undefined;
}

/** "notes.pdf, page 5" / "notes.pdf, pages 5–6" / "tex/notes.tex:12–30". */
export function sourceText(s: SourceRef): string {
  if ("page" in s) return s.endPage > s.page ? `${s.file}, pages ${s.page}–${s.endPage}` : `${s.file}, page ${s.page}`;
  const at = s.endLine > s.line ? `${s.file}:${s.line}–${s.endLine}` : `${s.file}:${s.line}`;
  return s.pdf && s.pdfPage ? `${at} (${s.pdf}, page ${s.pdfPage})` : at;
}

/** The PDF opened at the page (`#page=N`, which browsers' PDF viewers follow), or undefined for a source file. */
export function pdfPageHref(course: string, s: SourceRef): string | undefined {
  const at = pdfPageOf(s);
  if (!at) return undefined;
  return `/api/pdf?course=${encodeURIComponent(course)}&file=${encodeURIComponent(at.file)}#page=${at.page}`;
}
