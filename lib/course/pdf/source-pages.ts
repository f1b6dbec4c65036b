import type { Block, ParsedFile, SectionNode, SourceLoc } from "../types";

/**
 * A LaTeX book and its compiled PDF in one folder: the source is what the course is read from, the PDF says on
 * which page each part is printed. Every numbered heading and item is looked up in the PDF's own parse under
 * its printed label ("Theorem 3.12", "Section 3.1"), in order, so a label printed twice pairs with the next
 * one after the previous match; everything else (paragraphs, unnumbered items) takes the page of the nearest
 * numbered thing before it that was found. Returns how many numbered things were found in the PDF.
 */
export function attachPdfPages(chapters: SectionNode[], pdfFile: string, pdf: ParsedFile): { numbered: number; found: number } {
  const pages = new Map<string, number[]>();
  const visitPdf = (n: SectionNode) => {
    if (n.number) push(pages, normalizeLabelKey(n.label), n.source.line);
    for (const b of n.blocks) if (b.label) push(pages, normalizeLabelKey(b.label), b.source.line);
    n.children.forEach(visitPdf);
  };
  pdf.chapters.forEach(visitPdf);

  let last: number | undefined;
  let numbered = 0;
  let found = 0;
  const place = (label: string | undefined, source: SourceLoc) => {
    if (label) {
      numbered++;
      const list = pages.get(normalizeLabelKey(label));
      // Pages only go forward: the first printing of the label at or after the last page placed.
      const at = list?.findIndex((p) => last === undefined || p >= last) ?? -1;
      if (list && at >= 0) {
        found++;
        last = list[at];
        list.splice(at, 1);
      }
    }
    if (last !== undefined) {
      source.page = last;
      source.pdf = pdfFile;
    }
  };
  const visit = (n: SectionNode) => {
    place(n.number ? n.label : undefined, n.source);
    n.blocks.forEach((b: Block) => place(b.label, b.source));
    n.children.forEach(visit);
  };
  chapters.forEach(visit);
  return { numbered, found };
}

function push(map: Map<string, number[]>, key: string, page: number): void {
  const list = map.get(key);
  if (list) list.push(page);
  else map.set(key, [page]);
}

/** "Theorem  3.12" and "theorem 3.12" are one label. */
function normalizeLabelKey(label: string): string {
  return label.toLowerCase().replace(/\s+/g, " ").trim();
}
