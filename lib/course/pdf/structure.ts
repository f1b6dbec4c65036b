import { formatLabel, kindFromName } from "../labels";
import type { Block, BlockKind, Diagnostic, ItemKind, ParsedFile, SectionNode } from "../types";
import type { PageLayout } from "./layout";
import type { PdfLine } from "./read-pdf";

/**
 * A PDF's lines → chapters, sections and numbered items, as printed:
 * - headings are lines set larger than the body: "Chapter 3" (the title follows in the same large size),
 *   "3.1 The derivative", "3.1.1 Rules" (or, as Markdown exports print them, "Section 3.1: The derivative"); the depth of the printed number gives the level, and a heading
 *   without a number takes the level whose size it has ("Exercises", "Preface");
 * - a numbered item is a paragraph that opens with its printed name and number ("Theorem 2.3 (Title).",
 *   "Exercise 1.41."), an unnumbered one with the name and a full stop ("Remark.", "Proof.");
 * - under a heading "Exercises" (or "Exercises 2.1"), a paragraph opening "6." is Exercise 2.1.6;
 * - words hyphenated at a line end are joined.
 * Sources: a PDF has no lines to cite, so `source.line`/`endLine` hold the first and last physical page.
 */

/** Names a paragraph can open with to be a numbered (or unnumbered) item; the common theorem-like kinds of books. */
const ITEM_NAMES = [
  "Theorem", "Lemma", "Proposition", "Corollary", "Definition", "Example", "Exercise", "Remark", "Problem",
  "Question", "Conjecture", "Claim", "Fact", "Observation", "Notation", "Algorithm", "Axiom", "Note", "Activity",
  "Investigation", "Checkpoint", "Key Idea", "Principle", "Assumption", "Hypothesis", "Property",
];
const ITEM_RE = new RegExp(`^(${ITEM_NAMES.join("|")})\\s+((?:[A-Z]\\.)?\\d+(?:\\.\\d+){0,3})(?=\\s*[.:(]|$)`);
const UNNUMBERED_RE = new RegExp(`^(${ITEM_NAMES.join("|")}|Proof|Solution|Hint)(\\s*\\([^)]{0,120}\\))?\\s*[.:]\\s`);
const TITLE_RE = /^\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*[.:]?\s*/;
const CHAPTER_WORD_RE = /^(Chapter|CHAPTER|Appendix|APPENDIX|Lecture|LECTURE|Part|PART)\s+([0-9]+|[A-Z]|[IVXL]+)\b\.?\s*[:.]?\s*(.*)$/;
const NUMBERED_HEADING_RE = /^((?:[A-Z]|\d+)(?:\.\d+){0,3})\.?\s+(\S.*)$/;
/** A heading that names its level before the number, as Markdown exports print it: "Section 5.1: Least squares", "§ 2.3. Limits". */
const LEVEL_WORD_HEADING_RE = /^(?:(?:[Ss]ub)*[Ss]ection|(?:SUB)*SECTION|§)\s*(\d+(?:\.\d+){1,3})\s*[:.]?\s+(\S.*)$/;
const EXERCISES_RE = /^(?:(?:Chapter|Review|Additional|Supplementary|Section|End-of-chapter)\s+)?(Exercises|Problems|Exercise Set|Problem Set)(?:\s+((?:[A-Z]|\d+)(?:\.\d+){0,3}))?\s*$/i;
const CAPS_ITEM_RE = /^([A-Z]{3,}(?: [A-Z]{3,}){0,2})\s+([A-Z]\.\d+|(?:[A-Z]\.)?\d+(?:\.\d+){1,3})$/;
const CENTRED_HEADING_RE = /^((?:\d+)(?:\.\d+){0,2})\.\s+(\S.*)$/;
const LIST_NUMBER_RE = /^(\d{1,3})[.)]\s+\S/;
/** An exercise printed with its full number in a list under "Exercises" ("1.3 Air pollution, study components. …"). */
const FULL_NUMBER_ITEM_RE = /^((?:[A-Z]|\d+)(?:\.\d+){0,2})\.(\d{1,3})\.?\s+(?=\S)/;
/** Front matter never worth a passage. */
const SKIPPED_HEADINGS = /^(contents|table of contents|list of figures|list of tables|index)$/i;

interface Level {
  kind: SectionNode["kind"];
  size: number;
}

export function structurePdf(file: string, layout: PageLayout): ParsedFile {
  const diagnostics: Diagnostic[] = [];
  const warn = (page: number, message: string) => diagnostics.push({ severity: "warning", file, line: page, message });
  const { lines, bodySize, leading } = layout;
  const isHeadingSize = (l: PdfLine) => l.size >= bodySize * 1.08;
  const levels = headingSizes(lines, bodySize);

  const chapters: SectionNode[] = [];
  let chapter: SectionNode | undefined;
  let section: SectionNode | undefined;
  let subsection: SectionNode | undefined;
  let skipping = false;
  let chapterWords = 0;
  let exercises: { prefix: string; last: number } | undefined;
  // The last exercise number printed in full under each prefix ("1" after "1.5"): such lists run on across a chapter's sections.
  const fullNumbered = new Map<string, number>();
  let block: (Block & { open: boolean }) | undefined;
  const blockLines: string[] = [];

  const current = () => subsection ?? section ?? chapter;
  const flush = () => {
    // Text before any heading (an article without a numbered first heading): an untitled top-level part.
    if (block && !current() && !skipping && (block.label || block.text || blockLines.length)) {
      chapter = { kind: "chapter", number: "", title: "", label: "", blocks: [], children: [], source: { ...block.source } };
      chapters.push(chapter);
    }
    if (block && current() && !skipping) {
      block.text = joinLines(blockLines);
      if (block.label) {
        const t = TITLE_RE.exec(block.text);
        if (t && t[1].length <= 120) {
          block.title = t[1].trim();
          block.text = block.text.slice(t[0].length);
        } else block.text = block.text.replace(/^[.:]\s*/, "");
        const parts = findParts(block.text);
        if (parts.length) block.parts = parts;
      }
      if (block.text.trim() || block.label) current()!.blocks.push(stripOpen(block));
    }
    block = undefined;
    blockLines.length = 0;
  };
  const startBlock = (kind: BlockKind, page: number, first: string, number?: string) => {
    flush();
    block = { kind, text: "", source: { file, line: page, endLine: page }, open: true };
    if (number) {
      block.number = number;
      block.label = formatLabel(kind, number);
    }
    blockLines.push(first);
  };
  const openHeading = (kind: SectionNode["kind"], number: string, title: string, page: number) => {
    flush();
    exercises = undefined;
    skipping = !number && SKIPPED_HEADINGS.test(title.trim());
    const node: SectionNode = { kind, number, title, label: number ? formatLabel(kind, number) : title, blocks: [], children: [], source: { file, line: page, endLine: page } };
    if (kind === "chapter" || (!chapter && kind !== "subsection" && !number)) {
      node.kind = "chapter";
      chapters.push(node);
      chapter = node;
      section = subsection = undefined;
    } else if (kind === "section" || !section) {
      if (!chapter) {
        chapter = { kind: "chapter", number: "", title: "", label: "", blocks: [], children: [], source: { file, line: page, endLine: page } };
        chapters.push(chapter);
      }
      node.kind = "section";
      chapter.children.push(node);
      section = node;
      subsection = undefined;
    } else {
      node.kind = "subsection";
      section.children.push(node);
      subsection = node;
    }
    return node;
  };

  // A title page (the first page, holding no numbered heading or item, of a longer document) is not notes.
  const lastPage = lines[lines.length - 1]?.page ?? 1;
  const firstPage = lines.filter((l) => l.page === 1);
  const titlePage = lastPage >= 4 && !firstPage.some((l) => ITEM_RE.test(l.text) || CHAPTER_WORD_RE.test(l.text) || (isHeadingSize(l) && NUMBERED_HEADING_RE.test(withoutLevelWord(l.text))));

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (titlePage && line.page === 1) continue;
    const text = line.text;
    const prev = lines[i - 1];

    // amsart and friends set "2. Definitions" in the body size, centred: a heading by its place and number.
    const centred = CENTRED_HEADING_RE.exec(text);
    if (centred && !isHeadingSize(line) && isCentred(line, layout) && text.length < 100 && /[A-Za-z]/.test(centred[2])) {
      const depth = centred[1].split(".").length;
      openHeading(depth === 1 ? "chapter" : depth === 2 ? "section" : "subsection", centred[1], joinHyphens(centred[2]), line.page);
      continue;
    }

    if (isHeadingSize(line) && text.length < 160) {
      // "Chapter 3" then the title in lines of the same large size.
      const word = CHAPTER_WORD_RE.exec(text);
      let title = "";
      let j = i;
      const joinTitle = (size: number) => {
        while (lines[j + 1] && lines[j + 1].page === line.page && Math.abs(lines[j + 1].size - size) < 0.3 && isHeadingSize(lines[j + 1]) && !NUMBERED_HEADING_RE.test(withoutLevelWord(lines[j + 1].text))) {
          j++;
          title += (title ? " " : "") + lines[j].text;
        }
      };
      if (word && /^(chapter|lecture|appendix)$/i.test(word[1])) {
        title = word[3];
        const next = lines[i + 1];
        if (!title && next && isHeadingSize(next) && next.page === line.page) {
          j++;
          title = next.text;
          joinTitle(next.size);
        }
        const node = openHeading("chapter", word[2], joinHyphens(title), line.page);
        // As the book prints it (LaTeX's \appendixname): "Appendix C", not "Chapter C".
        if (/^appendix$/i.test(word[1])) node.label = `Appendix ${word[2]}`;
        chapterWords++;
        i = j;
        continue;
      }
      const numbered = NUMBERED_HEADING_RE.exec(withoutLevelWord(text));
      if (numbered && /[A-Za-z]/.test(numbered[2]) && !/[.:]$/.test(numbered[2].trim()) && numbered[2].split(/\s+/).length <= 16) {
        const depth = numbered[1].split(".").length;
        title = numbered[2];
        joinTitle(line.size);
        const kind = depth === 1 ? "chapter" : depth === 2 ? "section" : "subsection";
        openHeading(kind, numbered[1], joinHyphens(title), line.page);
        i = j;
        continue;
      }
      const ex = EXERCISES_RE.exec(text);
      // An unnumbered heading stands at the margin or centred; a large word inside a figure ("Height" on an axis) is not one.
      if (!numbered && /[A-Za-z]/.test(text) && text.split(/\s+/).length <= 12 && (line.x - marginOf(line, layout) < bodySize * 2.2 || isCentred(line, layout) || line.size > bodySize * 1.6)) {
        title = text;
        joinTitle(line.size);
        const kind = nearestLevel(levels, line.size);
        const node = openHeading(kind, "", joinHyphens(title), line.page);
        if (ex) exercises = { prefix: ex[2] ?? (subsection ?? section ?? chapter)?.number ?? "", last: 0 };
        void node;
        i = j;
        continue;
      }
    }

    const ex = EXERCISES_RE.exec(text);
    if (ex && ex[2] && isHeadingSize(line) === false && startsParagraph(line, prev, layout)) {
      // "Exercises 2.1" set in the body size (a run-in heading): the exercise list of Section 2.1.
      flush();
      exercises = { prefix: ex[2], last: 0 };
      continue;
    }

    // A boxed item's head on a line of its own in capitals ("EXAMPLE 1.10", "GUIDED PRACTICE 1.11"): OpenIntro-style books.
    const capsHead = CAPS_ITEM_RE.exec(text);
    if (capsHead && !/^(CHAPTER|SECTION|APPENDIX|PART|TABLE|FIGURE)$/.test(capsHead[1])) {
      const name = capsHead[1].toLowerCase().replace(/\b[a-z]/g, (c) => c.toUpperCase());
      startBlock((kindFromName(name) ?? name) as ItemKind, line.page, "", capsHead[2]);
      continue;
    }

    const item = ITEM_RE.exec(text);
    if (item && atMargin(line, layout) && startsParagraph(line, prev, layout, true)) {
      const kind = (kindFromName(item[1]) ?? item[1]) as ItemKind;
      startBlock(kind, line.page, text.slice(item[0].length), item[2]);
      continue;
    }
    const unnumbered = UNNUMBERED_RE.exec(text + " ");
    if (unnumbered && atMargin(line, layout) && startsParagraph(line, prev, layout, true)) {
      const name = unnumbered[1];
      const kind: BlockKind = name === "Proof" ? "proof" : name === "Hint" ? "hint" : ((kindFromName(name) ?? "paragraph") as BlockKind);
      startBlock(kind, line.page, text);
      continue;
    }
    const listed = exercises && LIST_NUMBER_RE.exec(text);
    if (exercises && listed && Number(listed[1]) === exercises.last + 1 && startsParagraph(line, prev, layout, true)) {
      exercises.last++;
      const number = exercises.prefix ? `${exercises.prefix}.${listed[1]}` : listed[1];
      startBlock("exercise", line.page, text.replace(/^\d{1,3}[.)]\s*/, ""), number);
      continue;
    }
    const full = exercises && FULL_NUMBER_ITEM_RE.exec(text);
    if (full && Number(full[2]) === (fullNumbered.get(full[1]) ?? 0) + 1 && atMargin(line, layout) && startsParagraph(line, prev, layout, true)) {
      fullNumbered.set(full[1], Number(full[2]));
      startBlock("exercise", line.page, text.slice(full[0].length), `${full[1]}.${full[2]}`);
      continue;
    }

    const gap = prev && prev.page === line.page ? prev.y - line.y : 0;
    // A wide gap ends a block after a finished sentence; after "such that" it is a display formula inside it.
    const bigGap = gap > leading * 1.75 + 0.5 && (!prev || /[.!?]$/.test(prev.text) || indentedStart(line, layout));
    if (!block || bigGap || (block.kind === "paragraph" && startsParagraph(line, prev, layout))) {
      // A numbered item runs until the next opener or a wider gap than its own lines and formulas leave.
      if (block && block.label && !bigGap) {
        blockLines.push(text);
        block.source.endLine = line.page;
        continue;
      }
      startBlock("paragraph", line.page, text);
      continue;
    }
    blockLines.push(text);
    block.source.endLine = line.page;
  }
  flush();

  dropEmpty(chapters);
  // No "Chapter 3" anywhere: an article, whose top-level "1 Introduction" is Section 1 (as LaTeX's article prints it).
  if (!chapterWords) relabelAsArticle(chapters);
  closeRanges(chapters, lines[lines.length - 1]?.page ?? 1);
  if (!chapters.length && lines.length) warn(1, "no headings or numbered items recognised in the PDF's text");
  return { chapters, diagnostics, files: [file] };
}

function relabelAsArticle(top: SectionNode[]): void {
  for (const node of top) {
    if (node.kind !== "chapter") continue;
    node.kind = "section";
    if (node.number) node.label = formatLabel("section", node.number);
    for (const child of node.children) {
      child.kind = "subsection";
      if (child.number) child.label = formatLabel("subsection", child.number);
    }
  }
}

/** "Section 5.1: Least squares" → "5.1 Least squares": the printed number's depth, not the word, gives the level. */
export function withoutLevelWord(text: string): string {
  const m = LEVEL_WORD_HEADING_RE.exec(text);
  return m ? `${m[1]} ${m[2]}` : text;
}

/** Heading sizes by level, learnt from the numbered headings ("3", "3.1", "3.1.1"), to place unnumbered ones. */
function headingSizes(lines: PdfLine[], bodySize: number): Level[] {
  const sizes: Record<string, number[]> = { chapter: [], section: [], subsection: [] };
  for (const l of lines) {
    if (l.size < bodySize * 1.08) continue;
    const word = CHAPTER_WORD_RE.exec(l.text);
    if (word) sizes.chapter.push(l.size);
    const n = NUMBERED_HEADING_RE.exec(withoutLevelWord(l.text));
    if (n) sizes[["chapter", "section", "subsection"][Math.min(2, n[1].split(".").length - 1)]].push(l.size);
  }
  const out: Level[] = [];
  for (const kind of ["chapter", "section", "subsection"] as const) {
    const s = sizes[kind];
    if (s.length) out.push({ kind, size: s.sort((a, b) => a - b)[Math.floor(s.length / 2)] });
  }
  return out;
}

function nearestLevel(levels: Level[], size: number): SectionNode["kind"] {
  if (!levels.length) return "chapter";
  return levels.reduce((a, b) => (Math.abs(b.size - size) < Math.abs(a.size - size) ? b : a)).kind;
}

function marginOf(line: PdfLine, layout: PageLayout): number {
  if (line.column && Number.isFinite(line.column.left)) return line.column.left;
  return line.page % 2 ? layout.margin.odd : layout.margin.even;
}

function rightOf(line: PdfLine, layout: PageLayout): number {
  if (line.column && Number.isFinite(line.column.right)) return line.column.right;
  return line.page % 2 ? layout.right.odd : layout.right.even;
}

/** Centred between the margins, clearly away from the left one (a heading, or a display formula). */
function isCentred(line: PdfLine, layout: PageLayout): boolean {
  const left = marginOf(line, layout);
  const right = rightOf(line, layout);
  const mid = (left + right) / 2;
  return line.x - left > layout.bodySize * 3 && Math.abs((line.x + line.xEnd) / 2 - mid) < layout.bodySize * 1.5;
}

/** The line starts at the left margin, or indented by at most a paragraph indent. */
function atMargin(line: PdfLine, layout: PageLayout): boolean {
  const d = line.x - marginOf(line, layout);
  return d > -3 && d < layout.bodySize * 2.2;
}

/**
 * A new paragraph: indented after a line that ended short, or after a gap, or at the top of a page after
 * a short line. `opener` (an item's name): at the margin after a line that ended short or a sentence.
 */
function startsParagraph(line: PdfLine, prev: PdfLine | undefined, layout: PageLayout, opener = false): boolean {
  if (!prev) return true;
  const rightEnd = rightOf(prev, layout);
  const prevShort = prev.xEnd < rightEnd - layout.bodySize * 1.5;
  const gap = prev.page === line.page ? prev.y - line.y : layout.leading;
  if (gap > layout.leading * 1.3) return true;
  const indent = line.x - marginOf(line, layout);
  if (opener) return prevShort || /[.:!?)]$/.test(prev.text) || prev.size > layout.bodySize * 1.05;
  return indent > layout.bodySize * 0.6 && indent < layout.bodySize * 4 && (prevShort || /[.:!?]$/.test(prev.text));
}

/** The line starts with a paragraph indent (not at the margin, not centred like a formula). */
function indentedStart(line: PdfLine, layout: PageLayout): boolean {
  const indent = line.x - marginOf(line, layout);
  return indent > layout.bodySize * 0.6 && indent < layout.bodySize * 4;
}

/** Lines → text: hyphenated word ends joined ("func-" + "tions"), other lines joined by a space. */
function joinLines(lines: string[]): string {
  let out = "";
  for (const l of lines) {
    if (!out) out = l;
    else if (/[a-z]-$/.test(out) && /^[a-z]/.test(l)) out = out.slice(0, -1) + l;
    else out += `\n${l}`;
  }
  return out.trim();
}

function joinHyphens(text: string): string {
  return text.replace(/([a-z])- ([a-z])/g, "$1$2").trim();
}

function findParts(text: string): string[] {
  const parts: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*\(([a-z])\)\s/g)) if (!parts.includes(m[1])) parts.push(m[1]);
  return parts;
}

function stripOpen(b: Block & { open: boolean }): Block {
  const { open: _open, ...rest } = b;
  return rest;
}

function dropEmpty(nodes: SectionNode[]): void {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    dropEmpty(n.children);
    if (!n.number && !n.blocks.length && !n.children.length) nodes.splice(i, 1);
  }
}

/** A heading's pages run to the page where the next heading at its level or above starts. */
function closeRanges(nodes: SectionNode[], lastPage: number): void {
  nodes.forEach((n, i) => {
    const end = i + 1 < nodes.length ? nodes[i + 1].source.line : lastPage;
    n.source.endLine = Math.max(n.source.line, end);
    closeRanges(n.children, n.source.endLine);
  });
}
