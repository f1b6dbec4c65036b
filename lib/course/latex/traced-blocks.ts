/**
 * Pass 3b of the LaTeX path, with TeX: items the engine's trace numbered that the source passes did not
 * find (a style file's own boxes — OpenIntro's `\begin{nexample}` stepping the equation counter and printing
 * "EXAMPLE 2.3" through a helper macro, `\eoce{…}` printing only "2.15") become blocks under their printed name
 * and number, at the line where the call or `\begin` is, with the source of their lines as text. Each goes into
 * the tree where the walk stood at that line (`TreeBuilder.anchors`); unnumbered paragraphs the walk made of the
 * same lines give way to it. Headings, equations, figures and tables are not added (the walk's own).
 */
import { formatLabel } from "../labels";
import type { SourceFile } from "../latex-text";
import type { Block, CitableKind } from "../types";
import type { SourceSet } from "./files";
import { kindOfPrinted, type DerivedNumbering, type TracedNumber } from "./numbering";
import type { Anchor, TreeBuilder } from "./tree";

/** Kinds TeX numbers that are not items of their own (the walk handles them, or they are part of an item). */
const NOT_BLOCKS = /^(equation|figure|table|sub(?:figure|table)|listing|algorithm|footnote|line|page|part|chapter|section|subsection|subsubsection|paragraph|subparagraph)$/i;

export class TracedBlocks {
  /** Blocks the walk made that an added item replaces (its own lines, as an unnumbered paragraph). */
  private readonly superseded = new Map<Block[], Set<Block>>();
  added = 0;

  constructor(
    private readonly tree: TreeBuilder,
    private readonly sources: SourceSet,
    private readonly num: DerivedNumbering,
  ) {}

  /** Adds the item TeX numbered at `t`, when it is one the walk read the file of; false otherwise. */
  adopt(t: TracedNumber): boolean {
    const item = t.item;
    if (!item || item.via === "heading" || NOT_BLOCKS.test(item.kind)) return false;
    const anchors = this.tree.anchors.get(t.file);
    const f = this.sources.load(t.file);
    if (!anchors?.length || !f) return false;
    let at = -1;
    for (let k = 0; k < anchors.length; k++) if (anchors[k].line <= t.line) at = k;
    if (at < 0) at = 0;
    const anchor = anchors[at];
    const kind = (kindOfPrinted(item.name) ?? item.kind) as CitableKind;
    const endLine = Math.max(t.line, item.endLine);
    const block: Block = {
      kind,
      number: t.number,
      label: formatLabel(kind, t.number),
      text: "",
      source: { file: t.file, line: t.line, endLine },
    };
    if (item.labels.length) block.latexLabels = [...item.labels];
    if (item.parts.length) block.parts = [...item.parts];
    const pos = anchor.after ? anchor.list.indexOf(anchor.after) + 1 : 0;
    anchor.list.splice(pos, 0, block);
    anchors.splice(at + 1, 0, { file: t.file, line: t.line, list: anchor.list, after: block } satisfies Anchor);
    this.supersede(anchors, block);
    for (const key of item.labels) {
      const rec = this.num.labels.get(key);
      if (rec) {
        rec.number = t.number;
        rec.kind = kind;
      }
    }
    const range = bodyRange(f, t.line, endLine, item);
    this.tree.deferred.push(() => {
      block.text = f.extract(range.start, range.end).trim();
    });
    this.added++;
    return true;
  }

  /** Removes the superseded blocks from their lists. */
  finish(): void {
    for (const [list, drop] of this.superseded) {
      for (let k = list.length - 1; k >= 0; k--) if (drop.has(list[k])) list.splice(k, 1);
    }
  }

  /** Unnumbered blocks of the walk that begin within the item's lines are its text, read again: they go. */
  private supersede(anchors: Anchor[], block: Block): void {
    for (const a of anchors) {
      const b = a.after;
      if (!b || b === block || b.number || b.source.file !== block.source.file) continue;
      if (b.source.line < block.source.line || b.source.line > block.source.endLine) continue;
      if (b.source.endLine > block.source.endLine + 1) continue;
      const set = this.superseded.get(a.list) ?? new Set<Block>();
      this.superseded.set(a.list, set);
      set.add(b);
    }
  }
}

/**
 * The item's text range: its lines, without the `\begin{env}` / `\end{env}` or the box macro's name that
 * open and close it (what is left — arguments, body — is what the book prints under the head).
 */
export function bodyRange(f: SourceFile, line: number, endLine: number, item: { env?: string; macro?: string }): { start: number; end: number } {
  const starts = f.lineStarts;
  let start = starts[Math.min(line, starts.length) - 1] ?? 0;
  let end = endLine < starts.length ? starts[endLine] - 1 : f.src.length;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const opener = item.env ? new RegExp(`\\\\begin\\s*\\{${escape(item.env)}\\}`) : item.macro ? new RegExp(`\\\\${escape(item.macro)}(?![A-Za-z@])`) : null;
  const head = opener?.exec(f.masked.slice(start, end));
  if (head) start += head.index + head[0].length;
  if (item.env) {
    const closer = new RegExp(`\\\\end\\s*\\{${escape(item.env)}\\}(?![^]*\\\\end\\s*\\{${escape(item.env)}\\})`).exec(f.masked.slice(start, end));
    if (closer) end = start + closer.index;
  }
  return { start, end: Math.max(start, end) };
}
