/**
 * Pass 4 of the LaTeX path, the blocks: the tree of chapters › sections › subsections and the blocks
 * under each heading. This base holds the tree being built, paragraphs and headings; environments
 * (`environments.ts`), lists (`lists.ts`) and the walk over macros (`blocks.ts`) build on it. Text is
 * not read here: each block defers reading its source range until every `\ref` is known (`text.ts`).
 */
import { formatLabel } from "../labels";
import { oneLine, type RefUse, type SourceFile } from "../latex-text";
import type { Block, HeadingKind, ParseInput, SectionNode } from "../types";
import { childrenOf, endOf, groupRange, startOf, type Node } from "./ast";
import type { Diagnostics } from "./diagnostics";
import { dirOf, type SourceSet } from "./files";
import type { MacroTable } from "./macros";
import type { DerivedNumbering } from "./numbering";
import { EXERCISE_HEADING, EXERCISES_TITLE, HEADING_LEVELS } from "./syntax";

export interface Mode {
  /** Building blocks (section flow) rather than only tracking numbers and labels inside one. */
  flow: boolean;
  preamble: boolean;
  math: boolean;
  /** Top-level enumerates here are exercise lists. */
  exList: boolean;
  listLevel: number;
  /** Nesting depth of lists of any type (parts may be an itemize with \item[(a)]). */
  listDepth: number;
  /** Where labels of equations / list items go when not inside a numbered item. */
  sink?: string[];
  /** Collects part labels of lists at list depth `partsLevel` (the lists directly inside an exercise). */
  parts?: string[];
  partsLevel?: number;
  float?: string;
  depth: number;
  /** Directory that `\input` paths are relative to. */
  base: string;
}

interface Para {
  file: SourceFile;
  start: number;
  end: number;
  math: boolean;
  other: boolean;
  labels: string[];
}

/**
 * A place in the tree where the walk stood at a file's line: after `after` in `list` (at its start when
 * undefined). Blocks the engine's trace adds go in at the last anchor before their line (`traced-blocks.ts`).
 */
export interface Anchor {
  file: string;
  line: number;
  list: Block[];
  after?: Block;
}

interface OpenHeading {
  node: SectionNode;
  level: number;
  file: string;
  /** The title as written (the node's printed title is filled in later). */
  rawTitle?: string;
}

export abstract class TreeBuilder {
  readonly chapters: SectionNode[] = [];
  readonly front: Block[] = [];
  protected readonly open: OpenHeading[] = [];
  protected para: Para | undefined;
  /** Text reads, run once every label is known. */
  readonly deferred: (() => void)[] = [];
  /** Paragraph blocks (dropped at the end when nothing printable is left in them). */
  readonly paragraphs = new Set<Block>();
  readonly refs: RefUse[] = [];
  protected readonly warnedEnvs = new Set<string>();
  /** Environments `\excludecomment` removed from the printed book (comment package). */
  protected readonly excludedEnvs = new Set<string>();
  protected readonly stack: string[] = [];
  protected includes = 0;
  protected exHeadingLevel: number | undefined;
  /** The printed number of the last numbered heading, of any level (what TeX's trace prefixes a bare "6." with). */
  private lastHeadingNumber = "";
  docTitle: string | undefined;
  protected readonly mainDir: string;
  /** Where the walk stood, per file, in reading order (a file's anchors have increasing lines). */
  readonly anchors = new Map<string, Anchor[]>();

  constructor(
    protected readonly input: ParseInput,
    readonly sources: SourceSet,
    readonly num: DerivedNumbering,
    protected readonly diags: Diagnostics,
    protected readonly macros: MacroTable,
  ) {
    this.mainDir = dirOf(input.file);
  }

  protected abstract walk(nodes: Node[], f: SourceFile, mode: Mode): void;

  /** Flushes the paragraph being built (at the end of the document). */
  finishFlow(): void {
    this.flushPara();
  }

  // ---------- tree building ----------

  protected emit(block: Block): void {
    const list = this.currentList();
    list.push(block);
    this.anchor({ file: block.source.file, line: block.source.line, list, after: block });
  }

  /** The block list the walk is filling: the innermost open heading's, or the front matter's. */
  protected currentList(): Block[] {
    const top = this.open[this.open.length - 1];
    return top ? top.node.blocks : this.front;
  }

  protected anchor(a: Anchor): void {
    const list = this.anchors.get(a.file) ?? [];
    if (!this.anchors.has(a.file)) this.anchors.set(a.file, list);
    list.push(a);
  }

  protected paraAdd(f: SourceFile, node: Node, kind: "math" | "other"): void {
    const s = startOf(node);
    const e = endOf(node);
    if (s === undefined || e === undefined) return;
    if (this.para && this.para.file !== f) this.flushPara();
    if (!this.para) this.para = { file: f, start: s, end: e, math: false, other: false, labels: [] };
    this.para.start = Math.min(this.para.start, s);
    this.para.end = Math.max(this.para.end, e);
    if (kind === "math") this.para.math = true;
    else this.para.other = true;
  }

  protected flushPara(): void {
    const p = this.para;
    this.para = undefined;
    if (!p) return;
    const block: Block = {
      kind: p.math && !p.other ? "math" : "paragraph",
      text: "",
      source: { file: p.file.rel, line: p.file.lineOf(p.start), endLine: p.file.endLineOf(p.start, p.end) },
    };
    if (p.labels.length) block.latexLabels = p.labels;
    this.paragraphs.add(block);
    this.emit(block);
    this.deferred.push(() => {
      block.text = p.file.extract(p.start, p.end).trim();
    });
  }

  protected heading(f: SourceFile, name: string, star: boolean, macroNode: Node, titleNode: Node, mode: Mode): void {
    const macroStart = startOf(macroNode) ?? 0;
    const level = HEADING_LEVELS[name];
    const depth = this.num.counters.value("secnumdepth");
    const numbered = !star && level <= depth && (level > 0 || this.num.mainmatter || !this.num.book);
    const titleRange = groupRange(titleNode)!;
    if (level === -1) {
      if (numbered) this.num.counters.step("part");
      return;
    }
    const kind: HeadingKind | undefined = this.num.book
      ? (["chapter", "section", "subsection"] as const)[level]
      : level === 1
        ? "section"
        : level === 2
          ? "subsection"
          : undefined;
    if (!kind || (!this.num.book && level === 0)) {
      // \subsubsection and below: numbered (maybe) but not part of the tree; the title stays in the text.
      if (numbered && this.num.counters.has(name)) this.lastHeadingNumber = this.num.refstep(name, name);
      this.paraAdd(f, macroNode, "other");
      this.paraAdd(f, titleNode, "other");
      return;
    }
    this.flushPara();
    const node: SectionNode = {
      kind,
      number: "",
      title: "",
      label: "",
      blocks: [],
      children: [],
      source: { file: f.rel, line: f.lineOf(macroStart), endLine: f.lineOf(macroStart) },
    };
    if (numbered) {
      // A \label after it is a heading of the appendix (cleveref: "appendix A.1").
      node.number = this.num.refstep(name, this.num.appendix ? "appendix" : kind, node, { f, offset: macroStart, by: `\\${name}` });
      node.label = kind === "chapter" && this.num.appendix ? `${this.appendixName()} ${node.number}` : formatLabel(kind, node.number);
      this.lastHeadingNumber = node.number;
    }
    // An unnumbered heading leaves \@currentlabel alone, so a following \label refers to what came before.
    this.deferred.push(() => {
      node.title = oneLine(f.extract(titleRange.start, titleRange.end));
      if (!numbered) node.label = node.title;
    });
    const raw = oneLine(f.masked.slice(titleRange.start, titleRange.end));
    if (EXERCISE_HEADING.test(raw)) this.exHeadingLevel = level;
    else if (this.exHeadingLevel !== undefined && level <= this.exHeadingLevel) this.exHeadingLevel = undefined;
    while (this.open.length && this.open[this.open.length - 1].level >= level) this.open.pop();
    const parent = this.open[this.open.length - 1];
    if (parent) parent.node.children.push(node);
    else this.chapters.push(node);
    this.open.push({ node, level, file: f.rel, rawTitle: raw });
    this.anchor({ file: f.rel, line: f.lineOf(macroStart), list: node.blocks });
    // Labels or refs inside the title itself.
    this.walk(childrenOf(titleNode), f, { ...mode, flow: false });
  }

  /** book.cls prints `\@chapapp` before a chapter's number: after `\appendix`, `\appendixname` ("Appendix A"). */
  private appendixName(): string {
    const own = this.sources.printed?.macros.get("appendixname")?.body.trim();
    return own && /^[\p{L} ]+$/u.test(own) ? own : "Appendix";
  }

  /**
   * What a bare exercise number ("6.") printed in an exercise list is prefixed with: the number in the
   * exercise heading's own title ("Exercises 2.1" → "2.1."), else (`asTraced`) the last numbered heading's, else
   * the number of the nearest numbered heading
   * that holds the exercise heading (the section whose exercises they are), else nothing.
   */
  protected exerciseNumberPrefix(asTraced = false): string {
    const open = [...this.open].reverse();
    const exHeading = open.find((o) => o.level === this.exHeadingLevel);
    const inTitle = exHeading ? /(\d+(?:\.\d+)*)\s*$/.exec(exHeading.rawTitle ?? "") : null;
    if (inTitle) return `${inTitle[1]}.`;
    // `asTraced`: as the TeX trace takes it for an enumerate's "19.": the number of the last numbered heading, the
    // "Exercises" heading's own when it is numbered (Section 2.13 "Exercises" → Exercise 2.13.19)
    if (asTraced) return this.lastHeadingNumber ? `${this.lastHeadingNumber}.` : "";
    const holder = open.find((o) => o !== exHeading && o.node.number && (exHeading ? o.level < exHeading.level : true));
    return holder ? `${holder.node.number}.` : "";
  }

  /** Whether a heading titled as exercises is open ("Exercises 2.1", "Practice exercises"). */
  protected underExercisesTitle(): boolean {
    return this.exHeadingLevel !== undefined || this.open.some((o) => EXERCISES_TITLE.test(o.rawTitle ?? ""));
  }

  /** The number of the outermost numbered heading open (the chapter in a book, the section in an article), or "". */
  protected outermostNumber(): string {
    return this.open.find((o) => o.node.number)?.node.number ?? "";
  }

  protected baseMode(): Mode {
    return { flow: true, preamble: false, math: false, exList: false, listLevel: 0, listDepth: 0, depth: 0, base: this.mainDir };
  }

  /** Mode for content inside a block: numbers and labels are tracked, no blocks are built. */
  protected inner(mode: Mode, over: Partial<Mode>): Mode {
    const sink = mode.flow ? (this.para ? this.para.labels : undefined) : mode.sink;
    return { ...mode, flow: false, sink, depth: mode.depth + 1, ...over };
  }

  protected groupText(f: SourceFile, node: Node | undefined): string {
    const r = groupRange(node);
    if (!r) return "";
    return f.masked.slice(r.start, r.end).trim();
  }
}
