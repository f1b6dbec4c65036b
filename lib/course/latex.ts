/**
 * LaTeX course parser: a main file with `\documentclass`, its `\input`/`\include`d chapter files,
 * `\newtheorem` environments and enumerate exercise lists → `ParsedFile`, with every number
 * computed the way LaTeX prints it (checked against pdflatex's .aux output in the tests).
 *
 * Conventions beyond plain LaTeX:
 * - Exercise lists: an `enumerate` is a list of exercises when it sits in an environment whose name
 *   says so (`exercises`, `problems`, `exerciselist` …, declared or not; a `\newenvironment` that
 *   wraps `\begin{enumerate}[…]` contributes its enumitem options), or when it follows a heading
 *   titled "Exercises"/"Problems" (e.g. `\section*{Exercises}`). Each top-level `\item` is one
 *   exercise numbered by the list's enumitem `ref=`/`label=` (`\thechapter.\arabic*`), `start=`
 *   (`\numexpr\value{theorem}+1\relax` continues a shared counter) and `after=`/end code
 *   (`\setcounter{theorem}{\value{enumi}}`), or by an explicit `\item[3.7]`.
 * - Parts: items of an enumerate directly inside an exercise; `(a)` → "a".
 * - Hints (`hint` environment) inside an exercise stay in its text; elsewhere they are `hint` blocks.
 * - A `\newtheorem` whose printed name is not a citable kind ("Claim", "Problem") still steps its
 *   counter (so later numbers stay right) but yields an unnumbered `remark` block titled with what
 *   the PDF prints, e.g. "Claim 3.4 (Key step)"; a warning is issued at the declaration.
 * - Unnumbered headings (`\section*`) get number "" and use their title as label.
 * - Block text is what the book prints (`latexToPrintedText`, lib/course/latex-printed.ts): comments,
 *   `\label`s and false conditional branches are removed, `\ref`/`\eqref`/`\cref` are replaced by what they
 *   print ("??" when undefined), list items, captions and numbered equation rows get the labels and
 *   numbers computed here. Items, proofs, hints and code lose their `\begin`/`\end` wrapper.
 */
import { ITEM_KINDS } from "./types";
import type { Block, BlockKind, Diagnostic, HeadingKind, ItemKind, ParsedFile, ParseInput, SectionNode, Severity } from "./types";
import { formatLabel, KIND_NAMES, kindFromName } from "./labels";
import { ArgReader, childrenOf, endOf, envName, groupRange, isMacro, isString, parseChunks, startOf, type Node } from "./latex-ast";
import { Counters, evalIntExpr, parseTemplate, renderLabel, shortLabel } from "./latex-counters";
import { lexLatex, VERBATIM_ENVS, type Conditionals } from "./latex-lexer";
import { oneLine, SourceFile, tidyCode, type RefUse, type TextMacro } from "./latex-text";
import { toKatexMacros, type KatexMacros } from "./latex-macros";
import { FigureFinder } from "./latex-figures";

/** What a `\label` resolves to: the printed number and what kind of thing carries it. */
export interface LatexLabel {
  key: string;
  /** The text `\ref` prints, e.g. "3.2", "A.1", "(a)". */
  number: string;
  /** A citable kind, or "equation", "figure", "table", "item", "counter". */
  kind: string;
  file: string;
  line: number;
  title?: string;
}

/** `ParsedFile` plus the document's label table (what pdflatex writes to the .aux files). */
export interface LatexParseResult extends ParsedFile {
  labels: Record<string, LatexLabel>;
  macros: KatexMacros;
  /** Image files the document shows, relative to the course root. */
  figures: string[];
}

const HEADING_LEVELS: Record<string, number> = {
  part: -1,
  chapter: 0,
  section: 1,
  subsection: 2,
  subsubsection: 3,
  paragraph: 4,
  subparagraph: 5,
};

const BOOK_CLASSES = new Set(["book", "report", "memoir", "scrbook", "scrreprt", "amsbook", "tufte-book", "krantz"]);

const CODE_ENVS = new Set([...VERBATIM_ENVS].filter((e) => e !== "comment" && !e.startsWith("filecontents")));

/** Numbered display-math environments; rows are split at `\\` for the multi-line ones. */
const EQ_ENVS = new Set(["equation", "align", "gather", "multline", "flalign", "alignat", "eqnarray", "xalignat", "xxalignat"]);
const SINGLE_ROW_EQ = new Set(["equation", "multline"]);
const MATH_ENVS = new Set([
  ...[...EQ_ENVS].flatMap((e) => [e, `${e}*`]),
  "displaymath",
  "math",
  "dmath",
  "dmath*",
]);
const MATH_INNER_ENVS = new Set([
  "aligned", "alignedat", "gathered", "split", "cases", "cases*", "dcases", "rcases", "matrix", "pmatrix",
  "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix", "array", "subarray", "CD", "multlined",
]);
const LIST_ENVS = new Set(["enumerate", "itemize", "description", "enumerate*", "itemize*", "description*"]);
const FLOAT_ENVS: Record<string, string> = { figure: "figure", "figure*": "figure", table: "table", "table*": "table", wrapfigure: "figure" };
const KNOWN_ENVS = new Set([
  "document", "center", "flushleft", "flushright", "quote", "quotation", "verse", "minipage", "tabular",
  "tabular*", "tabularx", "longtable", "array", "tikzpicture", "tikzcd", "picture", "abstract", "titlepage",
  "multicols", "multicols*", "proof", "thebibliography", "theindex", "small", "footnotesize", "scriptsize",
  "large", "Large", "normalsize", "subfigure", "subequations", "appendices", "frame", "block", "alertblock",
  "exampleblock", "columns", "column", "adjustbox", "framed", "mdframed", "tcolorbox", "hint", "hints", "quiz",
  "otherlanguage", "otherlanguage*", "sloppypar", "spacing", "singlespace", "onehalfspace", "doublespace",
  "landscape", "axis", "scope", "filecontents", "filecontents*", "comment", "lstlisting", "exercises",
  ...LIST_ENVS, ...MATH_ENVS, ...MATH_INNER_ENVS, ...Object.keys(FLOAT_ENVS), ...CODE_ENVS,
]);
const REF_CMDS = new Set(["ref", "eqref", "cref", "Cref", "autoref", "Autoref", "nameref", "vref", "Vref", "labelcref", "namecref", "nameCref", "cpageref", "Cpageref"]);
const DEFINERS = new Set(["newcommand", "renewcommand", "providecommand", "DeclareRobustCommand", "DeclareMathOperator", "NewDocumentCommand", "RenewDocumentCommand", "ProvideDocumentCommand", "DeclareDocumentCommand"]);
const INCLUDES = new Set(["input", "include", "subfile", "import", "subimport", "inputfrom", "subinputfrom", "includefrom", "subincludefrom"]);

const EXERCISE_CONTAINER = /^(exercises|problems|exercise-?list|exlist|problemset|problem-?list|homework|aufgaben|uebungen)\*?$/i;
const EXERCISE_LIST_ENV = /exercis|problem|homework|aufgab/i;
const EXERCISE_HEADING = /^(exercises|problems|homework|further exercises|aufgaben|übungen)\b/i;

const DEFAULT_ENUM_LABELS = ["\\arabic*.", "(\\alph*)", "\\roman*.", "\\Alph*."];
// LaTeX's \p@enumii etc. prefix nested refs with the outer item ("1a", "1(a)i").
const DEFAULT_ENUM_REFS = ["\\arabic*", "\\theenumi\\alph*", "\\theenumi(\\theenumii)\\roman*", "\\theenumi(\\theenumii)\\theenumiii\\Alph*"];
const ENUM_COUNTERS = ["enumi", "enumii", "enumiii", "enumiv"];

const MAX_DEPTH = 400;
const MAX_INCLUDES = 2000;

interface TheoremDef {
  /** Counter stepped by the environment; undefined when unnumbered. */
  counter?: string;
  printed: string;
  kind?: ItemKind;
  /** The title comes from a mandatory argument (`\newenvironment{x}[1]`) instead of `[…]`. */
  mandatoryTitle?: boolean;
}

interface UserEnv {
  nargs: number;
  hasOptional: boolean;
  begin: string;
  end: string;
  /** enumitem options of a `\begin{enumerate}[…]` inside the begin code. */
  list?: { type: string; opts: string; pre: string; post: string };
}

/** `\@currentlabel` and what it belongs to; one per TeX group (environment). */
interface CurrentLabel {
  number: string;
  kind: string;
  owner?: Block | SectionNode;
}

interface Mode {
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

interface OpenHeading {
  node: SectionNode;
  level: number;
  file: string;
}

type Deferred = () => void;

function isItemKind(k: string | undefined): k is ItemKind {
  return !!k && (ITEM_KINDS as readonly string[]).includes(k);
}

function joinPath(base: string, rel: string): string | undefined {
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

function dirOf(rel: string): string {
  const k = rel.lastIndexOf("/");
  return k < 0 ? "" : rel.slice(0, k);
}

/** Splits enumitem-style `key=value, key` options at top-level commas. */
function parseKeyVals(opts: string): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0;
  let cur = "";
  const flush = () => {
    const t = cur.trim();
    cur = "";
    if (!t) return;
    const eq = t.indexOf("=");
    const key = (eq < 0 ? t : t.slice(0, eq)).trim();
    let val = eq < 0 ? "" : t.slice(eq + 1).trim();
    if (val.startsWith("{") && val.endsWith("}")) val = val.slice(1, -1);
    out.set(key, val);
  };
  for (const ch of opts) {
    if (ch === "{") depth++;
    else if (ch === "}") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) flush();
    else cur += ch;
  }
  flush();
  return out;
}

/** Text inside the first `[...]` starting at `s[from]` (brace-aware), with the index after `]`. */
function bracketAt(s: string, from: number): { text: string; end: number } | undefined {
  let j = from;
  while (j < s.length && /\s/.test(s[j])) j++;
  if (s[j] !== "[") return undefined;
  let depth = 0;
  let brace = 0;
  for (let k = j; k < s.length; k++) {
    const c = s[k];
    if (c === "{") brace++;
    else if (c === "}") brace--;
    else if (brace === 0 && c === "[") depth++;
    else if (brace === 0 && c === "]" && --depth === 0) return { text: s.slice(j + 1, k), end: k + 1 };
  }
  return undefined;
}

/** "(a)" → "a", "iii." → "iii": the part letter as students cite it. */
function partName(label: string): string {
  return label.replace(/^[\s([{]+|[\s)\]}.:]+$/g, "").trim();
}

/** "Exercise 3.7." → "3.7". */
function exerciseNumber(label: string): string {
  return label
    .replace(/^\s*(exercises?|problems?|ex\.?|aufgabe)\s*/i, "")
    .replace(/[\s.:)]+$/g, "")
    .replace(/^\(/, "")
    .trim();
}

function counterCommands(code: string): { cmd: string; counter: string; value?: string }[] {
  const re = /\\(setcounter|addtocounter)\s*\{\s*([^{}\s]+)\s*\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}|\\(stepcounter|refstepcounter)\s*\{\s*([^{}\s]+)\s*\}/g;
  const out: { cmd: string; counter: string; value?: string }[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(code))) {
    if (m[1]) out.push({ cmd: m[1], counter: m[2], value: m[3] });
    else out.push({ cmd: m[4], counter: m[5] });
  }
  return out;
}

class LatexDocumentParser {
  private readonly diags: Diagnostic[] = [];
  private readonly files: string[] = [];
  private readonly cache = new Map<string, SourceFile | null>();
  private readonly stack: string[] = [];
  private includes = 0;
  private readonly conditionals: Conditionals = new Map();
  private counters = new Counters();
  private book = true;
  private mainmatter = true;
  private capitalise = false;
  private readonly theorems = new Map<string, TheoremDef>();
  private readonly userEnvs = new Map<string, UserEnv>();
  private readonly labels = new Map<string, LatexLabel>();
  /** User commands that are a heading under another name: `\newcommand{\chap}[1]{\chapter{#1}}` → chap → chapter. */
  private readonly headingAliases = new Map<string, string>();
  private readonly refs: RefUse[] = [];
  private readonly labelOwners: [LatexLabel, Block | SectionNode][] = [];
  private readonly scopes: CurrentLabel[] = [{ number: "", kind: "none" }];
  private readonly chapters: SectionNode[] = [];
  private readonly front: Block[] = [];
  private readonly open: OpenHeading[] = [];
  private para: Para | undefined;
  private readonly deferred: Deferred[] = [];
  private readonly paragraphs = new Set<Block>();
  private readonly warnedEnvs = new Set<string>();
  private readonly listSeries = new Map<string, number>();
  private exHeadingLevel: number | undefined;
  private docTitle: string | undefined;
  private readonly mainDir: string;
  /** The document's own macros: expanded in block text, handed to KaTeX for formulas. */
  private readonly textMacros = new Map<string, TextMacro>();
  /** The image files `\includegraphics` shows. */
  private readonly figures: FigureFinder;

  constructor(private readonly input: ParseInput) {
    this.mainDir = dirOf(input.file);
    this.figures = new FigureFinder(this.mainDir, input.fileExists);
    this.initCounters(true);
  }

  // ---------- diagnostics & files ----------

  private diag(severity: Severity, file: SourceFile | string, lineOrOffset: number, message: string, isOffset = true): void {
    const rel = typeof file === "string" ? file : file.rel;
    const line = typeof file === "string" || !isOffset ? lineOrOffset : file.lineOf(lineOrOffset);
    this.diags.push({ severity, file: rel, line, message });
  }

  private load(rel: string): SourceFile | null {
    if (this.cache.has(rel)) return this.cache.get(rel)!;
    let text: string | null = null;
    try {
      text = this.input.readText(rel);
    } catch {
      text = null;
    }
    if (text === null || typeof text !== "string") {
      this.cache.set(rel, null);
      return null;
    }
    const lex = lexLatex(text, this.conditionals);
    const f = new SourceFile(rel, text, lex.masked, { macros: this.textMacros, envs: this.userEnvs, graphic: (arg) => this.figures.resolve(arg, rel) });
    for (const r of lex.skipped) f.deleteRange(r.start, r.end);
    for (const off of lex.unterminatedIfs) this.diag("warning", f, off, "conditional (\\iffalse or a false \\if…) is never closed by \\fi; the rest of the file is skipped");
    f.nodes = parseChunks(lex.masked, lex.splits, (off, msg) => this.diag("error", f, off, msg));
    this.collectComments(f, f.nodes, 0);
    this.cache.set(rel, f);
    if (!this.files.includes(rel)) this.files.push(rel);
    return f;
  }

  private collectComments(f: SourceFile, nodes: Node[], depth: number): void {
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
        this.collectComments(f, childrenOf(n), depth + 1);
      }
    }
  }

  // ---------- counters ----------

  private initCounters(book: boolean): void {
    this.book = book;
    const c = new Counters();
    c.define("part");
    if (book) {
      c.define("chapter");
      c.define("section", "chapter");
      c.within("section", "chapter", true);
    } else c.define("section");
    c.define("subsection", "section");
    c.within("subsection", "section", true);
    c.define("subsubsection", "subsection");
    c.within("subsubsection", "subsection", true);
    c.define("paragraph", "subsubsection");
    c.define("subparagraph", "paragraph");
    for (const name of ["equation", "figure", "table", "footnote"]) {
      c.define(name, book ? "chapter" : undefined);
      // book.cls: \theequation is \thechapter.\arabic{equation} only once a chapter has started.
      if (book && name !== "footnote") c.setTemplate(name, [{ t: "cond", c: "chapter", s: "." }, { t: "fmt", c: name, style: "arabic" }]);
    }
    const styles = ["arabic", "alph", "roman", "Alph"] as const;
    ENUM_COUNTERS.forEach((name, k) => {
      c.define(name, k > 0 ? ENUM_COUNTERS[k - 1] : undefined);
      c.setTemplate(name, [{ t: "fmt", c: name, style: styles[k] }]);
    });
    c.define("secnumdepth");
    c.set("secnumdepth", book ? 2 : 3);
    c.define("tocdepth");
    c.define("page");
    this.counters = c;
  }

  private scope(): CurrentLabel {
    return this.scopes[this.scopes.length - 1];
  }

  private withScope<T>(fn: () => T): T {
    this.scopes.push({ ...this.scope() });
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** `\refstepcounter`: steps the counter and makes its printed value what the next `\label` records. */
  private refstep(counter: string, kind: string, owner?: Block | SectionNode): string {
    this.counters.step(counter);
    const number = this.counters.the(counter);
    const s = this.scope();
    s.number = number;
    s.kind = kind;
    s.owner = owner;
    return number;
  }

  private runCounterCode(code: string, f: SourceFile, at: number): void {
    for (const c of counterCommands(code)) this.counterCommand(c.cmd, c.counter, c.value, f, at);
  }

  private counterCommand(cmd: string, counter: string, value: string | undefined, f: SourceFile, at: number): void {
    if (!this.counters.has(counter)) {
      this.diag("warning", f, at, `\\${cmd}: no counter "${counter}" is defined`);
      return;
    }
    if (cmd === "stepcounter") this.counters.step(counter);
    else if (cmd === "refstepcounter") this.refstep(counter, "counter");
    else {
      const v = evalIntExpr(value ?? "", this.counters);
      if (v === undefined) {
        this.diag("warning", f, at, `\\${cmd}{${counter}}: cannot evaluate "${(value ?? "").slice(0, 60)}"`);
        return;
      }
      if (cmd === "setcounter") this.counters.set(counter, v);
      else this.counters.add(counter, v);
    }
  }

  // ---------- tree building ----------

  private emit(block: Block): void {
    const top = this.open[this.open.length - 1];
    if (top) top.node.blocks.push(block);
    else this.front.push(block);
  }

  private paraAdd(f: SourceFile, node: Node, kind: "math" | "other"): void {
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

  private flushPara(): void {
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

  private heading(f: SourceFile, name: string, star: boolean, macroNode: Node, titleNode: Node, mode: Mode): void {
    const macroStart = startOf(macroNode) ?? 0;
    const level = HEADING_LEVELS[name];
    const depth = this.counters.value("secnumdepth");
    const numbered = !star && level <= depth && (level > 0 || this.mainmatter || !this.book);
    const titleRange = groupRange(titleNode)!;
    if (level === -1) {
      if (numbered) this.counters.step("part");
      return;
    }
    const kind: HeadingKind | undefined = this.book
      ? (["chapter", "section", "subsection"] as const)[level]
      : level === 1
        ? "section"
        : level === 2
          ? "subsection"
          : undefined;
    if (!kind || (!this.book && level === 0)) {
      // \subsubsection and below: numbered (maybe) but not part of the tree; the title stays in the text.
      if (numbered && this.counters.has(name)) this.refstep(name, name);
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
      node.number = this.refstep(name, kind, node);
      node.label = formatLabel(kind, node.number);
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
    this.open.push({ node, level, file: f.rel });
    // Labels or refs inside the title itself.
    this.walk(childrenOf(titleNode), f, { ...mode, flow: false });
  }

  // ---------- driver ----------

  run(): LatexParseResult {
    try {
      const f = this.load(this.input.file);
      if (!f) {
        this.diag("error", this.input.file, 1, "cannot read the LaTeX main file");
      } else {
        this.stack.push(f.rel);
        this.document(f);
        this.stack.pop();
      }
    } catch (e) {
      this.diag("error", this.input.file, 1, `internal error while parsing LaTeX: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      this.finish();
    } catch (e) {
      this.diag("error", this.input.file, 1, `internal error while finishing LaTeX parse: ${e instanceof Error ? e.message : String(e)}`);
    }
    const labels: Record<string, LatexLabel> = {};
    for (const [k, v] of this.labels) labels[k] = v;
    const order = new Map(this.files.map((p, i) => [p, i]));
    const diagnostics = this.diags
      .map((d, i) => ({ d, i }))
      .sort((a, b) => (order.get(a.d.file) ?? 0) - (order.get(b.d.file) ?? 0) || a.d.line - b.d.line || a.i - b.i)
      .map((x) => x.d);
    return { chapters: this.chapters, diagnostics, files: this.files.length ? this.files : [this.input.file], labels, macros: toKatexMacros(this.textMacros.values()), figures: this.figures.files() };
  }

  private baseMode(): Mode {
    return { flow: true, preamble: false, math: false, exList: false, listLevel: 0, listDepth: 0, depth: 0, base: this.mainDir };
  }

  private document(f: SourceFile): void {
    const nodes = f.nodes;
    const mode = this.baseMode();
    const envIdx = nodes.findIndex((n) => n.type === "environment" && envName(n) === "document");
    if (envIdx >= 0) {
      this.walk(nodes.slice(0, envIdx), f, { ...mode, flow: false, preamble: true });
      this.walk(childrenOf(nodes[envIdx]), f, mode);
      return;
    }
    // When the file was parsed in chunks, \begin{document} and \end{document} are loose macros.
    const groupText = (n: Node | undefined) => (n?.type === "group" ? this.groupText(f, n) : "");
    const begin = nodes.findIndex((n, i) => isMacro(n, "begin") && groupText(nodes[i + 1]) === "document");
    if (begin >= 0) {
      let end = nodes.findIndex((n, i) => i > begin && isMacro(n, "end") && groupText(nodes[i + 1]) === "document");
      if (end < 0) {
        end = nodes.length;
        this.diag("warning", f, startOf(nodes[begin]) ?? 0, "\\begin{document} is never ended");
      }
      this.walk(nodes.slice(0, begin), f, { ...mode, flow: false, preamble: true });
      this.walk(nodes.slice(begin + 2, end), f, mode);
      return;
    }
    if (nodes.some((n) => isMacro(n, "documentclass"))) {
      this.diag("warning", f, 0, "no \\begin{document}: the whole file is read as the document body");
    }
    this.walk(nodes, f, mode);
  }

  // ---------- the walk ----------

  private walk(nodes: Node[], f: SourceFile, mode: Mode): void {
    if (mode.depth > MAX_DEPTH) return;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      switch (node.type) {
        case "parbreak":
          if (mode.flow) this.flushPara();
          break;
        case "whitespace":
        case "comment":
          break;
        case "string":
          if (!mode.preamble) {
            if (mode.flow) this.paraAdd(f, node, "other");
            if (node.content === "$" || node.content === "$$") this.diag("warning", f, startOf(node) ?? 0, "unmatched $ (math not closed)");
            else if (node.content === "}" || node.content === "{") this.diag("warning", f, startOf(node) ?? 0, `unbalanced brace "${node.content}"`);
          }
          break;
        case "inlinemath":
        case "displaymath":
          if (mode.preamble) break;
          if (mode.flow) this.paraAdd(f, node, node.type === "displaymath" ? "math" : "other");
          this.walk(childrenOf(node), f, this.inner(mode, { math: true }));
          break;
        case "group":
          if (mode.preamble) break;
          if (mode.flow) this.paraAdd(f, node, "other");
          this.walk(childrenOf(node), f, this.inner(mode, {}));
          break;
        case "verb":
          if (mode.flow) this.paraAdd(f, node, "other");
          break;
        case "verbatim":
          if (envName(node) !== "comment" && !mode.preamble) this.codeBlock(node, f, mode);
          break;
        case "macro":
          i = this.macro(nodes, i, f, mode);
          break;
        case "environment":
        case "mathenv":
          if (!mode.preamble) this.environment(node, f, mode);
          break;
        default:
          if (mode.flow) this.paraAdd(f, node, "other");
      }
    }
  }

  /** Mode for content inside a block: numbers and labels are tracked, no blocks are built. */
  private inner(mode: Mode, over: Partial<Mode>): Mode {
    const sink = mode.flow ? (this.para ? this.para.labels : undefined) : mode.sink;
    return { ...mode, flow: false, sink, depth: mode.depth + 1, ...over };
  }

  private groupText(f: SourceFile, node: Node | undefined): string {
    const r = groupRange(node);
    if (!r) return "";
    return f.masked.slice(r.start, r.end).trim();
  }

  /** Handles the macro at `nodes[i]`; returns the index of the last node it consumed. */
  private macro(nodes: Node[], i: number, f: SourceFile, mode: Mode): number {
    const node = nodes[i] as Node & { content: string };
    const name = this.headingAliases.get(node.content) ?? node.content;
    const start = startOf(node) ?? 0;
    const r = new ArgReader(nodes, i + 1);

    if (DEFINERS.has(name)) {
      const star = r.star();
      const target = r.mandatory(true);
      if (name === "DeclareMathOperator") {
        const op = r.mandatory();
        const targetName = target?.type === "macro" ? (target as { content: string }).content : this.groupText(f, target).replace(/^\\/, "");
        if (op && targetName) this.textMacros.set(targetName, { name: targetName, nargs: 0, body: `\\operatorname${star ? "*" : ""}{${this.groupText(f, op)}}` });
        return r.pos - 1;
      }
      if (name.endsWith("DocumentCommand")) {
        r.mandatory();
        r.mandatory();
        return r.pos - 1;
      }
      const nargsR = r.optional();
      const optR = r.optional();
      const body = r.mandatory();
      const targetName = target?.type === "group" ? this.groupText(f, target) : target?.type === "macro" ? `\\${(target as { content: string }).content}` : "";
      if (body && /^\\[A-Za-z@]+$/.test(targetName) && !(name === "providecommand" && this.textMacros.has(targetName.slice(1)))) {
        this.textMacros.set(targetName.slice(1), {
          name: targetName.slice(1),
          nargs: Number(nargsR ? f.masked.slice(nargsR.start, nargsR.end).trim() : 0) || 0,
          optional: optR ? f.masked.slice(optR.start, optR.end) : undefined,
          body: this.groupText(f, body),
        });
      }
      const heading = body && /^\\([A-Za-z]+)$/.test(targetName) ? /^\s*\\([a-z]+)\s*\{\s*#1\s*\}\s*$/.exec(this.groupText(f, body)) : null;
      if (heading && heading[1] in HEADING_LEVELS) this.headingAliases.set(targetName.slice(1), heading[1]);
      const opens = body ? /^\s*\\(begin|end)\s*\{([^{}]+)\}\s*$/.exec(this.groupText(f, body)) : null;
      if (opens && this.theoremDef(opens[2])) {
        this.diag(
          "warning",
          f,
          start,
          `${targetName} stands for \\${opens[1]}{${opens[2]}}: the items it opens are not seen (commands are not expanded); write \\begin{${opens[2]}} … \\end{${opens[2]}}, or define an environment (\\newenvironment)`,
        );
      }
      const the = /^\\the([A-Za-z@]+)$/.exec(targetName);
      if (the && body) {
        if (!this.counters.setTemplate(the[1], parseTemplate(this.groupText(f, body)))) {
          this.diag("warning", f, start, `\\${name}{\\the${the[1]}}: no counter "${the[1]}" is defined`);
        }
      }
      return r.pos - 1;
    }

    switch (name) {
      case "def":
      case "gdef":
      case "edef":
      case "xdef": {
        // Skip the parameter text up to the body group.
        let k = i + 1;
        while (k < nodes.length && nodes[k].type !== "group" && nodes[k].type !== "parbreak" && k - i < 30) k++;
        if (nodes[k]?.type !== "group") return i;
        const params = f.masked.slice(endOf(node) ?? start, startOf(nodes[k]) ?? start);
        const def = /^\s*\\([A-Za-z@]+)((?:\s*#\d)*)\s*$/.exec(params);
        if (def) this.textMacros.set(def[1], { name: def[1], nargs: (def[2].match(/#/g) ?? []).length, body: this.groupText(f, nodes[k]) });
        return k;
      }
      case "let": {
        let k = i + 1;
        while (k < nodes.length && nodes[k].type === "whitespace") k++;
        k++;
        while (k < nodes.length && (nodes[k].type === "whitespace" || isString(nodes[k], "="))) k++;
        return Math.min(k, nodes.length - 1);
      }
      case "documentclass": {
        r.optional();
        const cls = this.groupText(f, r.mandatory());
        this.initCounters(BOOK_CLASSES.has(cls));
        return r.pos - 1;
      }
      case "usepackage":
      case "RequirePackage": {
        const opt = r.optional();
        const pkgs = this.groupText(f, r.mandatory()).split(",").map((s) => s.trim());
        const optText = opt ? f.masked.slice(opt.start, opt.end) : "";
        if (pkgs.includes("cleveref") && /capitali[sz]e/.test(optText)) this.capitalise = true;
        for (const p of pkgs) {
          if (!p || !/^[\w./-]+$/.test(p)) continue;
          const rel = joinPath(this.mainDir, `${p}.sty`);
          if (rel && !this.stack.includes(rel)) {
            const sty = this.load(rel);
            if (sty) {
              this.stack.push(rel);
              this.walk(sty.nodes, sty, { ...this.baseMode(), flow: false, preamble: true });
              this.stack.pop();
            }
          }
        }
        return r.pos - 1;
      }
      case "title": {
        r.optional();
        const t = r.mandatory();
        if (t && this.docTitle === undefined) this.docTitle = oneLine(this.groupText(f, t));
        return r.pos - 1;
      }
      case "newtheorem": {
        this.newtheorem(r, f, start);
        return r.pos - 1;
      }
      case "theoremstyle":
      case "crefname":
      case "Crefname":
      case "crefformat":
      case "Crefformat":
      case "setlength":
      case "addtolength":
      case "graphicspath": {
        const g = r.mandatory();
        if (g) this.figures.addGraphicsPath(this.groupText(f, g));
        return r.pos - 1;
      }
      case "lstset":
      case "hypersetup":
      case "pagestyle":
      case "thispagestyle":
      case "setcounter":
      case "addtocounter":
      case "newcounter":
      case "stepcounter":
      case "refstepcounter":
      case "counterwithin":
      case "counterwithout":
      case "numberwithin":
        return this.counterMacro(name, r, f, start, i);
      case "newenvironment":
      case "renewenvironment":
      case "provideenvironment": {
        r.star();
        const envNode = r.mandatory();
        const nargs = r.optional();
        const def = r.optional();
        const begin = r.mandatory();
        const end = r.mandatory();
        const env = this.groupText(f, envNode);
        if (env && begin && end) this.defineEnv(env, nargs ? Number(f.masked.slice(nargs.start, nargs.end).trim()) || 0 : 0, !!def, this.groupText(f, begin), this.groupText(f, end));
        return r.pos - 1;
      }
      case "appendix":
        if (this.book) {
          this.counters.set("chapter", 0);
          this.counters.set("section", 0);
          this.counters.setStyle("chapter", "Alph");
        } else {
          this.counters.set("section", 0);
          this.counters.set("subsection", 0);
          this.counters.setStyle("section", "Alph");
        }
        return i;
      case "frontmatter":
      case "backmatter":
        this.mainmatter = false;
        return i;
      case "mainmatter":
        this.mainmatter = true;
        return i;
      case "endinput":
        return nodes.length;
      default:
        break;
    }

    if (INCLUDES.has(name)) return this.include(name, nodes, i, r, f, mode);

    if (mode.preamble) return i;

    if (name in HEADING_LEVELS) {
      const star = r.star();
      r.optional();
      const title = r.mandatory();
      if (!title) {
        this.diag("warning", f, start, `\\${name} without a {title}`);
        if (mode.flow) this.paraAdd(f, node, "other");
        return i;
      }
      if (!mode.flow) {
        this.diag("warning", f, start, `\\${name} inside an environment is ignored as a heading`);
        this.walk(childrenOf(title), f, mode);
        return r.pos - 1;
      }
      this.heading(f, name, star, node, title, mode);
      return r.pos - 1;
    }

    switch (name) {
      case "label": {
        const arg = r.mandatory();
        const key = this.groupText(f, arg);
        const end = endOf(arg) ?? endOf(node) ?? start;
        f.deleteRange(start, end);
        if (key) this.label(key, f, start, mode);
        return r.pos - 1;
      }
      case "begin": {
        const arg = r.mandatory();
        const env = this.groupText(f, arg);
        if (env !== "document") {
          this.diag("error", f, start, env ? `\\begin{${env}} is never ended` : "\\begin without an environment name");
          const def = this.theoremDef(env);
          // Recover a numbered item so later numbers stay as the author meant them.
          if (def && mode.flow) return this.recoverItem(nodes, i, r.pos, env, def, f, mode);
        }
        return r.pos - 1;
      }
      case "end": {
        const env = this.groupText(f, r.mandatory());
        if (env !== "document") this.diag("warning", f, start, `\\end{${env}} without a matching \\begin{${env}}`);
        return r.pos - 1;
      }
      case "caption": {
        if (mode.float) {
          const number = this.refstep(mode.float, mode.float);
          // The printed-text pass writes "Figure 2.3: caption".
          f.replaceText(start, endOf(node) ?? start, `\\numberedcaption{${mode.float === "table" ? "Table" : "Figure"} ${number}}`);
        }
        break;
      }
      default:
        break;
    }

    if (REF_CMDS.has(name)) {
      r.star();
      const arg = r.mandatory();
      if (arg) {
        const keys = this.groupText(f, arg).split(",").map((k) => k.trim()).filter(Boolean);
        const end = endOf(arg)!;
        if (!name.toLowerCase().includes("pageref")) {
          const use: RefUse = { cmd: name, keys, file: f.rel, line: f.lineOf(start) };
          this.refs.push(use);
          f.replaceRef(start, end, use);
        }
        if (mode.flow) {
          this.paraAdd(f, node, "other");
          this.paraAdd(f, arg, "other");
        }
        return r.pos - 1;
      }
    }

    if (mode.flow) this.paraAdd(f, node, "other");
    return i;
  }

  private counterMacro(name: string, r: ArgReader, f: SourceFile, at: number, i: number): number {
    switch (name) {
      case "setcounter":
      case "addtocounter": {
        const c = this.groupText(f, r.mandatory());
        const v = r.mandatory();
        if (c && v) this.counterCommand(name, c, this.groupText(f, v), f, at);
        break;
      }
      case "stepcounter":
      case "refstepcounter": {
        const c = this.groupText(f, r.mandatory());
        if (c) this.counterCommand(name, c, undefined, f, at);
        break;
      }
      case "newcounter": {
        const c = this.groupText(f, r.mandatory());
        const w = r.optional();
        const within = w ? f.masked.slice(w.start, w.end).trim() : undefined;
        if (c) {
          if (this.counters.has(c)) this.diag("warning", f, at, `\\newcounter{${c}}: counter already defined`);
          else this.counters.define(c, within && this.counters.has(within) ? within : undefined);
        }
        break;
      }
      case "counterwithin":
      case "counterwithout": {
        const star = r.star();
        const c = this.groupText(f, r.mandatory());
        const p = this.groupText(f, r.mandatory());
        const ok = name === "counterwithin" ? this.counters.within(c, p, !star) : this.counters.without(c, p, !star);
        if (!ok) this.diag("warning", f, at, `\\${name}{${c}}{${p}}: unknown counter`);
        break;
      }
      case "numberwithin": {
        r.optional();
        const c = this.groupText(f, r.mandatory());
        const p = this.groupText(f, r.mandatory());
        if (!this.counters.within(c, p, true)) this.diag("warning", f, at, `\\numberwithin{${c}}{${p}}: unknown counter`);
        break;
      }
      case "crefname":
      case "Crefname":
        r.mandatory();
        r.mandatory();
        r.mandatory();
        break;
      case "crefformat":
      case "Crefformat":
      case "setlength":
      case "addtolength":
        r.mandatory(true);
        r.mandatory();
        break;
      case "lstset":
      case "hypersetup":
      case "graphicspath":
      case "pagestyle":
      case "thispagestyle":
      case "theoremstyle":
        r.mandatory();
        break;
      default:
        return i;
    }
    return r.pos - 1;
  }

  private newtheorem(r: ArgReader, f: SourceFile, at: number): void {
    const star = r.star();
    const env = this.groupText(f, r.mandatory());
    const sharedR = r.optional();
    const printedNode = r.mandatory();
    const withinR = star ? undefined : r.optional();
    if (!env || !printedNode) {
      this.diag("warning", f, at, "\\newtheorem needs {name}{Printed name}");
      return;
    }
    const printed = oneLine(this.groupText(f, printedNode));
    const k = kindFromName(printed);
    const kind = isItemKind(k) ? k : undefined;
    if (!kind) {
      this.diag("warning", f, at, `theorem-like environment "${env}" prints "${printed}", which is not a citable kind; its blocks become unnumbered remarks titled "${printed} <number>"`);
    }
    if (star) {
      this.theorems.set(env, { printed, kind });
      return;
    }
    const shared = sharedR ? f.masked.slice(sharedR.start, sharedR.end).trim() : undefined;
    if (shared) {
      if (!this.counters.has(shared)) {
        this.diag("warning", f, at, `\\newtheorem{${env}}[${shared}]: no counter "${shared}" is defined`);
        this.theorems.set(env, { printed, kind });
        return;
      }
      this.theorems.set(env, { printed, kind, counter: shared });
      return;
    }
    const within = withinR ? f.masked.slice(withinR.start, withinR.end).trim() : undefined;
    if (!this.counters.has(env)) this.counters.define(env);
    if (within) {
      if (!this.counters.within(env, within, true)) this.diag("warning", f, at, `\\newtheorem{${env}}: no counter "${within}" to number within`);
    }
    this.theorems.set(env, { printed, kind, counter: env });
  }

  private defineEnv(name: string, nargs: number, hasOptional: boolean, begin: string, end: string): void {
    const env: UserEnv = { nargs, hasOptional, begin, end };
    const m = /\\begin\s*\{(enumerate|itemize|description)\}/.exec(begin);
    if (m) {
      const after = m.index + m[0].length;
      const b = bracketAt(begin, after);
      env.list = { type: m[1], opts: b?.text ?? "", pre: begin.slice(0, m.index), post: begin.slice(b ? b.end : after) };
    }
    this.userEnvs.set(name, env);
    // A wrapper that only opens and closes a theorem-like environment is that environment under
    // another name: \newenvironment{ex}{\begin{exercise}}{\end{exercise}}.
    const wrap = /^\s*\\begin\s*\{([^{}]+)\}\s*(?:\[#1\])?\s*$/.exec(begin);
    const wrapped = wrap && new RegExp(`^\\s*\\\\end\\s*\\{${wrap[1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\}\\s*$`).test(end) ? this.theoremDef(wrap[1]) : undefined;
    if (wrapped) {
      this.theorems.set(name, wrapped);
      return;
    }
    // A \newenvironment that steps a counter and prints a kind name is a theorem-like item.
    const step = /\\refstepcounter\s*\{\s*([^{}\s]+)\s*\}/.exec(begin);
    if (step && !env.list) {
      const byName = kindFromName(name);
      const printedMatch = new RegExp(`\\b(${ITEM_KINDS.map((k) => KIND_NAMES[k]).join("|")})\\b`).exec(begin);
      const kind = isItemKind(byName) ? byName : printedMatch ? (kindFromName(printedMatch[1]) as ItemKind) : undefined;
      if (kind) {
        this.theorems.set(name, { printed: KIND_NAMES[kind], kind, counter: step[1], mandatoryTitle: nargs > 0 && !hasOptional });
      }
    }
  }

  private theoremDef(env: string): TheoremDef | undefined {
    const d = this.theorems.get(env);
    if (d) return d;
    if (env.endsWith("*")) {
      const base = this.theorems.get(env.slice(0, -1));
      if (base) return { ...base, counter: undefined };
    }
    return undefined;
  }

  private label(key: string, f: SourceFile, at: number, mode: Mode): void {
    const cur = this.scope();
    const line = f.lineOf(at);
    const prev = this.labels.get(key);
    if (prev) this.diag("warning", f, at, `label "${key}" is defined twice (first at ${prev.file}:${prev.line})`);
    const rec: LatexLabel = { key, number: cur.number, kind: cur.kind, file: f.rel, line };
    this.labels.set(key, rec);
    if (cur.owner) {
      (cur.owner.latexLabels ??= []).push(key);
      this.labelOwners.push([rec, cur.owner]);
    } else if (mode.flow && this.para) {
      this.para.labels.push(key);
    } else if (mode.sink) {
      mode.sink.push(key);
    }
  }

  // ---------- includes ----------

  private include(name: string, nodes: Node[], i: number, r: ArgReader, f: SourceFile, mode: Mode): number {
    const start = startOf(nodes[i]) ?? 0;
    let base = mode.base;
    let dirArg: string | undefined;
    if (name === "import" || name === "subimport" || name.endsWith("from")) {
      r.star();
      dirArg = this.groupText(f, r.mandatory());
    }
    const fileArg = r.mandatory();
    let arg = this.groupText(f, fileArg).replace(/^"(.*)"$/, "$1").trim();
    let end = r.pos - 1;
    if (!fileArg && name === "input") {
      // Plain TeX's `\input chapters/two`: the file name runs to the next space or line end.
      const after = endOf(nodes[i]) ?? start;
      const m = /^[ \t]*([^\s{}%\\]+)/.exec(f.masked.slice(after, after + 300));
      if (m) {
        arg = m[1];
        const nameEnd = after + m[0].length;
        let j = i + 1;
        while (j < nodes.length && (startOf(nodes[j]) ?? Infinity) < nameEnd) j++;
        end = j - 1;
      }
    }
    if (!arg) {
      this.diag("warning", f, start, `\\${name} without a file name`);
      return end;
    }
    if (dirArg !== undefined) {
      const root = name === "import" || name === "inputfrom" || name === "includefrom" ? this.mainDir : dirOf(f.rel);
      base = joinPath(root, dirArg) ?? "";
    } else if (name === "subfile") {
      base = dirOf(f.rel);
    }
    const joined = /^[/\\]|^[A-Za-z]:/.test(arg) ? undefined : joinPath(base, arg);
    if (!joined) {
      this.diag("warning", f, start, `\\${name}{${arg}}: path is outside the course folder; skipped`);
      return end;
    }
    const candidates = /\.(tex|ltx)$/i.test(joined) ? [joined] : name === "include" ? [`${joined}.tex`] : [`${joined}.tex`, joined];
    let target: SourceFile | null = null;
    let rel = candidates[0];
    for (const c of candidates) {
      if (this.stack.includes(c)) {
        this.diag("error", f, start, `include cycle: ${[...this.stack.slice(this.stack.indexOf(c)), c].join(" → ")}; not followed`);
        return end;
      }
      const t = this.load(c);
      if (t) {
        target = t;
        rel = c;
        break;
      }
    }
    if (!target) {
      this.diag("warning", f, start, `\\${name}{${arg}}: file ${candidates.join(" or ")} not found; skipped`);
      return end;
    }
    if (++this.includes > MAX_INCLUDES || this.stack.length > 64) {
      this.diag("error", f, start, `\\${name}{${arg}}: too many nested or repeated inclusions; skipped`);
      return end;
    }
    if (mode.flow) this.flushPara();
    this.stack.push(rel);
    try {
      let body = target.nodes;
      // A subfile (its own \documentclass[main]{subfiles}) contributes only its document body.
      const doc = body.find((n) => n.type === "environment" && envName(n) === "document");
      if (doc) body = childrenOf(doc);
      const childBase = dirArg !== undefined || name === "subfile" ? dirOf(rel) : mode.base;
      this.walk(body, target, { ...mode, base: childBase });
      if (mode.flow) this.flushPara();
    } finally {
      this.stack.pop();
    }
    return end;
  }

  // ---------- environments ----------

  private bodyRange(f: SourceFile, node: Node): { start: number; end: number; outer: { start: number; end: number } } {
    const s = startOf(node) ?? 0;
    const e = endOf(node) ?? s;
    const m = /^\\begin\s*\{[^}]*\}/.exec(f.masked.slice(s, Math.min(e, s + 200)));
    const bodyStart = s + (m ? m[0].length : 0);
    const k = f.masked.lastIndexOf("\\end", e - 1);
    const bodyEnd = k >= bodyStart ? k : e;
    return { start: bodyStart, end: bodyEnd, outer: { start: s, end: e } };
  }

  private environment(node: Node, f: SourceFile, mode: Mode): void {
    const name = envName(node);
    if (mode.depth > MAX_DEPTH) return;
    if (name === "document") {
      this.walk(childrenOf(node), f, mode);
      return;
    }
    const thm = this.theoremDef(name);
    if (thm) {
      this.item(node, name, thm, f, mode);
      return;
    }
    if (name === "proof" || name === "proof*") {
      this.simpleBlock(node, "proof", f, mode);
      return;
    }
    if (CODE_ENVS.has(name)) {
      this.codeBlock(node, f, mode);
      return;
    }
    if (node.type === "mathenv" || MATH_ENVS.has(name)) {
      if (mode.flow) this.paraAdd(f, node, "math");
      this.mathEnv(node, name, f, mode);
      return;
    }
    const user = this.userEnvs.get(name);
    if (LIST_ENVS.has(name) || user?.list) {
      this.list(node, name, f, mode, user);
      return;
    }
    if (/^hints?$/i.test(name)) {
      this.simpleBlock(node, "hint", f, mode);
      return;
    }
    if (/^quiz$/i.test(name)) {
      this.simpleBlock(node, "quiz", f, mode);
      return;
    }
    if (!KNOWN_ENVS.has(name) && !user && !mode.math && !MATH_INNER_ENVS.has(name) && !EXERCISE_CONTAINER.test(name)) {
      if (!this.warnedEnvs.has(name)) {
        this.warnedEnvs.add(name);
        this.diag("warning", f, startOf(node) ?? 0, `unknown environment "${name}" (not declared in the preamble); its content is kept as text`);
      }
    }
    const float = FLOAT_ENVS[name];
    const exList = mode.exList || EXERCISE_CONTAINER.test(name);
    this.withScope(() => {
      const at = startOf(node) ?? 0;
      if (user) this.runCounterCode(user.begin, f, at);
      if (mode.flow && (exList || this.hasBlocks(childrenOf(node), 0))) {
        // A wrapper around real blocks (an `exercises` container, a framed box of theorems): see through it.
        this.flushPara();
        this.walk(childrenOf(node), f, { ...mode, exList, float: float ?? mode.float, depth: mode.depth + 1 });
        this.flushPara();
      } else {
        if (mode.flow) this.paraAdd(f, node, "other");
        this.walk(childrenOf(node), f, this.inner(mode, { float: float ?? mode.float, math: mode.math || MATH_INNER_ENVS.has(name) }));
      }
      if (user) this.runCounterCode(user.end, f, at);
    });
  }

  /** Whether an environment body contains anything that becomes its own block. */
  private hasBlocks(nodes: Node[], depth: number): boolean {
    if (depth > 20) return false;
    for (let k = 0; k < nodes.length; k++) {
      const n = nodes[k];
      if (n.type === "environment") {
        const name = envName(n);
        if (this.theoremDef(name) || name === "proof" || CODE_ENVS.has(name) || LIST_ENVS.has(name) || this.userEnvs.get(name)?.list) return true;
        if (this.hasBlocks(childrenOf(n), depth + 1)) return true;
      } else if (n.type === "macro" && (n.content in HEADING_LEVELS || INCLUDES.has(n.content))) return true;
      else if (n.type === "verbatim" && envName(n) !== "comment") return true;
    }
    return false;
  }

  private item(node: Node, name: string, def: TheoremDef, f: SourceFile, mode: Mode): void {
    const children = childrenOf(node);
    const r = new ArgReader(children, 0);
    const range = this.bodyRange(f, node);
    let titleRange: { start: number; end: number } | undefined;
    if (def.mandatoryTitle) {
      titleRange = groupRange(r.mandatory());
      if (titleRange) range.start = titleRange.end + 1;
    } else {
      titleRange = r.optional();
      if (titleRange) range.start = titleRange.end + 1;
    }
    this.buildItem(def, name, children.slice(r.pos), range, titleRange, f, mode, range.outer);
  }

  private buildItem(
    def: TheoremDef,
    name: string,
    body: Node[],
    range: { start: number; end: number },
    titleRange: { start: number; end: number } | undefined,
    f: SourceFile,
    mode: Mode,
    outer: { start: number; end: number },
  ): void {
    if (mode.flow) this.flushPara();
    const block: Block = {
      kind: def.kind ?? "remark",
      text: "",
      source: { file: f.rel, line: f.lineOf(outer.start), endLine: f.endLineOf(outer.start, outer.end) },
    };
    this.emit(block);
    const parts: string[] = [];
    this.withScope(() => {
      const user = this.userEnvs.get(name);
      let number: string | undefined;
      if (def.counter) {
        number = this.refstep(def.counter, def.kind ?? "counter", block);
        if (user) {
          // The begin code's other counter commands (the \refstepcounter itself was just done).
          const rest = user.begin.replace(/\\refstepcounter\s*\{[^{}]*\}/, "");
          this.runCounterCode(rest, f, outer.start);
        }
      }
      if (def.kind && number !== undefined) {
        block.number = number;
        block.label = formatLabel(def.kind, number);
      }
      // An unnumbered item leaves the number a \label sees unchanged, but the label belongs to it.
      this.scope().owner = block;
      this.walk(body, f, { ...this.inner(mode, {}), sink: undefined, parts, partsLevel: mode.listDepth + 1 });
      if (user) this.runCounterCode(user.end, f, outer.start);
      this.deferred.push(() => {
        const t = titleRange ? oneLine(f.extract(titleRange.start, titleRange.end)) : "";
        if (def.kind) {
          if (t) block.title = t;
        } else {
          block.title = `${def.printed}${number ? ` ${number}` : ""}${t ? ` (${t})` : ""}`;
        }
        block.text = f.extract(range.start, range.end).trim();
      });
    });
    if (parts.length) block.parts = parts;
  }

  /** After an unterminated `\begin{thm}`: the item runs to the next heading or block, or the end. */
  private recoverItem(nodes: Node[], i: number, after: number, env: string, def: TheoremDef, f: SourceFile, mode: Mode): number {
    let j = after;
    for (; j < nodes.length; j++) {
      const n = nodes[j];
      if (n.type === "macro" && (n.content in HEADING_LEVELS || n.content === "begin" || n.content === "end" || INCLUDES.has(n.content))) break;
      if (n.type === "environment" && (this.theoremDef(envName(n)) || envName(n) === "proof")) break;
    }
    const body = nodes.slice(after, j);
    const start = startOf(nodes[i]) ?? 0;
    const bodyStart = endOf(nodes[after - 1]) ?? start;
    let bodyEnd = bodyStart;
    for (const n of body) {
      if (n.type === "whitespace" || n.type === "parbreak" || n.type === "comment") continue;
      bodyEnd = Math.max(bodyEnd, endOf(n) ?? bodyEnd);
    }
    const r = new ArgReader(body, 0);
    const titleRange = r.optional();
    this.buildItem(def, env, body.slice(r.pos), { start: titleRange ? titleRange.end + 1 : bodyStart, end: bodyEnd }, titleRange, f, mode, { start, end: bodyEnd });
    return j - 1;
  }

  private simpleBlock(node: Node, kind: BlockKind, f: SourceFile, mode: Mode): void {
    const children = childrenOf(node);
    const r = new ArgReader(children, 0);
    const range = this.bodyRange(f, node);
    const titleRange = r.optional();
    if (titleRange) range.start = titleRange.end + 1;
    if (!mode.flow) {
      this.withScope(() => this.walk(children.slice(r.pos), f, this.inner(mode, {})));
      return;
    }
    this.flushPara();
    const block: Block = {
      kind,
      text: "",
      source: { file: f.rel, line: f.lineOf(range.outer.start), endLine: f.endLineOf(range.outer.start, range.outer.end) },
    };
    this.emit(block);
    const labels: string[] = [];
    this.withScope(() => this.walk(children.slice(r.pos), f, { ...this.inner(mode, {}), sink: labels }));
    if (labels.length) block.latexLabels = labels;
    this.deferred.push(() => {
      if (titleRange) block.title = oneLine(f.extract(titleRange.start, titleRange.end));
      block.text = f.extract(range.start, range.end).trim();
    });
  }

  private codeBlock(node: Node, f: SourceFile, mode: Mode): void {
    if (!mode.flow) return;
    this.flushPara();
    const range = this.bodyRange(f, node);
    const name = envName(node);
    let bodyStart = range.start;
    let title: string | undefined;
    const opt = bracketAt(f.masked, bodyStart);
    if (opt && !f.masked.slice(bodyStart, opt.end).includes("\n")) {
      bodyStart = opt.end;
      const kv = parseKeyVals(opt.text);
      title = kv.get("caption") || kv.get("title") || undefined;
    }
    if (name === "minted") {
      const m = /^\s*\{[^{}\n]*\}/.exec(f.masked.slice(bodyStart, bodyStart + 100));
      if (m) bodyStart += m[0].length;
    }
    const block: Block = {
      kind: "code",
      text: tidyCode(f.src.slice(bodyStart, range.end)),
      source: { file: f.rel, line: f.lineOf(range.outer.start), endLine: f.endLineOf(range.outer.start, range.outer.end) },
    };
    if (title) block.title = oneLine(title);
    this.emit(block);
  }

  private mathEnv(node: Node, name: string, f: SourceFile, mode: Mode): void {
    const base = name.replace(/\*$/, "");
    const numbered = EQ_ENVS.has(base) && !name.endsWith("*");
    const sink = mode.flow ? (this.para ? this.para.labels : undefined) : mode.sink;
    const m: Mode = { ...mode, flow: false, math: true, sink, depth: mode.depth + 1 };
    const children = childrenOf(node);
    this.withScope(() => {
      if (!numbered) {
        this.walk(children, f, m);
        return;
      }
      const rows: Node[][] = [[]];
      // Where each row ends, for the printed number (`\tag{3.2}`) the printed-text pass shows.
      const rowEnds: number[] = [];
      for (const c of children) {
        if (!SINGLE_ROW_EQ.has(base) && isMacro(c, "\\")) {
          rowEnds.push(startOf(c) ?? 0);
          rows.push([]);
        } else rows[rows.length - 1].push(c);
      }
      rowEnds.push(this.bodyRange(f, node).end);
      rows.forEach((row, k) => {
        const blank = row.every((n) => n.type === "whitespace" || n.type === "comment" || n.type === "parbreak");
        // amsmath leaves an empty last row (after a trailing \\) unnumbered.
        if (blank && k === rows.length - 1 && k > 0) return;
        const noNumber = row.some((n) => isMacro(n, "nonumber") || isMacro(n, "notag"));
        const tagIdx = row.findIndex((n) => isMacro(n, "tag"));
        this.withScope(() => {
          if (tagIdx >= 0) {
            const rr = new ArgReader(row, tagIdx + 1);
            rr.star();
            const s = this.scope();
            s.number = this.groupText(f, rr.mandatory());
            s.kind = "equation";
            s.owner = undefined;
          } else if (!noNumber) {
            const number = this.refstep("equation", "equation");
            f.replaceText(rowEnds[k], rowEnds[k], `\\tag{${number}}`);
          }
          this.walk(row, f, m);
        });
      });
    });
  }

  private list(node: Node, name: string, f: SourceFile, mode: Mode, user: UserEnv | undefined): void {
    const type = user?.list?.type ?? name.replace(/\*$/, "");
    const children = childrenOf(node);
    const r = new ArgReader(children, 0);
    let opts = user?.list?.opts ?? "";
    if (!user) {
      const o = r.optional();
      if (o) opts = f.masked.slice(o.start, o.end);
    }
    const enumerate = type === "enumerate";
    const level = enumerate ? Math.min(mode.listLevel + 1, 4) : mode.listLevel;
    const exList = enumerate && mode.flow && (mode.exList || this.exHeadingLevel !== undefined || (!!user && EXERCISE_LIST_ENV.test(name)));
    const at = startOf(node) ?? 0;
    if (mode.flow) this.flushPara();

    let listBlock: Block | undefined;
    if (mode.flow && !exList) {
      const outer = this.bodyRange(f, node).outer;
      listBlock = { kind: "list", text: "", source: { file: f.rel, line: f.lineOf(outer.start), endLine: f.endLineOf(outer.start, outer.end) } };
      this.emit(listBlock);
      const b = listBlock;
      this.deferred.push(() => {
        b.text = f.extract(outer.start, outer.end).trim();
      });
    }
    const sink = listBlock ? (listBlock.latexLabels = []) : mode.sink;

    this.withScope(() => {
      const kv = parseKeyVals(opts);
      const short = kv.size === 1 && [...kv.values()][0] === "" ? shortLabel(opts) : undefined;
      const labelTpl = kv.get("label") ?? kv.get("label*") ?? short ?? DEFAULT_ENUM_LABELS[level - 1];
      const refTpl = kv.get("ref") ?? (kv.has("label") || kv.has("label*") || short ? labelTpl : DEFAULT_ENUM_REFS[level - 1]);
      const counter = ENUM_COUNTERS[Math.max(0, level - 1)];
      const series = kv.get("series") ?? (kv.get("resume") || `${type}:${level}`);
      if (user?.list) this.runCounterCode(user.list.pre, f, at);
      if (enumerate) {
        const resume = kv.has("resume") || kv.has("resume*");
        if (resume && this.listSeries.has(series)) this.counters.set(counter, this.listSeries.get(series)!);
        else {
          const startExpr = kv.get("start");
          let startVal = 1;
          if (startExpr !== undefined) {
            const v = evalIntExpr(startExpr, this.counters);
            if (v === undefined) this.diag("warning", f, at, `enumerate start=${startExpr.slice(0, 60)} cannot be evaluated; starting at 1`);
            else startVal = v;
          }
          this.counters.set(counter, startVal - 1);
        }
      }
      if (user?.list) this.runCounterCode(user.list.post, f, at);
      if (kv.has("before")) this.runCounterCode(kv.get("before")!, f, at);

      const itemIdx: number[] = [];
      for (let k = r.pos; k < children.length; k++) if (isMacro(children[k], "item")) itemIdx.push(k);
      const depth = mode.listDepth + 1;
      const innerMode: Mode = { ...this.inner(mode, {}), listLevel: level, listDepth: depth, sink };
      this.walk(children.slice(r.pos, itemIdx[0] ?? children.length), f, innerMode);
      itemIdx.forEach((idx, n) => {
        const itemNode = children[idx];
        const ir = new ArgReader(children, idx + 1);
        const explicit = ir.optional();
        const content = children.slice(ir.pos, itemIdx[n + 1] ?? children.length);
        let labelText: string | undefined;
        let refText: string | undefined;
        // \item is not a group: what it sets for \label stays in force until the next \item.
        const s = this.scope();
        if (explicit) {
          // LaTeX's \item[…] does not step the counter, so a \label after it keeps the previous value.
          labelText = renderLabel(f.masked.slice(explicit.start, explicit.end), this.counters);
        } else if (enumerate) {
          this.counters.step(counter);
          labelText = renderLabel(labelTpl, this.counters, counter);
          refText = renderLabel(refTpl, this.counters, counter);
          s.number = refText;
          s.kind = exList ? "exercise" : "item";
        }
        s.owner = undefined;
        if (mode.parts && depth === mode.partsLevel && labelText !== undefined) mode.parts.push(partName(labelText));
        // The printed-text pass shows the label LaTeX prints (an explicit \item[…] already says it).
        if (labelText !== undefined && !explicit && !exList) f.replaceText(startOf(itemNode) ?? 0, endOf(itemNode) ?? 0, `\\item[{${labelText}}]`);
        if (exList) {
          const number = exerciseNumber(explicit ? (labelText ?? "") : (refText ?? ""));
          this.exerciseItem(itemNode, explicit, content, number, f, innerMode);
          return;
        }
        this.walk(content, f, innerMode);
      });
      if (enumerate) this.listSeries.set(series, this.counters.value(counter));
      if (kv.has("after")) this.runCounterCode(kv.get("after")!, f, at);
      if (user) this.runCounterCode(user.end, f, at);
    });
    if (listBlock && !listBlock.latexLabels?.length) delete listBlock.latexLabels;
  }

  private exerciseItem(
    itemNode: Node,
    explicit: { start: number; end: number } | undefined,
    content: Node[],
    number: string,
    f: SourceFile,
    mode: Mode,
  ): void {
    const start = startOf(itemNode) ?? 0;
    const textStart = explicit ? explicit.end + 1 : (endOf(itemNode) ?? start);
    let end = textStart;
    for (const n of content) {
      if (n.type === "whitespace" || n.type === "parbreak" || n.type === "comment") continue;
      end = Math.max(end, endOf(n) ?? end);
    }
    const block: Block = {
      kind: "exercise",
      number: number || undefined,
      label: number ? formatLabel("exercise", number) : undefined,
      text: "",
      source: { file: f.rel, line: f.lineOf(start), endLine: f.endLineOf(start, end) },
    };
    if (!number) {
      delete block.number;
      delete block.label;
    }
    this.emit(block);
    const parts: string[] = [];
    this.scope().owner = block;
    this.walk(content, f, { ...mode, sink: undefined, parts, partsLevel: mode.listDepth + 1 });
    if (parts.length) block.parts = parts;
    this.deferred.push(() => {
      block.text = f.extract(textStart, end).trim();
    });
  }

  // ---------- finishing ----------

  private refText(use: RefUse): string {
    const recs = use.keys.map((k) => {
      const rec = this.labels.get(k);
      if (!rec) this.diag("warning", use.file, use.line, `\\${use.cmd}{${k}}: label "${k}" is not defined`, false);
      return rec;
    });
    const num = (rec: LatexLabel | undefined) => (rec ? rec.number : "??");
    const cmd = use.cmd;
    if (cmd === "eqref") return recs.map((r) => `(${num(r)})`).join(", ");
    if (cmd === "nameref") return recs.map((r) => r?.title ?? num(r)).join(", ");
    if (cmd === "ref" || cmd === "vref" || cmd === "Vref" || cmd === "labelcref") return recs.map(num).join(", ");
    // cleveref's default names (checked against pdflatex): \cref abbreviates eq./fig./tab., \Cref and
    // the `capitalise` option capitalise. hyperref's \autoref names are capitalised, sections lower case.
    const full = cmd === "Cref" || cmd === "nameCref" || cmd === "Autoref";
    const cap = full || this.capitalise || cmd === "autoref";
    const capital = (w: string) => (cap ? w[0].toUpperCase() + w.slice(1) : w);
    const nameOf = (rec: LatexLabel | undefined): string => {
      if (!rec) return "";
      const k = rec.kind;
      if (k === "equation") return full || cmd === "autoref" ? "Equation" : capital("eq.");
      if (k === "figure") return full || cmd === "autoref" ? "Figure" : capital("fig.");
      if (k === "table") return full || cmd === "autoref" ? "Table" : capital("tab.");
      if (k === "item") return capital("item");
      if (k in KIND_NAMES) {
        const n = KIND_NAMES[k as keyof typeof KIND_NAMES].toLowerCase();
        return cmd === "autoref" && (k === "chapter" || k === "section" || k === "subsection") ? n : capital(n);
      }
      return "";
    };
    const plural = (n: string) => (n.endsWith(".") ? `${n.slice(0, -1)}s.` : n.endsWith("y") ? `${n.slice(0, -1)}ies` : `${n}s`);
    const fmt = (rec: LatexLabel | undefined) => (rec?.kind === "equation" ? `(${num(rec)})` : num(rec));
    if (cmd === "namecref" || cmd === "nameCref") return nameOf(recs[0]);
    // Consecutive references of one kind share a plural name: "theorems 3.3 and 3.5".
    const groups: { name: string; nums: string[] }[] = [];
    for (const rec of recs) {
      const name = nameOf(rec);
      const last = groups[groups.length - 1];
      if (last && last.name === name) last.nums.push(fmt(rec));
      else groups.push({ name, nums: [fmt(rec)] });
    }
    const and = (xs: string[]) => (xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);
    return and(groups.map((g) => `${g.nums.length > 1 ? plural(g.name) : g.name} ${and(g.nums)}`.trim()));
  }

  private finish(): void {
    this.flushPara();
    for (const use of this.refs) use.text = this.refText(use);
    for (const d of this.deferred) d();
    for (const [rec, owner] of this.labelOwners) if (owner.title) rec.title = owner.title;
    const trivial = (t: string) =>
      t
        .replace(/\\[A-Za-z@]+\*?/g, "")
        .replace(/\d+(\.\d+)?\s*(pt|cm|mm|em|ex|in|bp)/g, "")
        .replace(/[\s{}[\]\\.,;:!?~&-]/g, "") === "";
    const prune = (blocks: Block[]) => blocks.filter((b) => !(this.paragraphs.has(b) && trivial(b.text)));
    const fix = (node: SectionNode): number => {
      node.blocks = prune(node.blocks);
      let end = node.source.line;
      for (const b of node.blocks) {
        if (b.source.file === node.source.file) end = Math.max(end, b.source.endLine);
        if (b.latexLabels && b.latexLabels.length === 0) delete b.latexLabels;
      }
      for (const c of node.children) {
        const e = fix(c);
        if (c.source.file === node.source.file) end = Math.max(end, e);
      }
      node.source.endLine = end;
      if (node.latexLabels && node.latexLabels.length === 0) delete node.latexLabels;
      return end;
    };
    const front = prune(this.front);
    if (front.length) {
      const first = front[0].source;
      const title = this.docTitle || "Front matter";
      this.chapters.unshift({
        kind: this.book ? "chapter" : "section",
        number: "",
        title,
        label: title,
        blocks: front,
        children: [],
        source: { ...first },
      });
    }
    for (const c of this.chapters) fix(c);
  }
}

/**
 * Parses a LaTeX course from its main file (`input.file`), following `\input`/`\include`/
 * `\subfile`/`\import` in order, and returns chapters with LaTeX's own numbering, diagnostics and
 * the label table. Never throws for bad input.
 */
export function parseLatexDetailed(input: ParseInput): LatexParseResult {
  return new LatexDocumentParser(input).run();
}

/** Parses a LaTeX course main file into the common `ParsedFile` shape (see `parseLatexDetailed`). */
export function parseLatex(input: ParseInput): ParsedFile {
  const { chapters, diagnostics, files, macros, figures } = parseLatexDetailed(input);
  return { chapters, diagnostics, files, ...(Object.keys(macros).length ? { macros } : {}), ...(figures.length ? { figures } : {}) };
}
