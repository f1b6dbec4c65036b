/**
 * Parsing to a unified-latex AST and reading macro arguments from it. We use the library's minimal
 * parse (environments, groups, math, comments, verbatim — with positions) and read arguments
 * ourselves, because which macros take which arguments is exactly what a course's preamble changes.
 */
import { parseMinimal } from "@unified-latex/unified-latex-util-parse";
// The grammar behind parseMinimal (same package family and version, installed with it). Called
// directly so we can turn off expectation tracking, which only matters for syntax error messages
// (this grammar accepts any input) and roughly halves parse time.
import { LatexPegParser } from "@unified-latex/unified-latex-util-pegjs";
import type * as Ast from "@unified-latex/unified-latex-types";

export type Node = Ast.Node;

/** Start offset of a node, or undefined when the parser gave it no position. */
export function startOf(node: Node | undefined): number | undefined {
  return node?.position?.start.offset;
}

/** End offset (exclusive) of a node, or undefined. */
export function endOf(node: Node | undefined): number | undefined {
  return node?.position?.end.offset;
}

/** The child list of a node, tolerating the parser's occasional non-array `content`. */
export function childrenOf(node: Node): Node[] {
  const c = (node as { content?: unknown }).content;
  if (Array.isArray(c)) return c as Node[];
  if (c && typeof c === "object" && "type" in (c as object)) return [c as Node];
  return [];
}

/** Name of an environment node (`mathenv` nodes carry it as a string node). */
export function envName(node: Node): string {
  const e = (node as { env?: unknown }).env;
  if (typeof e === "string") return e;
  if (e && typeof e === "object" && typeof (e as { content?: unknown }).content === "string") {
    return (e as { content: string }).content;
  }
  return "";
}

export function isMacro(node: Node | undefined, name?: string): node is Ast.Macro {
  return !!node && node.type === "macro" && (name === undefined || node.content === name);
}

export function isString(node: Node | undefined, s?: string): node is Ast.String {
  return !!node && node.type === "string" && (s === undefined || node.content === s);
}

function shift(nodes: unknown, delta: number, seen: Set<object>): void {
  if (!Array.isArray(nodes)) {
    if (nodes && typeof nodes === "object") shift([nodes], delta, seen);
    return;
  }
  for (const node of nodes as Record<string, unknown>[]) {
    if (!node || typeof node !== "object") continue;
    const pos = node.position as { start: { offset: number }; end: { offset: number } } | undefined;
    if (pos && !seen.has(pos)) {
      seen.add(pos);
      pos.start.offset += delta;
      pos.end.offset += delta;
    }
    if (node.content && typeof node.content === "object") shift(node.content, delta, seen);
    if (node.env && typeof node.env === "object") shift([node.env], delta, seen);
    if (Array.isArray(node.args)) for (const a of node.args as { content?: unknown }[]) shift(a.content, delta, seen);
  }
}

/**
 * Parsed chunks by their text, offsets relative to the chunk: a file parsed again after macro edits (files.ts)
 * parses only the chunks the edits changed — the PEG parse is most of a long book's parse time.
 */
export type ChunkCache = Map<string, Node[]>;

/**
 * Parses `src` as consecutive chunks cut at `splits` (line starts found by the lexer) and returns
 * the concatenated top-level nodes with offsets relative to the whole of `src`. A chunk the parser
 * rejects is reported through `onError` and contributes nothing.
 */
export function parseChunks(src: string, splits: number[], onError: (offset: number, message: string) => void, cache?: ChunkCache): Node[] {
  const bounds = [0, ...splits.filter((s) => s > 0 && s < src.length), src.length];
  const out: Node[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const from = bounds[k];
    const text = src.slice(from, bounds[k + 1]);
    try {
      const hit = cache?.get(text);
      let nodes: Node[];
      if (hit) nodes = structuredClone(hit);
      else {
        let root: Ast.Root;
        try {
          root = LatexPegParser.parse(text, { peg$silentFails: 1 }) as Ast.Root;
        } catch {
          root = parseMinimal(text);
        }
        nodes = childrenOf(root as unknown as Node);
        cache?.set(text, structuredClone(nodes));
      }
      if (from > 0) shift(nodes, from, new Set());
      out.push(...nodes);
    } catch (e) {
      // The PEG parser recurses per group: thousands of nested braces exhaust the stack.
      const deep = e instanceof RangeError ? deepNesting(text) : -1;
      const lines = `lines ${lineAt(src, from)}–${lineAt(src, bounds[k + 1] - 1)}`;
      if (deep >= 0) onError(from + deep, `braces nested more than ${MAX_SANE_DEPTH} deep here: this part of the file (${lines}) could not be parsed and is left out`);
      else onError(from, `could not parse this part of the file (${lines}): ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
    }
  }
  return out;
}

const MAX_SANE_DEPTH = 200;

/** Offset where `{` nesting first goes deeper than any notes need, or -1. */
function deepNesting(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "{" && ++depth > MAX_SANE_DEPTH) return i;
    else if (c === "}" && depth > 0) depth--;
  }
  return -1;
}

function lineAt(src: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < src.length; i++) if (src.charCodeAt(i) === 10) line++;
  return line;
}

/** A cursor over sibling nodes that reads LaTeX arguments following a macro. */
export class ArgReader {
  constructor(
    private readonly nodes: Node[],
    public pos: number,
  ) {}

  /** Skips spaces and comments (not paragraph breaks), as TeX does between arguments. */
  private skipSpace(): void {
    while (this.pos < this.nodes.length) {
      const n = this.nodes[this.pos];
      if (n.type === "whitespace" || n.type === "comment") this.pos++;
      else break;
    }
  }

  /** Reads a `*` directly after the macro. */
  star(): boolean {
    const n = this.nodes[this.pos];
    if (isString(n) && n.content.startsWith("*")) {
      if (n.content === "*") {
        this.pos++;
        return true;
      }
    }
    return false;
  }

  /** Reads `[ … ]`; returns the source range of its contents. */
  optional(): { start: number; end: number } | undefined {
    const save = this.pos;
    this.skipSpace();
    const open = this.nodes[this.pos];
    if (!isString(open, "[")) {
      this.pos = save;
      return undefined;
    }
    let depth = 0;
    for (let k = this.pos; k < this.nodes.length; k++) {
      const n = this.nodes[k];
      if (n.type === "parbreak") break;
      if (isString(n, "[")) depth++;
      else if (isString(n, "]")) {
        depth--;
        if (depth === 0) {
          const s = endOf(open);
          const e = startOf(n);
          this.pos = k + 1;
          if (s === undefined || e === undefined) return undefined;
          return { start: s, end: e };
        }
      }
    }
    this.pos = save;
    return undefined;
  }

  /**
   * Reads `{ … }`; returns the node. `allowToken`: also a single token, as TeX reads an undelimited argument —
   * `true` a macro or a string (`\R` in `\newcommand\R`), `"macro"` a control sequence only (`\section\problemhead`;
   * a string node holds a whole word, of which TeX would take one letter).
   */
  mandatory(allowToken: boolean | "macro" = false): Node | undefined {
    const save = this.pos;
    this.skipSpace();
    const n = this.nodes[this.pos];
    if (n && (n.type === "group" || (allowToken && (n.type === "macro" || (allowToken === true && n.type === "string"))))) {
      this.pos++;
      return n;
    }
    this.pos = save;
    return undefined;
  }
}

/** Inner source range of a group node (without its braces). */
export function groupRange(node: Node | undefined): { start: number; end: number } | undefined {
  const s = startOf(node);
  const e = endOf(node);
  if (s === undefined || e === undefined) return undefined;
  if (node?.type === "group") return { start: s + 1, end: Math.max(s + 1, e - 1) };
  return { start: s, end: e };
}
