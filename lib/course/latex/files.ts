/**
 * Pass 1 of the LaTeX path: files. Which file of a folder is the book (`findLatexMains`), where an
 * `\input`/`\include` points (`includeCandidates`), and reading one file into a `SourceFile` — the
 * text as TeX sees it after pass 2 (conditionals followed, the course's structural macros expanded:
 * `conditionals.ts`, `macros.ts`), parsed by unified-latex, comments marked for removal.
 */
import { SourceFile, type PrintedContext } from "../latex-text";
import { childrenOf, endOf, envName, parseChunks, startOf, type ChunkCache, type Node } from "./ast";
import { lexLatex, type Conditionals } from "./conditionals";
import type { Diagnostics } from "./diagnostics";
import { applyEdits, macroEdits, MAX_MACRO_ROUNDS, type MacroDef, type MacroTable } from "./macros";
import { isSweaveFile, sweaveToLatex } from "./sweave";
import { MAX_DEPTH } from "./syntax";

/** Commands every LaTeX document has, for `\ifdefined`. */
const KERNEL_COMMANDS = new Set(["section", "subsection", "subsubsection", "paragraph", "label", "ref", "pageref", "textbf", "emph", "newcommand", "renewcommand", "begin", "end", "item", "par", "relax", "documentclass", "usepackage", "input", "include", "newtheorem", "pdfoutput"]);

/** `base/rel` normalised; undefined when it leaves the course folder. */
export function joinPath(base: string, rel: string): string | undefined {
  const parts = (base && base !== "." ? `${base}/${rel}` : rel).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "" || p === ".") continue;
    if (p === "..") {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(p);
  }
  return out.length ? out.join("/") : undefined;
}

export function dirOf(rel: string): string {
  const k = rel.lastIndexOf("/");
  return k < 0 ? "" : rel.slice(0, k);
}

/** The files an `\input{arg}` (or `\include`) may mean, in the order TeX tries them. */
export function includeCandidates(cmd: string, joined: string): string[] {
  return /\.(tex|ltx)$/i.test(joined) ? [joined] : cmd === "include" ? [`${joined}.tex`] : [`${joined}.tex`, joined];
}

/** `\begin {x}` / `\end {x}` (legal TeX) → `\begin{x} `: same length, so every offset and line stays. */
export function tightenEnvNames(text: string): string {
  return text.replace(/\\(begin|end)([ \t]+)\{([^{}\n]*)\}/g, (_m, cmd: string, space: string, env: string) => `\\${cmd}{${env}}${space}`);
}

const UNCOMMENTED = (text: string) => text.replace(/(^|[^\\])%.*$/gm, "$1");
const INPUT_RE = /\\(?:input|include\*?|subfile|import|subimport)\s*(?:\{([^{}]+)\}(?:\s*\{([^{}]+)\})?|([^\s{}%\\]+))/g;

/** The files `text` (in `file`) names with `\input`, `\include`, `\subfile` or `\import`, as course-relative paths. */
export function inputsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of UNCOMMENTED(text).matchAll(INPUT_RE)) {
    const arg = (m[2] ? `${m[1].trim()}/${m[2].trim()}` : (m[1] ?? m[3] ?? "")).trim();
    if (!arg) continue;
    for (const base of [dirOf(file), ""]) {
      const joined = joinPath(base, arg);
      if (joined) out.push(joined.replace(/\.tex$/i, ""));
    }
  }
  return out;
}

export interface MainChoice {
  /** The main files, each a book of its own (normally one). */
  mains: string[];
  /** Files with `\documentclass` that are not books: another file `\input`s them, or they wrap a chapter the main file also reads. */
  skipped: { file: string; reason: string }[];
}

/**
 * Picks the book among the `.tex` files of a folder: a file with `\documentclass` that no other file
 * `\input`s. A per-chapter wrapper (its own `\documentclass`, `\input`ting a chapter the main file also
 * reads) is not another book. `read` returns a file's text or null.
 */
export function findLatexMains(texFiles: string[], read: (rel: string) => string | null): MainChoice {
  const texts = new Map<string, string>();
  for (const f of texFiles) {
    const t = read(f);
    if (t !== null) texts.set(f, t);
  }
  const withClass = texFiles.filter((f) => /^[^%\n]*\\documentclass/m.test(texts.get(f) ?? ""));
  const inputs = new Map(texFiles.map((f) => [f, new Set(inputsOf(f, texts.get(f) ?? ""))]));
  const inputBy = (f: string) => texFiles.find((g) => g !== f && inputs.get(g)!.has(f.replace(/\.tex$/i, "")));
  const skipped: MainChoice["skipped"] = [];
  let mains = withClass.filter((f) => {
    const by = inputBy(f);
    if (by) skipped.push({ file: f, reason: `\\input by ${by}` });
    return !by;
  });
  // A wrapper reads a subset of what a larger main file reads: it is that book's chapter, compiled alone.
  mains = mains.filter((f) => {
    const own = inputs.get(f)!;
    if (own.size === 0) return true;
    const bigger = mains.find((g) => g !== f && inputs.get(g)!.size > own.size && [...own].every((x) => inputs.get(g)!.has(x)));
    if (bigger) skipped.push({ file: f, reason: `a wrapper around part of ${bigger}` });
    return !bigger;
  });
  return { mains, skipped };
}

/**
 * Reads and prepares the files of one document, in the order TeX reads them; the conditionals and
 * macro table carry over from file to file.
 */
export class SourceSet {
  readonly files: string[] = [];
  private readonly cache = new Map<string, SourceFile | null>();
  readonly conditionals: Conditionals = new Map();
  /** The definitions and booleans each prepared file (with what it inputs) added, to bring back when it is met again. */
  private readonly added = new Map<string, { defs: [string, MacroDef][]; booleans: [string, boolean][] }>();
  private readonly preparing = new Set<string>();
  /** The main file's folder: where TeX resolves `\input` paths (the first file loaded is the main file). */
  private mainDir: string | undefined;

  constructor(
    private readonly readText: (rel: string) => string | null,
    private readonly macros: MacroTable,
    private readonly diags: Diagnostics,
    /** The document-wide context of the printed-text pass (`lib/course/latex-printed.ts`). */
    readonly printed?: PrintedContext,
  ) {
    macros.onInput = (cmd, arg, from) => this.preload(cmd, arg, from);
  }

  /**
   * An `\input` met while a file's macros are read: the named file is read now, in TeX's order, so what it
   * defines is known to the rest of the including file; a file read before brings its definitions back (the
   * macro pass restarts a file's reading after each round of expansions).
   */
  private preload(cmd: string, arg: string, from: string): void {
    // a package is looked for beside the main file only (as the block pass does)
    const bases = cmd === "usepackage" ? [this.mainDir ?? ""] : [...new Set([this.mainDir ?? "", dirOf(from)])];
    for (const base of bases) {
      const joined = joinPath(base, arg.replace(/^"(.*)"$/, "$1"));
      if (!joined) continue;
      for (const c of cmd === "usepackage" ? [`${joined}.sty`] : includeCandidates(cmd, joined)) {
        if (this.preparing.has(c)) return;
        const done = this.added.get(c);
        if (done) {
          for (const [k, v] of done.defs) this.macros.defs.set(k, v);
          for (const [k, v] of done.booleans) this.macros.booleans.set(k, v);
          return;
        }
        if (this.cache.has(c)) continue;
        if (this.load(c)) return;
      }
    }
  }

  /** Whether a file of the course can be read (\IfFileExists), without preparing it. */
  exists(rel: string): boolean {
    if (this.cache.get(rel)) return true;
    try {
      return typeof this.readText(rel) === "string";
    } catch {
      return false;
    }
  }

  /** The prepared file, or null when it cannot be read. Cached: a file is prepared once. */
  load(rel: string): SourceFile | null {
    if (this.cache.has(rel)) return this.cache.get(rel)!;
    let text: string | null = null;
    try {
      text = this.readText(rel);
    } catch {
      text = null;
    }
    if (text === null || typeof text !== "string") {
      this.cache.set(rel, null);
      return null;
    }
    this.mainDir ??= dirOf(rel);
    // in reading order: a file counts from where TeX starts it (the files it inputs come after it)
    if (!this.files.includes(rel)) this.files.push(rel);
    const defsBefore = new Map(this.macros.defs);
    const boolsBefore = new Map(this.macros.booleans);
    this.preparing.add(rel);
    // Windows line ends: TeX reads \r\n as one end of line; the parser would see a paragraph break.
    text = text.replace(/\r\n?/g, "\n");
    // Sweave/knitr: R chunks are code, not LaTeX (line for line, so file:line stays)
    if (isSweaveFile(rel)) {
      const rnw = sweaveToLatex(text);
      if (rnw.unclosed !== undefined) this.diags.add("warning", rel, rnw.unclosed, "R code chunk (<<…>>=) is never closed by a line \"@\"; the rest of the file is read as code");
      text = rnw.text;
    }
    let f: SourceFile;
    try {
      f = this.prepare(rel, tightenEnvNames(text));
    } finally {
      this.preparing.delete(rel);
    }
    this.added.set(rel, {
      defs: [...this.macros.defs].filter(([k, v]) => defsBefore.get(k) !== v),
      booleans: [...this.macros.booleans].filter(([k, v]) => boolsBefore.get(k) !== v),
    });
    this.cache.set(rel, f);
    return f;
  }

  /** Conditionals, then macros, repeated until no macro is left to expand; then the final parse. */
  private prepare(rel: string, text: string): SourceFile {
    const startConds = new Map(this.conditionals);
    let src = text;
    // kept only while macro edits may make another round: the chunks they leave alone are not parsed again
    const chunks: ChunkCache = new Map();
    for (let round = 0; ; round++) {
      const restoreMacros = this.macros.snapshot();
      this.conditionals.clear();
      for (const [k, v] of startConds) this.conditionals.set(k, v);
      const lex = lexLatex(src, this.conditionals, (name) => (this.macros.get(name) || KERNEL_COMMANDS.has(name) ? true : undefined));
      const f = new SourceFile(rel, src, lex.masked, this.printed?.optionsFor(rel));
      const errors: [number, string][] = [];
      const mayEdit = round < MAX_MACRO_ROUNDS && this.macros.mayActOn(lex.masked);
      f.nodes = parseChunks(lex.masked, lex.splits, (off, msg) => errors.push([off, msg]), mayEdit || round > 0 ? chunks : undefined);
      const edits = mayEdit ? macroEdits(f.nodes, lex.masked, rel, (o) => f.lineOf(o), this.macros) : [];
      if (edits.length) {
        restoreMacros();
        src = applyEdits(src, edits.map((e) => ({ ...e, text: e.text })));
        continue;
      }
      for (const r of lex.skipped) f.deleteRange(r.start, r.end);
      for (const u of lex.undecided) {
        const at = { file: rel, line: f.lineOf(u.offset) };
        this.diags.unknown(`if:${u.name}`, at, (n) => `\\${u.name} (${at.file}:${at.line}) is not a conditional declared with \\newif (or a command defined here): both branches are read as text (${n} use${n === 1 ? "" : "s"}) — install TeX for the branch it takes`);
      }
      for (const off of lex.unterminatedIfs) this.diags.add("warning", f, off, "conditional (\\iffalse or a false \\if…) is never closed by \\fi; the rest of the file is skipped");
      for (const [off, msg] of errors) this.diags.add("error", f, off, msg);
      collectComments(f, f.nodes, 0);
      return f;
    }
  }
}

function collectComments(f: SourceFile, nodes: Node[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  for (const n of nodes) {
    if (n.type === "comment") {
      const s = startOf(n);
      const e = endOf(n);
      if (s !== undefined && e !== undefined) f.deleteComment(s, e);
    } else if (n.type === "verbatim" && envName(n) === "comment") {
      const s = startOf(n);
      const e = endOf(n);
      if (s !== undefined && e !== undefined) f.deleteRange(s, e);
    } else if (n.type !== "verbatim" && n.type !== "verb") {
      collectComments(f, childrenOf(n), depth + 1);
    }
  }
}
