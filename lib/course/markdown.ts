import remarkDirective from "remark-directive";
import remarkMath from "remark-math";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { toString } from "mdast-util-to-string";
import type { Root, RootContent } from "mdast";
import { formatLabel, kindFromName } from "./labels";
import type { Block, BlockKind, Diagnostic, ItemKind, ParseInput, ParsedFile, SectionNode } from "./types";
import { ITEM_KINDS, openSource } from "./types";

/**
 * Markdown notes, parsed with remark (+ remark-math for `$…$`/`$$…$$`, remark-directive for `:::exercise`).
 *
 *   # Chapter 5: Optimisation in practice   (or `# 5 Optimisation…`, or `# Optimisation…` → numbered in order)
 *   ## Section 5.1: Least squares           (or `## 5.1 Least squares`, or `## Least squares`)
 *   ### Subsection 5.1.1: …
 *   :::exercise[Optional title]{#ex:normal-equations}
 *   body, parts as a list "(a) …", a nested :::hint … ::: allowed
 *   :::
 *   **Exercise 5.4.** A paragraph-style exercise; a list right after it belongs to it.
 *
 * Numbers are taken as printed; unprinted ones are derived as LaTeX would with one shared counter per
 * chapter for all numbered items (the convention of the rest of these notes).
 */

const HEADING_KINDS = ["chapter", "section", "subsection"] as const;
const PRINTED_HEADING_RE = /^(?:(Chapter|Section|Subsection)\s+)?([0-9]+(?:\.[0-9]+)*)\.?\s*[:.]?\s+(.*)$/;
const BOLD_ITEM_RE = new RegExp(
  `^(${ITEM_KINDS.map((k) => k[0].toUpperCase() + k.slice(1)).join("|")})(?:\\s+([0-9]+\\.[0-9]+))?\\s*(?:\\(([^)]*)\\))?\\s*[.:]?$`,
);
const OTHER_DIRECTIVES: Record<string, BlockKind> = { hint: "hint", quiz: "quiz", proof: "proof", solution: "solution", answer: "solution", sage: "code" };

type Directive = Extract<RootContent, { type: "containerDirective" }>;

/** Parses one Markdown file. Never throws for bad input; problems become diagnostics. */
export function parseMarkdown(input: ParseInput): ParsedFile {
  const file = input.file;
  const { text: source, diagnostics, warn, failed } = openSource(input);
  if (source === null) return failed;
  // YAML front matter (title, author, … for Pandoc or a static site) is not notes: blank it out, keeping
  // the line numbers of what follows.
  const text = source.replace(/^---[ \t]*\r?\n(?:[^\n]*\r?\n){0,200}?(?:---|\.\.\.)[ \t]*(?=\r?\n|$)/, (fm) => fm.replace(/[^\n]/g, ""));
  const tree = unified().use(remarkParse).use(remarkMath).use(remarkDirective).parse(text) as Root;
  const lineCount = text.split(/\r?\n/).length;

  const chapters: SectionNode[] = [];
  let chapter: SectionNode | undefined;
  let section: SectionNode | undefined;
  let subsection: SectionNode | undefined;
  // A file whose chapters print no number continues the course: its first chapter is the one after the
  // chapters of the files before it (course.json `files` order, else name order), not Chapter 1 again.
  let chapterCount = (input.firstChapter ?? 1) - 1;
  /** Per heading level: whether a printed and an unprinted number were seen (mixing is warned once a file). */
  const numbering = { printed: new Set<string>(), derived: new Set<string>(), warned: false };
  let sectionCount = 0;
  let subsectionCount = 0;
  let itemCount = 0;
  let lastItem: Block | undefined;

  const slice = (node: { position?: { start: { offset?: number }; end: { offset?: number } } }) =>
    text.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);
  const loc = (node: RootContent) => ({ file, line: node.position?.start.line ?? 1, endLine: node.position?.end.line ?? 1 });
  const container = (line: number): SectionNode => {
    if (subsection ?? section ?? chapter) return (subsection ?? section ?? chapter)!;
    warn(line, "content before the first chapter heading (#); placed in an untitled chapter");
    chapterCount++;
    chapter = node("chapter", String(chapterCount), "", { file, line, endLine: line });
    chapters.push(chapter);
    return chapter;
  };
  const nextItemNumber = (printed: string | undefined, line: number, label: string): string => {
    const chapterNo = chapter?.number ?? "1";
    if (printed) {
      const [prefix, n] = printed.split(".");
      if (prefix !== chapterNo) warn(line, `${label} ${printed} is numbered outside Chapter ${chapterNo}`);
      itemCount = Number(n);
      return printed;
    }
    itemCount++;
    return `${chapterNo}.${itemCount}`;
  };

  const children = tree.children;
  for (let i = 0; i < children.length; i++) {
    const n = children[i];
    const line = n.position?.start.line ?? 1;

    if (n.type === "heading" && n.depth <= 3) {
      const kind = HEADING_KINDS[n.depth - 1];
      const headingText = toString(n).trim();
      const printed = PRINTED_HEADING_RE.exec(headingText);
      const title = printed ? printed[3].trim() : headingText;
      const printedNumber = printed?.[2];
      let number: string;
      (printedNumber ? numbering.printed : numbering.derived).add(kind);
      if (numbering.printed.has(kind) && numbering.derived.has(kind) && !numbering.warned) {
        numbering.warned = true;
        warn(line, `${kind} headings with printed numbers and without them are mixed in this file: the unnumbered ones are numbered on from the one before (print every number, or none)`);
      }
      if (kind === "chapter") {
        chapterCount = printedNumber ? Number(printedNumber.split(".")[0]) : chapterCount + 1;
        number = printedNumber ?? String(chapterCount);
        chapter = node("chapter", number, title, loc(n));
        chapters.push(chapter);
        section = subsection = undefined;
        sectionCount = itemCount = 0;
      } else if (kind === "section") {
        const parent = chapter ?? container(line);
        sectionCount = printedNumber ? Number(printedNumber.split(".").at(-1)) : sectionCount + 1;
        number = printedNumber ?? `${parent.number}.${sectionCount}`;
        if (printedNumber && !printedNumber.startsWith(`${parent.number}.`)) {
          warn(line, `Section ${printedNumber} is numbered outside Chapter ${parent.number}`);
        }
        section = node("section", number, title, loc(n));
        subsection = undefined;
        subsectionCount = 0;
        parent.children.push(section);
      } else {
        const parent = section ?? chapter ?? container(line);
        subsectionCount = printedNumber ? Number(printedNumber.split(".").at(-1)) : subsectionCount + 1;
        number = printedNumber ?? `${parent.number}.${subsectionCount}`;
        subsection = node("subsection", number, title, loc(n));
        parent.children.push(subsection);
      }
      if (!title) warn(line, `${formatLabel(kind, number)} has no title`);
      lastItem = undefined;
      continue;
    }

    if (n.type === "containerDirective") {
      const d = n as Directive;
      const kind = kindFromName(d.name);
      if (kind && (ITEM_KINDS as readonly string[]).includes(kind)) {
        const labelNode = d.children[0];
        const hasLabel = labelNode?.type === "paragraph" && (labelNode.data as { directiveLabel?: boolean } | undefined)?.directiveLabel;
        const title = hasLabel ? toString(labelNode).trim() : d.attributes?.title ?? undefined;
        const body = hasLabel ? d.children.slice(1) : d.children;
        const printed = d.attributes?.number ?? undefined;
        const number = nextItemNumber(printed || undefined, line, d.name);
        const block: Block = {
          kind: kind as ItemKind,
          number,
          label: formatLabel(kind, number),
          text: body.length ? text.slice(body[0].position!.start.offset!, body.at(-1)!.position!.end.offset!).trim() : "",
          source: loc(n),
        };
        if (title) block.title = title;
        if (d.attributes?.id) block.latexLabels = [d.attributes.id];
        const parts = findParts(block.text);
        if (parts.length) block.parts = parts;
        // A heading inside an item means its ":::" was never closed and it swallowed what follows
        // (later sections, exercises, chapters): an error, so nothing is stored that way.
        const heading = firstHeading(d);
        if (heading) {
          diagnostics.push({
            severity: "error",
            file,
            line,
            message: `":::${d.name}" is not closed before the heading at line ${heading.position?.start.line} ("${toString(heading).slice(0, 60)}"): close it with ":::" on a line of its own`,
          });
        } else if (/^:::/.test(slice(n).split("\n").at(-1) ?? "") === false) {
          warn(line, `unterminated ":::${d.name}" block: no closing ":::" before the end of the file`);
        }
        container(line).blocks.push(block);
        lastItem = block;
        continue;
      }
      const other = OTHER_DIRECTIVES[d.name];
      if (!other) warn(line, `unknown block ":::${d.name}"; kept as text`);
      container(line).blocks.push({ kind: other ?? "paragraph", text: slice(n), source: loc(n) });
      lastItem = undefined;
      continue;
    }

    if (n.type === "paragraph" && n.children[0]?.type === "strong") {
      const opener = BOLD_ITEM_RE.exec(toString(n.children[0]).trim());
      if (opener) {
        const kind = kindFromName(opener[1]) as ItemKind;
        const number = nextItemNumber(opener[2], line, opener[1]);
        const block: Block = {
          kind,
          number,
          label: formatLabel(kind, number),
          text: text.slice(n.children[0].position!.end.offset!, n.position!.end.offset!).trim(),
          source: loc(n),
        };
        if (opener[3]) block.title = opener[3].trim();
        container(line).blocks.push(block);
        lastItem = block;
        continue;
      }
    }

    // A list or hint directly after a paragraph-style item belongs to it (its parts).
    if (lastItem && n.type === "list" && lastItem.source.endLine >= line - 2) {
      lastItem.text = text.slice(offsetOfLine(text, lastItem.source.line), n.position!.end.offset!).replace(/^\*\*[^*]+\*\*\s*/, "").trim();
      lastItem.source.endLine = n.position!.end.line;
      const parts = findParts(lastItem.text);
      if (parts.length) lastItem.parts = parts;
      continue;
    }

    lastItem = undefined;
    const kind: BlockKind = n.type === "code" ? "code" : n.type === "math" ? "math" : n.type === "list" ? "list" : "paragraph";
    if (n.type === "html" && !slice(n).trim()) continue;
    container(line).blocks.push({ kind, text: slice(n), source: loc(n) });
  }

  closeRanges(chapters, lineCount);
  return { chapters, diagnostics, files: [file] };
}

function node(kind: SectionNode["kind"], number: string, title: string, source: Block["source"]): SectionNode {
  return { kind, number, title, label: formatLabel(kind, number), blocks: [], children: [], source: { ...source } };
}

function findParts(text: string): string[] {
  const parts: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:[-*]\s+|\d+\.\s+)?\(([a-z])\)\s/g)) if (!parts.includes(m[1])) parts.push(m[1]);
  return parts;
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf("\n", offset) + 1;
  return offset;
}

/** A heading node's range runs to the line before the next heading at its level or above. */
function closeRanges(nodes: SectionNode[], lastLine: number): void {
  nodes.forEach((n, i) => {
    const end = i + 1 < nodes.length ? nodes[i + 1].source.line - 1 : lastLine;
    n.source.endLine = Math.max(n.source.line, end);
    closeRanges(n.children, n.source.endLine);
  });
}

/** The first heading inside a node (code blocks are not parsed, so a "# comment" in code is no heading). */
function firstHeading(node: { children?: unknown[] }): RootContent | undefined {
  for (const child of (node.children ?? []) as (RootContent & { children?: unknown[] })[]) {
    if (child.type === "heading") return child;
    const inner = firstHeading(child);
    if (inner) return inner;
  }
  return undefined;
}
