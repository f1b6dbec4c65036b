/**
 * Pass 3b of the LaTeX path, with TeX: items the engine's trace numbered that the source passes did not
 * find (a style file's own boxes — OpenIntro's `\begin{nexample}` stepping the equation counter and printing
 * "EXAMPLE 2.3" through a helper macro, `\eoce{…}` printing only "2.15") become blocks under their printed name
 * and number, at the line where the call or `\begin` is, with the source of their lines as text. Each goes into
 * the tree where the walk stood at that line (`TreeBuilder.anchors`); unnumbered paragraphs the walk made of the
 * same lines give way to it. Headings, equations, figures and tables are not added (the walk's own).
 */
import { formatLabel } from "../labels";
import { oneLine, type SourceFile } from "../latex-text";
import type { MacroTable } from "./macros";
import type { Block, CitableKind } from "../types";
import type { Diagnostics } from "./diagnostics";
import { nameFromIdentifier } from "./engine/printed-name";
import type { SourceSet } from "./files";
import { kindOfPrinted, type DerivedNumbering, type TracedNumber } from "./numbering";
import type { Anchor, TreeBuilder } from "./tree";

/** Kinds TeX numbers that are not items of their own (the walk handles them, or they are part of an item). */
const NOT_BLOCKS = /^(equation|figure|table|sub(?:figure|table)|listing|algorithm|footnote|line|page|part|chapter|section|subsection|subsubsection|paragraph|subparagraph)$/i;

/** Identifiers of solutions, answers and hints (`eocesol`, `anscounter`, `hint`, Danish `loesning`). */
const SOLUTION_IDENTIFIER = /sol|ans(?:wer)?|hint|loes|løs/i;

export class TracedBlocks {
  /** Blocks the walk made that an added item replaces (its own lines, as an unnumbered paragraph). */
  private readonly superseded = new Map<Block[], Set<Block>>();
  added = 0;
  /** Items added per box macro or environment (`\keybox`, `nexample`). */
  readonly addedBy = new Map<string, number>();

  constructor(
    private readonly tree: TreeBuilder,
    private readonly sources: SourceSet,
    private readonly num: DerivedNumbering,
    /** The course's macros: a box macro's definition tells which argument is a `\label` key. */
    private readonly macros?: MacroTable,
  ) {}

  /** Adds the item TeX numbered at `t`, when it is one the walk read the file of; false otherwise. */
  adopt(t: TracedNumber): boolean {
    const item = t.item;
    if (!item || item.via === "heading" || NOT_BLOCKS.test(item.kind)) return false;
    // a box that prints no name of its own and whose identifier says it is a solution, answer or hint
    // (OpenIntro's \eocesol in the appendix) belongs to the exercise of that number: not an item of its own
    const identifier = item.macro ?? item.env ?? t.counter;
    if (item.name === nameFromIdentifier(identifier) && SOLUTION_IDENTIFIER.test(identifier)) return true;
    // a macro that only steps a counter and sets a label prints nothing (HoTT's \symlabel for the index of symbols)
    const def = item.macro ? this.macros?.get(item.macro) : undefined;
    if (def && !def.body.replace(/\\(?:ref)?stepcounter\s*\{[^{}]*\}|\\label\s*\{[^{}]*\}|\s+/g, "")) return true;
    const f = this.sources.load(t.file);
    if (!f) return false;
    // where the walk stood at the item's line; for a file only a \read loop inputs (the walk never entered
    // it), where it stood at the call that read it
    const place = this.tree.anchors.get(t.file)?.length ? { file: t.file, line: t.line } : item.from;
    const anchors = place && this.tree.anchors.get(place.file);
    if (!place || !anchors?.length) return false;
    let at = -1;
    for (let k = 0; k < anchors.length; k++) if (anchors[k].line <= place.line) at = k;
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
    anchors.splice(at + 1, 0, { file: place.file, line: place.line, list: anchor.list, after: block } satisfies Anchor);
    if (place.file === t.file) this.supersede(anchors, block);
    for (const key of item.labels) {
      const rec = this.num.labels.get(key);
      if (rec) {
        rec.number = t.number;
        rec.kind = kind;
      }
    }
    const range = bodyRange(f, t.line, endLine, item);
    const args = item.macro ? macroArgs(f.masked, range.start, range.end, this.macros?.get(item.macro)?.body) : undefined;
    this.tree.deferred.push(() => {
      if (args?.body) {
        block.text = f.extract(args.body.start, args.body.end).trim();
        const title = args.title && oneLine(f.extract(args.title.start, args.title.end));
        if (title) block.title = title;
      } else block.text = f.extract(range.start, range.end).trim();
    });
    this.added++;
    const by = item.macro ?? item.env;
    if (by) this.addedBy.set(by, (this.addedBy.get(by) ?? 0) + 1);
    return true;
  }

  /**
   * Removes the superseded blocks from their lists, and withdraws the "may be missing" report of a box macro
   * or environment whose every use the trace made an item.
   */
  finish(diags?: Diagnostics): void {
    for (const [by, n] of this.addedBy) {
      for (const key of [`box:${by}`, `env:${by}`]) if (diags && diags.uses(key) > 0 && diags.uses(key) <= n) diags.withdraw(key);
    }
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

/**
 * The arguments of a box macro's call, read from the text at `from` (right after the macro's name): `[…]` and
 * `{…}` groups, brace-balanced, up to a blank line or `end`. The longest is the body; a shorter one on one line
 * the title — never an argument the definition passes to `\label` (`\definition{Limit}{def:limit}{…}`).
 */
export function macroArgs(text: string, from: number, end: number, defBody: string | undefined): { body?: { start: number; end: number }; title?: { start: number; end: number } } {
  const groups: { start: number; end: number }[] = [];
  let k = from;
  while (k < end) {
    const gap = /^[ \t]*\n?[ \t]*/.exec(text.slice(k, k + 200))![0];
    const open = text[k + gap.length];
    if (open !== "{" && open !== "[") break;
    const close = open === "{" ? "}" : "]";
    let depth = 0;
    let j = k + gap.length;
    for (; j < end; j++) {
      const c = text[j];
      if (c === "\\") {
        j++;
        continue;
      }
      if (c === "{" || (open === "[" && c === "[")) depth++;
      else if (c === "}" || (open === "[" && c === "]")) {
        depth--;
        if (depth === 0 && c === close) break;
      }
    }
    if (j >= end && text[j] !== close) break;
    groups.push({ start: k + gap.length + 1, end: j });
    k = j + 1;
  }
  const labelArgs = new Set([...(defBody ?? "").matchAll(/\\label\s*\{\s*#(\d)\s*\}/g)].map((m) => Number(m[1]) - 1));
  const usable = groups.filter((_g, i) => !labelArgs.has(i));
  if (!usable.length) return {};
  const sorted = [...usable].sort((a, b) => b.end - b.start - (a.end - a.start));
  const body = sorted[0];
  const title = sorted.slice(1).find((g) => g.end - g.start < 120 && !text.slice(g.start, g.end).includes("\n"));
  return { body, ...(title ? { title } : {}) };
}
