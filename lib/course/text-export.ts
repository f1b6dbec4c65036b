import { formatLabel, kindFromName } from "./labels";
import type { Block, BlockKind, Diagnostic, ItemKind, ParseInput, ParsedFile, SectionNode } from "./types";
import { ITEM_KINDS, openSource } from "./types";

/**
 * Parser for the plain-text export of the notes (the format of the fine-tuned model's training data):
 *
 *   Chapter 1: Numbers            Section 1.6: More on sets        Subsection 1.6.1: …
 *   Exercise 1.41: body…          (a) …  (b) …   \begin{hint}…\end{hint}   /Exercise
 *   Theorem 1.3 (Euclid): …       /Theorem       \begin{proof}…\end{proof}
 *   \begin{quiz}…\end{quiz}       <div class="sage"><script type="text/x-sage">…</script></div>
 *
 * The format is line-oriented with printed numbers, so a line scanner is the right tool: there is no
 * grammar library for it. Numbers are taken as printed; `loadCourse` checks them for duplicates and gaps.
 */

const HEADING_RE = /^(Chapter|Section|Subsection)\s+([0-9A-Z]+(?:\.[0-9]+)*)\s*:\s*(.*?)\s*$/;
const ITEM_NAMES = ITEM_KINDS.map((k) => k[0].toUpperCase() + k.slice(1)).join("|");
/** `Exercise 1.41:`, `Theorem 1.3 (Euclid):`, `Exercise 1.41 (Binomial identities): body…` */
const ITEM_OPEN_RE = new RegExp(`^(${ITEM_NAMES})\\s+([0-9A-Z]+\\.[0-9]+)\\s*(?:\\(([^)]*)\\))?\\s*:\\s?(.*)$`);
const ITEM_CLOSE_RE = new RegExp(`^/(${ITEM_NAMES})\\s*$`);
const BEGIN_RE = /^\\begin\{([A-Za-z*]+)\}/;
const PART_RE = /^\(([a-z])\)\s/;
/** Environments the export writes outside items; anything else is reported as unknown. */
const BLOCK_ENVS: Record<string, BlockKind> = { proof: "proof", quiz: "quiz", hint: "hint", solution: "solution", answer: "solution", verbatim: "code" };
/** Environments that may appear inside an item body or paragraphs without being blocks of their own. */
const INLINE_ENVS = new Set([
  "hint", "quiz", "proof", "solution", "answer", "align", "align*", "equation", "equation*", "gather", "gather*", "cases",
  "pmatrix", "bmatrix", "matrix", "vmatrix", "array", "enumerate", "itemize", "center", "tabular", "verbatim",
]);

interface OpenItem {
  kind: ItemKind;
  name: string;
  number: string;
  title?: string;
  startLine: number;
  lines: string[];
  parts: string[];
}

/** Parses one plain-text export file into chapters. Never throws for bad input: problems become diagnostics. */
export function parseTextExport(input: ParseInput): ParsedFile {
  const file = input.file;
  const { text: source, diagnostics, warn, failed } = openSource(input);
  if (source === null) return failed;
  const lines = source.split(/\r?\n/);

  const chapters: SectionNode[] = [];
  let chapter: SectionNode | undefined;
  let section: SectionNode | undefined;
  let subsection: SectionNode | undefined;
  let item: OpenItem | undefined;
  /** A multi-line block outside items: environment, Sage block or code fence. */
  let env: { kind: BlockKind; end: (line: string) => boolean; startLine: number; lines: string[]; name: string } | undefined;
  let para: { startLine: number; lines: string[] } | undefined;

  const current = (): SectionNode | undefined => subsection ?? section ?? chapter;

  const ensureContainer = (lineNo: number, numberHint?: string): SectionNode => {
    const node = current();
    if (node) return node;
    // Content before any `Chapter N:` line: keep it (nothing is lost) in an implicit chapter.
    const num = numberHint?.split(".")[0] ?? "1";
    warn(lineNo, `content before the first "Chapter" heading; placed in an untitled Chapter ${num}`);
    chapter = makeNode("chapter", num, "", file, lineNo);
    chapters.push(chapter);
    return chapter;
  };

  const pushBlock = (block: Block, numberHint?: string) => {
    ensureContainer(block.source.line, numberHint).blocks.push(block);
  };

  const flushPara = () => {
    if (!para) return;
    const text = para.lines.join("\n").trim();
    if (text) {
      const kind: BlockKind = /^(\$\$|\\\[)/.test(text) && /(\$\$|\\\])$/.test(text) ? "math" : "paragraph";
      pushBlock({ kind, text, source: { file, line: para.startLine, endLine: para.startLine + para.lines.length - 1 } });
    }
    para = undefined;
  };

  const closeItem = (endLine: number) => {
    if (!item) return;
    const text = trimLines(item.lines);
    const block: Block = {
      kind: item.kind,
      number: item.number,
      label: formatLabel(item.kind, item.number),
      text,
      source: { file, line: item.startLine, endLine },
    };
    if (item.title) block.title = item.title;
    if (item.parts.length) block.parts = item.parts;
    pushBlock(block, item.number);
    item = undefined;
  };

  const closeHeadingsTo = (kind: "chapter" | "section" | "subsection", endLine: number) => {
    // Record where each closed node ends (its children included).
    if (subsection) subsection.source.endLine = endLine;
    if (kind === "subsection") return;
    if (section) section.source.endLine = endLine;
    if (kind === "section") return;
    if (chapter) chapter.source.endLine = endLine;
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    const line = raw.trimEnd();
    const trimmed = line.trim();

    if (env) {
      env.lines.push(raw);
      if (env.end(trimmed)) {
        pushBlock({ kind: env.kind, text: env.lines.join("\n").trim(), source: { file, line: env.startLine, endLine: lineNo } });
        env = undefined;
      }
      continue;
    }

    if (item) {
      const close = ITEM_CLOSE_RE.exec(trimmed);
      if (close) {
        if (close[1] !== item.name) {
          warn(lineNo, `"/${close[1]}" closes ${item.name} ${item.number} (opened at line ${item.startLine}); expected "/${item.name}"`);
        }
        closeItem(lineNo);
        continue;
      }
      const reopen = ITEM_OPEN_RE.exec(trimmed);
      const heading = HEADING_RE.exec(trimmed);
      if (reopen || heading) {
        warn(item.startLine, `unterminated ${item.name} ${item.number}: no "/${item.name}" before line ${lineNo}`);
        closeItem(lastContentLine(lines, item.startLine, lineNo - 1));
        // fall through: the line is handled below as the opener / heading it is
      } else {
        const part = PART_RE.exec(trimmed);
        if (part && !item.parts.includes(part[1])) item.parts.push(part[1]);
        item.lines.push(raw);
        continue;
      }
    }

    const heading = HEADING_RE.exec(trimmed);
    if (heading) {
      flushPara();
      const [, name, number, title] = heading;
      if (name === "Chapter") {
        closeHeadingsTo("chapter", lastContentLine(lines, 1, lineNo - 1));
        chapter = makeNode("chapter", number, title, file, lineNo);
        section = subsection = undefined;
        chapters.push(chapter);
      } else if (name === "Section") {
        closeHeadingsTo("section", lastContentLine(lines, 1, lineNo - 1));
        const parent = ensureContainer(lineNo, number);
        checkPrefix(number, chapter?.number, lineNo, "Section", warn);
        section = makeNode("section", number, title, file, lineNo);
        subsection = undefined;
        (chapter ?? parent).children.push(section);
      } else {
        closeHeadingsTo("subsection", lastContentLine(lines, 1, lineNo - 1));
        ensureContainer(lineNo, number);
        checkPrefix(number, section?.number ?? chapter?.number, lineNo, "Subsection", warn);
        subsection = makeNode("subsection", number, title, file, lineNo);
        (section ?? chapter!).children.push(subsection);
      }
      if (!title) warn(lineNo, `${name} ${number} has no title`);
      continue;
    }

    const open = ITEM_OPEN_RE.exec(trimmed);
    if (open) {
      flushPara();
      const [, name, number, title, rest] = open;
      const kind = kindFromName(name) as ItemKind;
      checkPrefix(number, chapter?.number, lineNo, name, warn);
      item = { kind, name, number, title: title?.trim() || undefined, startLine: lineNo, lines: rest ? [rest] : [], parts: [] };
      const part = PART_RE.exec(rest ?? "");
      if (part) item.parts.push(part[1]);
      continue;
    }

    const stray = ITEM_CLOSE_RE.exec(trimmed);
    if (stray) {
      flushPara();
      warn(lineNo, `"/${stray[1]}" without an open ${stray[1]}; ignored`);
      continue;
    }

    if (/^<div\s+class=["']?sage/i.test(trimmed)) {
      flushPara();
      env = { kind: "code", name: "sage", startLine: lineNo, lines: [raw], end: (t) => /^<\/div>\s*$/i.test(t) };
      if (/<\/div>\s*$/i.test(trimmed) && trimmed !== "<div") {
        pushBlock({ kind: "code", text: trimmed, source: { file, line: lineNo, endLine: lineNo } });
        env = undefined;
      }
      continue;
    }
    if (/^```/.test(trimmed)) {
      flushPara();
      env = { kind: "code", name: "```", startLine: lineNo, lines: [raw], end: (t) => t === "```" };
      continue;
    }

    const begin = BEGIN_RE.exec(trimmed);
    if (begin && !para) {
      const name = begin[1];
      const kind = BLOCK_ENVS[name];
      if (kind || !INLINE_ENVS.has(name)) {
        if (!kind) warn(lineNo, `unknown environment "${name}"; kept as text`);
        const endTag = `\\end{${name}}`;
        if (trimmed.includes(endTag)) {
          pushBlock({ kind: kind ?? "paragraph", text: trimmed, source: { file, line: lineNo, endLine: lineNo } });
          continue;
        }
        env = { kind: kind ?? "paragraph", name, startLine: lineNo, lines: [raw], end: (t) => t.includes(endTag) };
        continue;
      }
    }

    if (trimmed === "") {
      flushPara();
      continue;
    }
    if (!para) para = { startLine: lineNo, lines: [] };
    para.lines.push(raw);
  }

  const lastLine = lastContentLine(lines, 1, lines.length);
  if (item) {
    warn(item.startLine, `unterminated ${item.name} ${item.number}: no "/${item.name}" before the end of the file`);
    closeItem(lastLine);
  }
  if (env) {
    const what = env.name === "sage" ? 'Sage block: no closing "</div>"' : env.name === "```" ? "code fence" : `environment "${env.name}"`;
    warn(env.startLine, `unterminated ${what} before the end of the file`);
    pushBlock({ kind: env.kind, text: env.lines.join("\n").trim(), source: { file, line: env.startLine, endLine: lastLine } });
    env = undefined;
  }
  flushPara();
  closeHeadingsTo("chapter", lastLine);
  return { chapters, diagnostics, files: [file] };
}

function makeNode(kind: SectionNode["kind"], number: string, title: string, file: string, line: number): SectionNode {
  return { kind, number, title, label: formatLabel(kind, number), blocks: [], children: [], source: { file, line, endLine: line } };
}

function checkPrefix(
  number: string,
  parent: string | undefined,
  line: number,
  name: string,
  warn: (line: number, message: string) => void,
) {
  if (parent === undefined) return;
  const prefix = number.split(".").slice(0, parent.split(".").length).join(".");
  if (prefix !== parent) warn(line, `${name} ${number} is numbered outside its enclosing ${parent.includes(".") ? "Section" : "Chapter"} ${parent}`);
}

/** Last non-blank line in [from, to] (1-based), so ranges don't swallow trailing blank lines. */
function lastContentLine(lines: string[], from: number, to: number): number {
  for (let n = to; n > from; n--) if (lines[n - 1]?.trim()) return n;
  return Math.max(from, 1);
}

function trimLines(lines: string[]): string {
  return lines.join("\n").replace(/^\s*\n/, "").trimEnd().replace(/^[ \t]+(?=\S)/, "");
}
