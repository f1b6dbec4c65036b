import { formatLabel, KIND_NAMES } from "./labels";
import type { Block, CourseDoc, CourseItem, SectionNode } from "./types";

/** "Section 1.6: More on sets" — how a heading appears in paths and passage headers. */
export function headingLine(node: SectionNode): string {
  // An unnumbered heading (\section*{Exercises}) is just its title.
  if (!node.number) return node.title || node.label;
  return node.title ? `${node.label}: ${node.title}` : node.label;
}

/** A block as it reads in a passage: items keep the notes' own opener ("Exercise 1.41 (Title): …"). */
export function renderBlock(block: Block): string {
  if (!block.label) return block.text;
  const title = block.title ? ` (${block.title})` : "";
  return `${block.label}${title}: ${block.text}`;
}

/** The full text of a heading's node: its own blocks, then its children with their heading lines. */
export function renderNode(node: SectionNode, opts: { withHeading?: boolean } = {}): string {
  const parts: string[] = [];
  if (opts.withHeading) parts.push(headingLine(node));
  parts.push(...node.blocks.map(renderBlock));
  for (const child of node.children) parts.push(renderNode(child, { withHeading: true }));
  return parts.join("\n\n");
}

/**
 * Every citable thing of a course, flattened: chapters, sections, subsections and numbered items, in
 * notes order. A chapter's text is its introduction plus its outline (a whole chapter is too long to show
 * as one passage); sections and subsections carry their full text.
 */
export function listItems(doc: CourseDoc): CourseItem[] {
  const out: CourseItem[] = [];
  for (const chapter of doc.chapters) {
    const chapterTitle = headingLine(chapter);
    const outline = chapter.children.map((c) => `- ${headingLine(c)}`).join("\n");
    out.push({
      kind: "chapter",
      number: chapter.number,
      label: chapter.label,
      title: chapter.title,
      text: [...chapter.blocks.map(renderBlock), outline].filter(Boolean).join("\n\n"),
      chapter: chapter.number,
      chapterTitle,
      section: "",
      sectionTitle: "",
      path: [chapterTitle],
      source: chapter.source,
    });
    const visit = (node: SectionNode, path: string[], section: SectionNode | undefined) => {
      for (const b of node.blocks) {
        if (!b.number || !b.label) continue;
        out.push({
          kind: b.kind as CourseItem["kind"],
          number: b.number,
          label: b.label,
          title: b.title ?? "",
          text: b.text,
          chapter: chapter.number,
          chapterTitle,
          section: section?.label ?? "",
          sectionTitle: section?.title ?? "",
          path,
          ...(b.parts ? { parts: b.parts } : {}),
          source: b.source,
        });
      }
      for (const child of node.children) {
        const childPath = [...path, headingLine(child)];
        const childSection = child.kind === "section" && child.number ? child : section;
        // Unnumbered headings (\section*{Exercises}) cannot be cited; their items and text still can.
        if (child.number) out.push({
          kind: child.kind,
          number: child.number,
          label: child.label,
          title: child.title,
          text: renderNode(child),
          chapter: chapter.number,
          chapterTitle,
          section: childSection?.label ?? "",
          sectionTitle: childSection?.title ?? "",
          path: childPath,
          source: child.source,
        });
        visit(child, childPath, childSection);
      }
    };
    visit(chapter, [chapterTitle], undefined);
  }
  return out;
}

/** Counts of numbered things per kind, e.g. { chapter: 5, section: 17, exercise: 52, … }. */
export function countByKind(items: CourseItem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of Object.keys(KIND_NAMES)) counts[k] = 0;
  for (const i of items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
  return counts;
}

export { formatLabel };
