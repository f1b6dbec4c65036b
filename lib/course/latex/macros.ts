/**
 * Pass 2 of the LaTeX path: the course's own macros and boolean switches, applied to the source text
 * before its structure is read — as TeX would see it.
 *
 * - `\newcommand`/`\renewcommand`/`\providecommand`/`\DeclareRobustCommand`, `\def` (undelimited
 *   `#1#2…` parameters), `\NewDocumentCommand` & co. and `\let\X\Y` are recorded in document order.
 * - A call of a macro whose body carries structure (sectioning, `\begin`/`\end`, `\label`, `\item`,
 *   counter steps with an environment, `\newtheorem`, `\input` …, or another such macro) is replaced by
 *   its expansion in the text (`\Chapter{intro}{Sets}` → `\chapter{Sets}\label{intro}`). Arguments are
 *   read by unified-latex's argument gobbler from the xparse signature, `#n` substituted by its
 *   macro expander (optional-argument defaults included); an argument keeps its exact source text.
 *   Macros without structure (`\norm`, `\R`) stay as written, so passages read as the author wrote them.
 * - A macro that steps a counter and prints `Name~\theX` without any environment (a "box" a style
 *   file draws itself) is not expanded: `boxOf` tells the block pass what it prints.
 * - `\ifthenelse{\boolean{x}}{A}{B}` (ifthen), `\iftoggle{x}{A}{B}` (etoolbox) and `\ifbool` are
 *   replaced by the branch TeX takes, from `\newboolean`/`\setboolean`, `\newtoggle`/`\toggletrue` …
 *   Primitive `\if…\fi` conditionals are the lexer's (`conditionals.ts`).
 *
 * Line numbers survive: an expansion never adds lines (extra line breaks become spaces) and pads the
 * lines it removes with `%` line ends, so everything after a call keeps its file:line.
 */
import { gobbleArguments } from "@unified-latex/unified-latex-util-arguments";
import { createMacroExpander } from "@unified-latex/unified-latex-util-macros";
import { parseMinimal } from "@unified-latex/unified-latex-util-parse";
import { printRaw } from "@unified-latex/unified-latex-util-print-raw";
import type * as Ast from "@unified-latex/unified-latex-types";
import { childrenOf, endOf, startOf, type Node } from "./ast";

/** A user macro as the document defines it. */
export interface MacroDef {
  name: string;
  /** xparse argument signature ("m m", "O{} m", "s o m"); "" for none. */
  signature: string;
  /** The replacement text, `#1`… for the arguments. */
  body: string;
  file: string;
  line: number;
  /** `expand`: carries structure, expanded before structure is read; `box`: steps a counter itself; `plain`: left as written. */
  role: "expand" | "box" | "plain";
  /** Counters a `box` steps. */
  steps: string[];
  /** A `box`'s printed name ("Definition" of `Definition~\thedefinitioncounter`), when the body shows it. */
  printed?: string;
  /** Why a `\def` could not be read (delimited parameters). */
  unreadable?: string;
  /** `\let\oldsection\section`: the kernel command this name keeps, whatever it is redefined to later. */
  letOf?: string;
}

/** What a box macro prints: a numbered item the block pass builds from the call. */
export interface MacroBox {
  def: MacroDef;
  counter: string;
  printed?: string;
}

/** Edits one round of the pass made, in source offsets. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

const DEFINERS = new Set(["newcommand", "renewcommand", "providecommand", "DeclareRobustCommand"]);
const XPARSE = new Set(["NewDocumentCommand", "RenewDocumentCommand", "ProvideDocumentCommand", "DeclareDocumentCommand", "NewExpandableDocumentCommand"]);
const TEX_DEFS = new Set(["def", "gdef", "edef", "xdef", "long", "protected"]);
/** What gives a macro body structure the later passes must see. */
const STRUCTURE =
  /\\(part|chapter|section|subsection|subsubsection|paragraph|begin|end|label|item|newtheorem|input|include|subfile|caption|appendix|frontmatter|mainmatter|backmatter|newenvironment|renewenvironment|newlist|setlist|newcounter|setcounter|addtocounter|counterwithin|numberwithin)(?![A-Za-z@])/;
/** A body that changes how a counter prints (`\renewcommand{\thesection}{\thechapter.E}`) acts where it is called. */
const REPRINTS = /\\(?:(?:renew|provide|new)command\*?\s*\{?\s*|[gex]?def\s*)\\the[A-Za-z]+(?![A-Za-z@])/;
const READS = /\\(?:read|openin)(?![A-Za-z@])/;
const STEPS = /\\(?:refstepcounter|stepcounter)\s*\{\s*([^{}\s]+)\s*\}/g;
const BOOLEAN_SETTERS: Record<string, { sig: string; value?: boolean }> = {
  newboolean: { sig: "m", value: false },
  provideboolean: { sig: "m", value: false },
  setboolean: { sig: "m m" },
  newtoggle: { sig: "m", value: false },
  providetoggle: { sig: "m", value: false },
  toggletrue: { sig: "m", value: true },
  togglefalse: { sig: "m", value: false },
  settoggle: { sig: "m m" },
  newbool: { sig: "m", value: false },
  providebool: { sig: "m", value: false },
  booltrue: { sig: "m", value: true },
  boolfalse: { sig: "m", value: false },
  setbool: { sig: "m m" },
};
const BRANCHES = new Set(["ifthenelse", "iftoggle", "nottoggle", "ifbool", "notbool"]);
const MAX_ROUNDS = 8;
const ACTS_ON = new RegExp(
  `\\\\(${[...DEFINERS, ...XPARSE, ...TEX_DEFS, "let", "input", "include", "subfile", "usepackage", "RequirePackage", ...Object.keys(BOOLEAN_SETTERS), ...BRANCHES].join("|")})(?![A-Za-z@])`,
);

/** The macros and booleans of one document, filled in document order as files are read. */
export class MacroTable {
  readonly defs = new Map<string, MacroDef>();
  readonly booleans = new Map<string, boolean>();
  /** Calls the pass could not decide (`\ifthenelse` on an unknown test), by name → first file:line. */
  readonly undecided = new Map<string, { file: string; line: number; uses: number; what: string }>();
  /**
   * Called for each `\input{…}`/`\include{…}` met while a file's macros are read, in reading order, so the
   * file it names is read (and its definitions recorded) before the rest of the including file is expanded —
   * a style file `\include`d in the preamble defines the `\includechapter` the body calls.
   */
  onInput?: (cmd: string, arg: string, from: string) => void;

  get(name: string): MacroDef | undefined {
    return this.defs.get(name);
  }

  /** A box macro's counter and printed name, or undefined. */
  boxOf(name: string): MacroBox | undefined {
    const def = this.defs.get(name);
    if (!def || def.role !== "box" || def.steps.length === 0) return undefined;
    return { def, counter: def.steps[0], printed: def.printed };
  }

  define(def: Omit<MacroDef, "role" | "steps" | "printed">, mode: "new" | "renew" | "provide"): void {
    if (mode === "provide" && this.defs.has(def.name)) return;
    // \let\oldsection\section \renewcommand\section{\clearpage\oldsection}: still a \section (the kernel's,
    // with something before it); recorded as a redefinition it would expand into itself.
    if (STRUCTURE.test(`\\${def.name}`) && [...def.body.matchAll(/\\([A-Za-z@]+)/g)].some((m) => this.defs.get(m[1])?.letOf === def.name)) return;
    // TeX drops a comment with its line end and the next line's leading spaces when it reads the definition.
    const body = def.body.replace(/(?<!\\)%[^\n]*(?:\n[ \t]*)?/g, "");
    this.defs.set(def.name, { ...def, body, ...this.classify(body) });
  }

  private classify(body: string): Pick<MacroDef, "role" | "steps" | "printed"> {
    const usesExpanding = [...body.matchAll(/\\([A-Za-z@]+)/g)].some((m) => this.defs.get(m[1])?.role === "expand");
    const steps = [...body.matchAll(STEPS)].map((m) => m[1]);
    // a loop over \read lines prints what only TeX sees: kept as a call, which the block pass reports once
    if (READS.test(body)) return { role: "plain", steps };
    // a box that labels itself (\refstepcounter{c}\label{#2}… "Definition \thec") is still a box: its \label is
    // the only structure in it, and the block pass gives the label to the item
    if (steps.length && !usesExpanding && !STRUCTURE.test(body.replace(/\\label\s*\{\s*#\d\s*\}/g, ""))) {
      const box = this.classifyBox(body, steps);
      if (box.printed || !STRUCTURE.test(body)) return box;
    }
    if (STRUCTURE.test(body) || REPRINTS.test(body) || usesExpanding) return { role: "expand", steps };
    if (steps.length) return this.classifyBox(body, steps);
    return { role: "plain", steps };
  }

  private classifyBox(body: string, steps: string[]): Pick<MacroDef, "role" | "steps" | "printed"> {
    // The name printed before \theX: "Definition~\thedefinitioncounter", "{\bf Key Idea \thekeyidea}".
    const esc = steps[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const m = new RegExp(`([A-Z][A-Za-z]*(?:[ ][A-Z][A-Za-z]*)*)[\\s~{}]*(?:\\\\(?:nobreakspace|,|\\s)\\s*)*\\\\the${esc}(?![A-Za-z@])`).exec(body);
    return { role: "box", steps, printed: m?.[1] };
  }

  /**
   * `\newenvironment{eoce}[2][]{\refstepcounter{eoce}…}{…}` also defines the command `\eoce` (its begin code),
   * which books call on its own (`\eoce{…}`): recorded as a box when the begin code steps a counter and no
   * macro of that name is defined.
   */
  defineEnvCommand(name: string, nargs: number, hasOptional: boolean, begin: string, file: string, line: number): void {
    const steps = [...begin.matchAll(STEPS)].map((m) => m[1]);
    if (!steps.length || this.defs.has(name)) return;
    const signature = [...(hasOptional ? ["o"] : []), ...Array.from({ length: Math.max(0, nargs - (hasOptional ? 1 : 0)) }, () => "m")].join(" ");
    const { printed } = this.classifyBox(begin, steps);
    this.defs.set(name, { name, signature, body: begin, file, line, role: "box", steps, printed });
  }

  /** Whether `text` may hold anything this pass acts on: a definition, a boolean, or a call of a macro it expands. */
  mayActOn(text: string): boolean {
    if (ACTS_ON.test(text)) return true;
    for (const d of this.defs.values()) if (d.role === "expand" && text.includes(`\\${d.name}`)) return true;
    return false;
  }

  snapshot(): () => void {
    const defs = new Map(this.defs);
    const booleans = new Map(this.booleans);
    return () => {
      this.defs.clear();
      for (const [k, v] of defs) this.defs.set(k, v);
      this.booleans.clear();
      for (const [k, v] of booleans) this.booleans.set(k, v);
    };
  }
}

interface Ctx {
  table: MacroTable;
  text: string;
  file: string;
  lineOf: (offset: number) => number;
  edits: Edit[];
}

/**
 * One round over a parsed file: records definitions and boolean settings in order and returns the
 * edits (expansions, decided branches) to apply to the text. An empty list means the text is final.
 */
export function macroEdits(nodes: Node[], text: string, file: string, lineOf: (offset: number) => number, table: MacroTable): Edit[] {
  const ctx: Ctx = { table, text, file, lineOf, edits: [] };
  visit(nodes, ctx, 0);
  return ctx.edits;
}

function visit(nodes: Node[], ctx: Ctx, depth: number): void {
  if (depth > 200) return;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.type === "macro") {
      const consumed = macro(nodes, i, ctx);
      if (consumed >= 0) {
        i = consumed;
        continue;
      }
    } else if (n.type === "verbatim" || n.type === "verb" || n.type === "comment") continue;
    const kids = childrenOf(n);
    if (kids.length) visit(kids, ctx, depth + 1);
  }
}

/** Reads the arguments after `nodes[i]` by `signature` on a copy; returns them and the index of the last node they use. */
function readArgs(nodes: Node[], i: number, signature: string): { args: Ast.Argument[]; last: number } {
  if (!signature.trim()) return { args: [], last: i };
  // Arguments never run past a paragraph break; an optional argument of key=values may be many nodes long.
  let stop = i + 1;
  while (stop < nodes.length && stop - i < 400 && nodes[stop].type !== "parbreak") stop++;
  const slice = structuredClone(nodes.slice(i, stop)) as Ast.Node[];
  const { args, nodesRemoved } = gobbleArguments(slice, signature, 1);
  return { args, last: i + nodesRemoved };
}

function argSource(arg: Ast.Argument | undefined, text: string): string {
  if (!arg) return "";
  const content = arg.content as Node[];
  const starts = content.map((c) => startOf(c)).filter((x): x is number => x !== undefined);
  const ends = content.map((c) => endOf(c)).filter((x): x is number => x !== undefined);
  if (!starts.length) return printRaw(arg.content);
  return text.slice(Math.min(...starts), Math.max(...ends));
}

function isEmpty(arg: Ast.Argument | undefined): boolean {
  return !arg || (arg.openMark === "" && arg.content.length === 0);
}

/** Handles a macro; returns the index of the last node it consumed, or -1 to let the visitor descend. */
function macro(nodes: Node[], i: number, ctx: Ctx): number {
  const node = nodes[i] as Ast.Macro;
  const name = node.content;
  const at = startOf(node) ?? 0;
  const { table } = ctx;
  if (DEFINERS.has(name)) {
    const { args, last } = readArgs(nodes, i, "s m o o m");
    const target = argSource(args[1], ctx.text).trim().replace(/^\\/, "");
    if (!/^[A-Za-z@]+$/.test(target) || isEmpty(args[4])) return last;
    const nargs = Number(argSource(args[2], ctx.text).trim()) || 0;
    const signature = isEmpty(args[3])
      ? Array.from({ length: nargs }, () => "m").join(" ")
      : [`O{${argSource(args[3], ctx.text)}}`, ...Array.from({ length: Math.max(0, nargs - 1) }, () => "m")].join(" ");
    table.define({ name: target, signature, body: argSource(args[4], ctx.text), file: ctx.file, line: ctx.lineOf(at) }, name === "providecommand" ? "provide" : "new");
    return last;
  }
  if (XPARSE.has(name)) {
    const { args, last } = readArgs(nodes, i, "m m m");
    const target = argSource(args[0], ctx.text).trim().replace(/^\\/, "");
    if (!/^[A-Za-z@]+$/.test(target) || isEmpty(args[2])) return last;
    // xparse's `+`, `!` and `>{…}` modifiers do not change what is read here.
    const signature = argSource(args[1], ctx.text).replace(/>\{[^{}]*\}|[+!]/g, "").trim();
    table.define({ name: target, signature, body: argSource(args[2], ctx.text), file: ctx.file, line: ctx.lineOf(at) }, name.startsWith("Provide") ? "provide" : "new");
    return last;
  }
  if (TEX_DEFS.has(name)) return texDef(nodes, i, ctx);
  if (name === "let") {
    // \let\Chapter\chapter, \let\X=\Y
    let k = i + 1;
    const next = () => {
      while (k < nodes.length && (nodes[k].type === "whitespace" || (nodes[k].type === "string" && (nodes[k] as Ast.String).content === "="))) k++;
      return nodes[k++];
    };
    const a = next();
    const b = next();
    if (a?.type === "macro" && b?.type === "macro") {
      const prev = table.get(b.content);
      if (prev) table.defs.set(a.content, { ...prev, name: a.content });
      else if (STRUCTURE.test(`\\${b.content}`)) {
        table.define({ name: a.content, signature: "", body: `\\${b.content}`, file: ctx.file, line: ctx.lineOf(at) }, "new");
        const d = table.get(a.content);
        if (d) d.letOf = b.content;
      }
      return k - 1;
    }
    return -1;
  }
  const setter = BOOLEAN_SETTERS[name];
  if (setter) {
    const { args, last } = readArgs(nodes, i, setter.sig);
    const key = argSource(args[0], ctx.text).trim();
    if (!key) return last;
    const value = setter.value ?? /^true$/i.test(argSource(args[1], ctx.text).trim());
    if (setter.sig === "m" && setter.value === false && table.booleans.has(key) && /^provide/.test(name)) return last;
    table.booleans.set(key, value);
    return last;
  }
  if (BRANCHES.has(name)) return branch(nodes, i, ctx);
  if (table.onInput && (name === "usepackage" || name === "RequirePackage")) {
    // a package of the course's own folder (style.sty) defines macros as a style file does
    const { args } = readArgs(nodes, i, "o m");
    for (const p of argSource(args[1], ctx.text).split(",").map((x) => x.trim())) if (/^[\w./-]+$/.test(p)) table.onInput("usepackage", p, ctx.file);
    return -1;
  }
  if (table.onInput && (name === "input" || name === "include" || name === "subfile")) {
    const { args } = readArgs(nodes, i, name === "include" ? "s m" : "m");
    let arg = argSource(args[args.length - 1], ctx.text).trim();
    // a name made of the course's own parameterless macros (`\input{book/ch\currentchapter-sets/intro.tex}` after
    // `\renewcommand{\currentchapter}{02}`) names the file their definitions at this point spell, as TeX reads it
    const named = arg.includes("\\") && !arg.includes("#") ? spelledName(arg, table) : undefined;
    const range = named ? argRange(args[args.length - 1]) : undefined;
    if (named && range) {
      pushEdit(ctx, range.start, range.end, named);
      arg = named;
    }
    // a name still holding a macro parameter or a command is not a file yet (the next round has it expanded)
    if (arg && !/[#\\]/.test(arg)) table.onInput(name, arg, ctx.file);
    return -1;
  }
  const def = table.get(name);
  if (def?.role === "expand") return expand(nodes, i, def, ctx);
  return -1;
}

/** `\def\X#1#2{body}` (undelimited parameters only). */
function texDef(nodes: Node[], i: number, ctx: Ctx): number {
  let k = i + 1;
  // \long\def, \protected\def: the prefix is its own macro; the \def that follows is read on its own.
  if ((nodes[i] as Ast.Macro).content === "long" || (nodes[i] as Ast.Macro).content === "protected") return i;
  while (k < nodes.length && nodes[k].type === "whitespace") k++;
  const target = nodes[k];
  if (target?.type !== "macro") return i;
  let params = "";
  let j = k + 1;
  while (j < nodes.length && nodes[j].type !== "group" && nodes[j].type !== "parbreak" && j - k < 30) {
    params += printRaw(nodes[j] as Ast.Node);
    j++;
  }
  const body = nodes[j];
  if (body?.type !== "group") return i;
  const at = startOf(nodes[i]) ?? 0;
  const compact = params.replace(/\s+/g, "");
  const simple = /^(#\d)*$/.test(compact);
  const nargs = simple ? compact.length / 2 : 0;
  const bodyText = argSource({ type: "argument", content: (body as Ast.Group).content, openMark: "{", closeMark: "}" }, ctx.text);
  ctx.table.define(
    {
      name: target.content,
      signature: Array.from({ length: nargs }, () => "m").join(" "),
      body: bodyText,
      file: ctx.file,
      line: ctx.lineOf(at),
      unreadable: simple ? undefined : `its parameters "${params.trim().slice(0, 40)}" are delimited`,
    },
    "new",
  );
  if (!simple) {
    // A delimited \def cannot be expanded here; it stays as written (reported by the block pass if it matters).
    const d = ctx.table.get(target.content)!;
    if (d.role === "expand") d.role = "plain";
  }
  return j;
}

/** `\ifthenelse{\boolean{x}}{A}{B}`, `\iftoggle{x}{A}{B}` …: replaced by the branch TeX takes, when known. */
function branch(nodes: Node[], i: number, ctx: Ctx): number {
  const name = (nodes[i] as Ast.Macro).content;
  const { args, last } = readArgs(nodes, i, "m m m");
  if (args.some((a) => isEmpty(a))) return -1;
  const test = argSource(args[0], ctx.text).trim();
  let value: boolean | undefined;
  if (name === "ifthenelse") value = evalIfthen(test, ctx.table);
  else {
    const v = ctx.table.booleans.get(test);
    value = v === undefined ? undefined : name.startsWith("not") ? !v : v;
  }
  if (value === undefined) {
    const key = `\\${name}{${test.slice(0, 40)}}`;
    const u = ctx.table.undecided.get(key);
    if (u) u.uses++;
    else ctx.table.undecided.set(key, { file: ctx.file, line: ctx.lineOf(startOf(nodes[i]) ?? 0), uses: 1, what: name });
    return -1;
  }
  const start = startOf(nodes[i]) ?? 0;
  const end = endOf(nodes[last]) ?? start;
  pushEdit(ctx, start, end, argSource(args[value ? 1 : 2], ctx.text));
  return last;
}

/** ifthen tests: `\boolean{x}`, `\equal{a}{b}`, `\not`, `\and`, `\or` (left to right). */
function evalIfthen(test: string, table: MacroTable): boolean | undefined {
  const atoms = test.split(/\\(and|or)(?![A-Za-z])/);
  let acc: boolean | undefined;
  let op = "";
  for (let k = 0; k < atoms.length; k++) {
    if (k % 2 === 1) {
      op = atoms[k];
      continue;
    }
    let t = atoms[k].trim();
    let neg = false;
    while (t.startsWith("\\not")) {
      neg = !neg;
      t = t.slice(4).trim();
    }
    let v: boolean | undefined;
    const b = /^\\boolean\s*\{\s*([^{}]+?)\s*\}$/.exec(t);
    const e = /^\\equal\s*\{([^{}]*)\}\s*\{([^{}]*)\}$/.exec(t);
    if (b) v = table.booleans.get(b[1]);
    else if (e && !/\\/.test(e[1] + e[2])) v = e[1].trim() === e[2].trim();
    if (v === undefined) return undefined;
    if (neg) v = !v;
    acc = acc === undefined ? v : op === "and" ? acc && v : acc || v;
  }
  return acc;
}

/** Replaces a call of a structure-carrying macro by its expansion. */
function expand(nodes: Node[], i: number, def: MacroDef, ctx: Ctx): number {
  const { args, last } = readArgs(nodes, i, def.signature);
  const start = startOf(nodes[i]) ?? 0;
  const end = endOf(nodes[last]) ?? start;
  // Each given argument goes in as a placeholder, so it keeps its exact source text (and its line breaks).
  const slots = args.map((a, k) => (isEmpty(a) ? a : { ...a, content: [{ type: "string", content: `\u0001${k}\u0001` } as Ast.String] }));
  const call = { type: "macro", content: def.name, args: slots } as Ast.Macro;
  const body = parseMinimal(def.body).content;
  const expanded = createMacroExpander(body)(call);
  let out = printRaw(expanded).replace(/\n\n+/g, " \\par ");
  // An argument's comments go (their line breaks stay): a line break the expansion turns into a space must not
  // leave a `%` that would swallow what follows.
  out = out.replace(/\u0001(\d+)\u0001/g, (_m, k: string) => argSource(args[Number(k)], ctx.text).replace(/(?<!\\)%[^\n]*/g, ""));
  // A star of an `s` argument prints as "*"; a missing one as nothing.
  pushEdit(ctx, start, end, out);
  return last;
}

/** A file name with its parameterless course macros replaced by their text (nested ones too); undefined when one is not such a macro. */
function spelledName(arg: string, table: MacroTable): string | undefined {
  let name = arg;
  for (let round = 0; round < 5 && name.includes("\\"); round++) {
    let unknown = false;
    name = name.replace(/\\([A-Za-z@]+)(?:\{\})? */g, (all, m: string) => {
      const def = table.get(m);
      if (!def || def.signature !== "" || def.role !== "plain" || /[#%{}]/.test(def.body)) {
        unknown = true;
        return all;
      }
      return def.body.trim();
    });
    if (unknown) return undefined;
  }
  return name.includes("\\") ? undefined : name;
}

/** Source offsets of an argument's content. */
function argRange(arg: Ast.Argument | undefined): { start: number; end: number } | undefined {
  const content = (arg?.content ?? []) as Node[];
  const starts = content.map((c) => startOf(c)).filter((x): x is number => x !== undefined);
  const ends = content.map((c) => endOf(c)).filter((x): x is number => x !== undefined);
  return starts.length ? { start: Math.min(...starts), end: Math.max(...ends) } : undefined;
}

/** Adds an edit that keeps the line count of `[start, end)`: extra line breaks become spaces, lost ones `%` line ends. */
function pushEdit(ctx: Ctx, start: number, end: number, replacement: string): void {
  const before = (ctx.text.slice(start, end).match(/\n/g) ?? []).length;
  let seen = 0;
  let text = replacement.replace(/\n/g, () => (++seen <= before ? "\n" : " "));
  if (seen < before) text += "%\n".repeat(before - seen);
  ctx.edits.push({ start, end, text });
}

/** Applies non-overlapping edits (outermost first wins) to `text`. */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = "";
  let cur = 0;
  for (const e of sorted) {
    if (e.start < cur) continue;
    out += text.slice(cur, e.start) + e.text;
    cur = e.end;
  }
  return out + text.slice(cur);
}

export const MAX_MACRO_ROUNDS = MAX_ROUNDS;
