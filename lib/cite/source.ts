/**
 * Where a passage or item is in the notes, as users see it. A PDF has pages, not lines: for a `.pdf`
 * file the store's `line`/`end_line` hold pages (lib/course/types.ts `SourceLoc`), and the JSON says
 * `{file, page, endPage}`. Client-safe (the citation panel uses it).
 */
export type SourceRef = { file: string; line: number; endLine: number } | { file: string; page: number; endPage: number };

export function isPdfFile(file: string): boolean {
  return /\.pdf$/i.test(file);
}

export function sourceRef(file: string, line: number, endLine: number): SourceRef {
  return isPdfFile(file) ? { file, page: line, endPage: endLine } : { file, line, endLine };
}

/** "notes.pdf, page 5" / "notes.pdf, pages 5–6" / "tex/notes.tex:12–30". */
export function sourceText(s: SourceRef): string {
  if ("page" in s) return s.endPage > s.page ? `${s.file}, pages ${s.page}–${s.endPage}` : `${s.file}, page ${s.page}`;
  return s.endLine > s.line ? `${s.file}:${s.line}–${s.endLine}` : `${s.file}:${s.line}`;
}

/** The PDF opened at the page (`#page=N`, which browsers' PDF viewers follow), or undefined for a source file. */
export function pdfPageHref(course: string, s: SourceRef): string | undefined {
  if (!("page" in s)) return undefined;
  return `/api/pdf?course=${encodeURIComponent(course)}&file=${encodeURIComponent(s.file)}#page=${s.page}`;
}
