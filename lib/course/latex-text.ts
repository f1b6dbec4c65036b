/**
 * Per-file source bookkeeping for the LaTeX parser: line numbers, and the edits that turn a source
 * range into block text (comments, labels and skipped conditionals removed; `\ref`s replaced by the
 * numbers they print; list items, captions and equations given the labels and numbers they print).
 * Text is materialised only after the whole document is read, because a `\ref` may point forward,
 * and then goes through `latexToPrintedText`: block text is what the book prints.
 */
import type { Node } from "./latex/ast";
import { FigureFinder } from "./latex-figures";
import { latexToPrintedText, type PrintedTextOptions, type TextMacro } from "./latex-printed";

export type { TextMacro };

/**
 * What the printed-text pass needs from the whole document, filled in while it is read: the course's
 * macros (expanded in text, handed to KaTeX), its environments (their arguments are titles), the image
 * files `\includegraphics` finds.
 */
export class PrintedContext {
  readonly macros = new Map<string, TextMacro>();
  readonly figures: FigureFinder;
  /** Set by the text pass once every label is known: what a reference inside a course macro prints. */
  ref?: (cmd: string, keys: string[]) => string | undefined;

  constructor(
    mainDir: string,
    fileExists: ((rel: string) => boolean) | undefined,
    private readonly envs: ReadonlyMap<string, { nargs: number; hasOptional: boolean }>,
  ) {
    this.figures = new FigureFinder(mainDir, fileExists);
  }

  /** The options of one file's text (graphics are found relative to that file too). */
  optionsFor(rel: string): PrintedTextOptions {
    return { macros: this.macros, envs: this.envs, graphic: (arg) => this.figures.resolve(arg, rel), ref: (cmd, keys) => this.ref?.(cmd, keys) };
  }
}

/** A `\ref`-like use whose printed text is decided once all labels are known. */
export interface RefUse {
  cmd: string;
  keys: string[];
  file: string;
  line: number;
  /** Filled in by the resolver before any text is extracted. */
  text?: string;
}

interface Replace {
  start: number;
  end: number;
  /** A `\ref` whose text is known at the end, or fixed text. */
  ref?: RefUse;
  text?: string;
}

/** One source file as the parser holds it. */
export class SourceFile {
  readonly lineStarts: number[] = [0];
  private deletions: { start: number; end: number }[] = [];
  private replaces: Replace[] = [];
  private sealed = false;
  /** Top-level nodes of the file. */
  nodes: Node[] = [];

  constructor(
    /** Path relative to the course root. */
    readonly rel: string,
    /** The file as read. */
    readonly src: string,
    /** The file with false conditional branches blanked (same offsets). */
    readonly masked: string,
    /** What the printed-text pass needs (the course's macros), filled in while the document is read. */
    private readonly printed: PrintedTextOptions = {},
  ) {
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    const off = Math.max(0, Math.min(offset, this.src.length));
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** 1-based line of the last character of `[start, end)`. */
  endLineOf(start: number, end: number): number {
    return this.lineOf(Math.max(start, end - 1));
  }

  /**
   * Marks `[start, end)` as not part of the printed text. When nothing but whitespace shares its
   * lines, the whole lines go, so a `\label` or comment on its own line leaves no blank line behind.
   */
  deleteRange(start: number, end: number): void {
    if (end <= start) return;
    const src = this.src;
    let ls = start;
    while (ls > 0 && src[ls - 1] !== "\n") ls--;
    let le = end;
    while (le < src.length && src[le] !== "\n") le++;
    const before = src.slice(ls, start);
    const after = src.slice(end, le);
    if (before.trim() === "" && after.trim() === "") {
      this.deletions.push({ start: ls, end: Math.min(src.length, le + 1) });
      return;
    }
    let s = start;
    if (after.trim() === "") {
      while (s > ls && (src[s - 1] === " " || src[s - 1] === "\t")) s--;
      this.deletions.push({ start: s, end: le });
      return;
    }
    this.deletions.push({ start, end });
  }

  /** Marks a `%` comment beginning at or after `from` (the parser's comment node start). */
  deleteComment(from: number, until: number): void {
    const pct = this.masked.indexOf("%", from);
    if (pct < 0 || pct >= until) return;
    let eol = this.src.indexOf("\n", pct);
    if (eol < 0) eol = this.src.length;
    this.deleteRange(pct, eol);
  }

  replaceRef(start: number, end: number, ref: RefUse): void {
    this.replaces.push({ start, end, ref });
  }

  /**
   * Replaces `[start, end)` by `text` in extracted text (`start === end` inserts): how the parser passes
   * what LaTeX computes to the printed-text pass — `\item[{(b)}]`, `\numberedcaption{Figure 2.3}`,
   * `\tag{3.2}`.
   */
  replaceText(start: number, end: number, text: string): void {
    this.replaces.push({ start, end, text });
  }

  private seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    this.deletions.sort((a, b) => a.start - b.start);
    const merged: { start: number; end: number }[] = [];
    for (const d of this.deletions) {
      const last = merged[merged.length - 1];
      if (last && d.start <= last.end) last.end = Math.max(last.end, d.end);
      else merged.push({ ...d });
    }
    this.deletions = merged;
    this.replaces.sort((a, b) => a.start - b.start);
    this.replaces = this.replaces.filter((r) => !this.deletions.some((d) => r.start < d.end && r.end > d.start));
  }

  private firstIndex<T extends { end: number }>(arr: T[], start: number): number {
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (arr[mid].end <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The printed text of `[start, end)`: the source with the parser's edits, through `latexToPrintedText`. */
  extract(start: number, end: number): string {
    return latexToPrintedText(this.extractSource(start, end), this.printed);
  }

  /** The source of `[start, end)` with the parser's edits applied, trailing spaces and blank-line runs tidied. */
  extractSource(start: number, end: number): string {
    this.seal();
    const s0 = Math.max(0, start);
    const e0 = Math.min(this.src.length, end);
    if (e0 <= s0) return "";
    type Ev = { start: number; end: number; text: string };
    const evs: Ev[] = [];
    for (let k = this.firstIndex(this.deletions, s0); k < this.deletions.length; k++) {
      const d = this.deletions[k];
      if (d.start >= e0) break;
      evs.push({ start: Math.max(d.start, s0), end: Math.min(d.end, e0), text: "" });
    }
    for (let k = this.firstIndex(this.replaces, s0); k < this.replaces.length; k++) {
      const r = this.replaces[k];
      if (r.start >= e0) break;
      if (r.start >= s0 && r.end <= e0) evs.push({ start: r.start, end: r.end, text: r.text ?? r.ref?.text ?? "??" });
    }
    evs.sort((a, b) => a.start - b.start || a.end - b.end);
    let out = "";
    let cur = s0;
    for (const ev of evs) {
      if (ev.start < cur) continue;
      out += this.src.slice(cur, ev.start) + ev.text;
      cur = ev.end;
    }
    out += this.src.slice(cur, e0);
    return out.replace(/[ \t]+$/gm, "").replace(/\n{3,}/g, "\n\n");
  }
}

/**
 * Collapses a heading or title to one line. Titles are shown as plain text (outline, breadcrumbs, labels),
 * so the printed text's Markdown emphasis goes; math stays.
 */
export function oneLine(s: string): string {
  const plain = s
    .split(/(\$[^$]*\$|\\\(.*?\\\))/)
    .map((part, k) => (k % 2 ? part : part.replace(/\*\*([^*]+)\*\*/g, "$1").replace(/(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])/g, "$1").replace(/`([^`]+)`/g, "$1")))
    .join("");
  return plain.replace(/\s+/g, " ").trim();
}

/** Removes blank lines at the start and trailing whitespace of a code listing, keeping indentation. */
export function tidyCode(s: string): string {
  return s.replace(/^(?:[ \t]*\n)+/, "").replace(/\s+$/, "");
}
