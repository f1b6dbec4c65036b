/**
 * Pass 4, environments: theorem-like items (with their number from the derived counters), proofs,
 * hints, quizzes, code listings, display math (equation numbers) and the wrappers the blocks pass
 * sees through. Lists are `lists.ts`.
 */
import { formatLabel } from "../labels";
import { oneLine, tidyCode, type SourceFile } from "../latex-text";
import type { Block, BlockKind } from "../types";
import { ArgReader, childrenOf, endOf, envName, groupRange, isMacro, startOf, type Node } from "./ast";
import { bracketAt, type TheoremDef, type UserEnv } from "./numbering";
import { parseKeyVals } from "./options";
import {
  CODE_ENVS, EQ_ENVS, EXERCISE_CONTAINER, FLOAT_ENVS, HEADING_LEVELS, INCLUDES, KNOWN_ENVS, LIST_ENVS, MATH_ENVS, MATH_INNER_ENVS, MAX_DEPTH, SINGLE_ROW_EQ,
} from "./syntax";
import { TreeBuilder, type Mode } from "./tree";

export abstract class EnvironmentPass extends TreeBuilder {
  protected abstract list(node: Node, name: string, f: SourceFile, mode: Mode, user: UserEnv | undefined): void;

  protected bodyRange(f: SourceFile, node: Node): { start: number; end: number; outer: { start: number; end: number } } {
    const s = startOf(node) ?? 0;
    const e = endOf(node) ?? s;
    const m = /^\\begin\s*\{[^}]*\}/.exec(f.masked.slice(s, Math.min(e, s + 200)));
    const bodyStart = s + (m ? m[0].length : 0);
    const k = f.masked.lastIndexOf("\\end", e - 1);
    const bodyEnd = k >= bodyStart ? k : e;
    return { start: bodyStart, end: bodyEnd, outer: { start: s, end: e } };
  }

  protected environment(node: Node, f: SourceFile, mode: Mode): void {
    const name = envName(node);
    if (mode.depth > MAX_DEPTH) return;
    if (this.excludedEnvs.has(name)) return;
    if (name === "document") {
      this.walk(childrenOf(node), f, mode);
      return;
    }
    const thm = this.num.theoremDef(name);
    if (thm) {
      this.item(node, name, thm, f, mode);
      return;
    }
    if (name === "restatable" || name === "restatable*") {
      // thm-restate's \begin{restatable}[Title]{theorem}{\name}: a theorem of that kind (\name* restates it later,
      // with the same number: not a new item)
      const kids = childrenOf(node);
      const r = new ArgReader(kids, 0);
      const titleRange = r.optional();
      const inner = this.groupText(f, r.mandatory()).trim();
      const macroGroup = r.mandatory();
      const def = inner ? this.num.theoremDef(inner) : undefined;
      if (def && macroGroup) {
        const range = this.bodyRange(f, node);
        range.start = (groupRange(macroGroup)?.end ?? range.start) + 1;
        this.buildItem(def, inner, kids.slice(r.pos), range, titleRange, f, mode, range.outer, kids.slice(0, r.pos));
        return;
      }
    }
    if (name === "proof" || name === "proof*") {
      this.simpleBlock(node, "proof", f, mode);
      return;
    }
    if (CODE_ENVS.has(name) || this.num.codeEnvs.has(name)) {
      this.codeBlock(node, f, mode);
      return;
    }
    if (node.type === "mathenv" || MATH_ENVS.has(name)) {
      if (mode.flow) this.paraAdd(f, node, "math");
      this.mathEnv(node, name, f, mode);
      return;
    }
    const user = this.num.userEnvs.get(name);
    if (user?.math) {
      // \newenvironment{narrowmultline}{\csname equation\endcsname}{…}: numbered like the display it opens.
      if (mode.flow) this.paraAdd(f, node, "math");
      this.mathEnv(node, user.math, f, mode);
      return;
    }
    if (user && mode.flow && this.headingEnv(node, user, f, mode)) return;
    // `\begin{section}{Title} … \end{section}`: LaTeX's \begin{x} runs the command \x, so a sectioning command used
    // as an environment is that heading, its [short] and {title} read as the command's; the body follows it
    if (!user && mode.flow && name in HEADING_LEVELS && this.headingEnv(node, { nargs: 2, hasOptional: true, begin: `\\${name}{#2}`, end: "" }, f, mode)) return;
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
        this.diags.add("warning", f, startOf(node) ?? 0, `unknown environment "${name}" (not declared in the preamble); its content is kept as text`);
      }
    }
    const float = FLOAT_ENVS[name];
    const exList = mode.exList || EXERCISE_CONTAINER.test(name);
    const stepped = user && /\\refstepcounter\s*\{\s*([^{}\s]+)\s*\}/.exec(user.begin)?.[1];
    if (stepped && user?.at && !this.num.theoremDef(name) && !/^(equation|figure|table|footnote|sub(figure|table)|enum(i|ii|iii|iv))$/.test(stepped)) {
      const def = user.at;
      // numbered by its own counter, but nothing in its definition says what it is called
      this.diags.unknown(`env:${name}`, def, (n) => `\\begin{${name}} (${def.file}:${def.line}) steps counter ${stepped} but prints no name the parser can read: ${n} numbered item${n === 1 ? "" : "s"} may be missing — install TeX for exact numbers`);
    }
    this.num.withScope(() => {
      const at = startOf(node) ?? 0;
      if (user) this.num.runCounterCode(user.begin, f, at);
      if (mode.flow && (exList || this.hasBlocks(childrenOf(node), 0))) {
        // A wrapper around real blocks (an `exercises` container, a framed box of theorems): see through it.
        this.flushPara();
        this.walk(childrenOf(node), f, { ...mode, exList, float: float ?? mode.float, depth: mode.depth + 1 });
        this.flushPara();
      } else {
        if (mode.flow) this.paraAdd(f, node, "other");
        this.walk(childrenOf(node), f, this.inner(mode, { float: float ?? mode.float, math: mode.math || MATH_INNER_ENVS.has(name) }));
      }
      if (user) this.num.runCounterCode(user.end, f, at);
    });
  }

  /**
   * A `\newenvironment` whose begin code starts a chapter or section from one of its arguments (OpenIntro's
   * `\begin{chapterpage}{Title}` → `\chapter{#1}`): that heading, at the `\begin`, with the rest of the
   * environment read as what follows it. False when the begin code has no such heading.
   */
  protected headingEnv(node: Node, user: UserEnv, f: SourceFile, mode: Mode): boolean {
    const m = /\\(part|chapter|section|subsection)(\*?)\s*\{\s*#([1-9])\s*\}/.exec(user.begin);
    if (!m) return false;
    const kids = childrenOf(node);
    // the environment's arguments: [optional] first when it has one, then the mandatory groups
    let k = 0;
    const skipSpace = () => {
      while (k < kids.length && (kids[k].type === "whitespace" || kids[k].type === "comment")) k++;
    };
    let argNo = 0;
    let title: Node | undefined;
    const wanted = Number(m[3]);
    if (user.hasOptional) {
      skipSpace();
      argNo++;
      if (kids[k]?.type === "string" && (kids[k] as { content: string }).content.startsWith("[")) {
        while (k < kids.length && !(kids[k].type === "string" && (kids[k] as { content: string }).content.includes("]"))) k++;
        k++;
      }
    }
    while (argNo < user.nargs) {
      skipSpace();
      if (kids[k]?.type !== "group") return false;
      argNo++;
      if (argNo === wanted) title = kids[k];
      k++;
    }
    if (!title) return false;
    this.heading(f, m[1], m[2] === "*", node, title, mode);
    this.walk(kids.slice(k), f, mode);
    return true;
  }

  /** Whether an environment body contains anything that becomes its own block. */
  protected hasBlocks(nodes: Node[], depth: number): boolean {
    if (depth > 20) return false;
    for (let k = 0; k < nodes.length; k++) {
      const n = nodes[k];
      if (n.type === "environment") {
        const name = envName(n);
        if (this.num.theoremDef(name) || name === "proof" || CODE_ENVS.has(name) || LIST_ENVS.has(name) || this.num.userEnvs.get(name)?.list) return true;
        if (this.hasBlocks(childrenOf(n), depth + 1)) return true;
      } else if (n.type === "macro" && (n.content in HEADING_LEVELS || INCLUDES.has(n.content))) return true;
      else if (n.type === "verbatim" && envName(n) !== "comment") return true;
    }
    return false;
  }

  protected item(node: Node, name: string, def: TheoremDef, f: SourceFile, mode: Mode): void {
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
    this.buildItem(def, name, children.slice(r.pos), range, titleRange, f, mode, range.outer, children.slice(0, r.pos));
  }

  protected buildItem(
    def: TheoremDef,
    name: string,
    body: Node[],
    range: { start: number; end: number },
    titleRange: { start: number; end: number } | undefined,
    f: SourceFile,
    mode: Mode,
    outer: { start: number; end: number },
    /** The title argument's nodes: a `\ref` in "[Example \ref{x}, continued]" prints its number. */
    titleNodes: Node[] = [],
  ): void {
    if (mode.flow) this.flushPara();
    const block: Block = {
      kind: def.kind ?? "remark",
      text: "",
      source: { file: f.rel, line: f.lineOf(outer.start), endLine: f.endLineOf(outer.start, outer.end) },
    };
    this.emit(block);
    const parts: string[] = [];
    // the exercise package's [title=…, label=key, number=7]: options, not a title
    const opts = def.keyvalOptions && titleRange ? parseKeyVals(f.masked.slice(titleRange.start, titleRange.end)) : undefined;
    const given = opts?.get("number")?.trim();
    this.num.withScope(() => {
      const user = this.num.userEnvs.get(name);
      let number: string | undefined;
      // number=7 sets the counter to 7 instead of stepping it (exercise.sty's \setcounter{Exercise}{…})
      if (def.counter && given && /^\d+$/.test(given)) this.num.counters.set(def.counter, Number(given) - 1);
      if (def.counter) {
        // a number set, not stepped, is no step a TeX trace shows: not offered to it (kept as derived)
        const stepAt = given ? undefined : { f, offset: outer.start, by: `\\begin{${name}}` };
        number = this.num.refstep(def.counter, def.kind ?? "counter", block, stepAt);
        if (def.printedNumber) number = this.num.printAs(def.printedNumber);
        if (user) {
          // The begin code's other counter commands (the \refstepcounter itself was just done).
          const rest = user.begin.replace(/\\refstepcounter\s*\{[^{}]*\}/, "");
          this.num.runCounterCode(rest, f, outer.start);
        }
      }
      if (def.kind && number !== undefined) {
        block.number = number;
        block.label = formatLabel(def.kind, number);
      }
      // An unnumbered item leaves the number a \label sees unchanged, but the label belongs to it.
      this.num.scope().owner = block;
      const key = opts?.get("label")?.trim();
      if (key) this.num.label(key, f, outer.start);
      if (titleNodes.length) this.walk(titleNodes, f, { ...this.inner(mode, {}), sink: undefined });
      this.walk(body, f, { ...this.inner(mode, {}), sink: undefined, parts, partsLevel: mode.listDepth + 1 });
      if (user) this.num.runCounterCode(user.end, f, outer.start);
      this.deferred.push(() => {
        const t = opts ? oneLine(opts.get("title") ?? "") : titleRange ? oneLine(f.extract(titleRange.start, titleRange.end)) : "";
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
  protected recoverItem(nodes: Node[], i: number, after: number, env: string, def: TheoremDef, f: SourceFile, mode: Mode): number {
    let j = after;
    for (; j < nodes.length; j++) {
      const n = nodes[j];
      if (n.type === "macro" && (n.content in HEADING_LEVELS || n.content === "begin" || n.content === "end" || INCLUDES.has(n.content))) break;
      if (n.type === "environment" && (this.num.theoremDef(envName(n)) || envName(n) === "proof")) break;
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
    this.buildItem(def, env, body.slice(r.pos), { start: titleRange ? titleRange.end + 1 : bodyStart, end: bodyEnd }, titleRange, f, mode, { start, end: bodyEnd }, body.slice(0, r.pos));
    return j - 1;
  }

  protected simpleBlock(node: Node, kind: BlockKind, f: SourceFile, mode: Mode): void {
    const children = childrenOf(node);
    const r = new ArgReader(children, 0);
    const range = this.bodyRange(f, node);
    const titleRange = r.optional();
    if (titleRange) range.start = titleRange.end + 1;
    if (!mode.flow) {
      this.num.withScope(() => this.walk(children.slice(r.pos), f, this.inner(mode, {})));
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
    this.num.withScope(() => this.walk(children.slice(r.pos), f, { ...this.inner(mode, {}), sink: labels }));
    if (labels.length) block.latexLabels = labels;
    this.deferred.push(() => {
      if (titleRange) block.title = oneLine(f.extract(titleRange.start, titleRange.end));
      block.text = f.extract(range.start, range.end).trim();
    });
  }

  protected codeBlock(node: Node, f: SourceFile, mode: Mode): void {
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

  protected mathEnv(node: Node, name: string, f: SourceFile, mode: Mode): void {
    const base = name.replace(/\*$/, "");
    const numbered = EQ_ENVS.has(base) && !name.endsWith("*");
    const sink = mode.flow ? (this.para ? this.para.labels : undefined) : mode.sink;
    const m: Mode = { ...mode, flow: false, math: true, sink, depth: mode.depth + 1 };
    const children = childrenOf(node);
    this.num.withScope(() => {
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
        this.num.withScope(() => {
          if (tagIdx >= 0) {
            const rr = new ArgReader(row, tagIdx + 1);
            rr.star();
            const s = this.num.scope();
            s.number = this.groupText(f, rr.mandatory());
            s.kind = "equation";
            s.owner = undefined;
          } else if (!noNumber) {
            const number = this.num.refstep("equation", "equation");
            f.replaceText(rowEnds[k], rowEnds[k], `\\tag{${number}}`);
          }
          this.walk(row, f, m);
        });
      });
    });
  }
}
