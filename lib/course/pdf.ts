import { layoutPages } from "./pdf/layout";
import { PdfReadError, readPdfLines } from "./pdf/read-pdf";
import { structurePdf } from "./pdf/structure";
import type { ParsedFile } from "./types";

/**
 * A PDF of notes → `ParsedFile`, as printed (see `pdf/structure.ts` for what is recognised). For a PDF,
 * `source.line` and `source.endLine` are physical page numbers (1-based), and diagnostics name the page
 * as their line. Never throws for bad input: an unreadable PDF, or one without a text layer (a scan), is
 * an error diagnostic at the file.
 */
export async function parsePdf(file: string, data: Uint8Array): Promise<ParsedFile> {
  const fail = (message: string): ParsedFile => ({ chapters: [], files: [file], diagnostics: [{ severity: "error", file, line: 1, message }] });
  let doc;
  try {
    doc = await readPdfLines(data);
  } catch (e) {
    if (e instanceof PdfReadError) return fail(e.message);
    throw e;
  }
  const chars = doc.pages.reduce((n, p) => n + p.reduce((m, l) => m + l.text.length, 0), 0);
  // A scanned page has an image and no text; a few characters (a page number stamped on a scan) do not make a text layer.
  if (chars < 40 * doc.pages.length * 0.5 || chars < 40) {
    return fail(
      `has no text layer (${doc.pages.length} page${doc.pages.length === 1 ? "" : "s"}, ${chars} characters of text): a scanned PDF cannot be read without OCR — export the notes to PDF from their source, or give the source (.tex, .md)`,
    );
  }
  return structurePdf(file, layoutPages(doc));
}
