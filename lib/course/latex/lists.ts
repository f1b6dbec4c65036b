/**
 * Pass 4, lists: `enumerate`/`itemize`/`description` (and `\newlist` lists), with enumitem labels,
 * `start=`, `resume`, `series`; an enumerate that is an exercise list yields one exercise per `\item`;
 * a list directly inside an item gives its parts ("(a)" → part "a" of Exercise 1.5).
 */
import { formatLabel } from "../labels";
import type { SourceFile } from "../latex-text";
import type { Block } from "../types";
import { ArgReader, childrenOf, endOf, envName, isMacro, isString, startOf, type Node } from "./ast";
import { evalIntExpr, renderLabel, shortLabel } from "./counters";
import { EnvironmentPass } from "./environments";
import type { UserEnv } from "./numbering";
import { exerciseNumber, parseKeyVals, partName } from "./options";
import { DEFAULT_ENUM_LABELS, DEFAULT_ENUM_REFS, ENUM_COUNTERS, EXERCISE_LIST_ENV, KNOWN_ENVS, LIST_ENVS, TABLE_ENVS } from "./syntax";
import type { Mode } from "./tree";

export abstract class ListPass extends EnvironmentPass {
  protected list(node: Node, name: string, f: SourceFile, mode: Mode, user: UserEnv | undefined): void {
    const type = user?.list?.type ?? name.replace(/\*$/, "");
    const children = this.itemsOfTables(childrenOf(node), f);
    const r = new ArgReader(children, 0);
    const enumerate = type === "enumerate";
    const level = enumerate ? Math.min(mode.listLevel + 1, 4) : mode.listLevel;
    // Options: \setlist defaults, then the environment's own (\newenvironment wrapper or \setlist[name]),
    // then those given where the list begins (a \newlist list takes them like enumerate does).
    const declared = !user || (user.begin === "" && !!user.list);
    const o = declared ? r.optional() : undefined;
    let given = o ? f.masked.slice(o.start, o.end) : "";
    const short = given && parseKeyVals(given).size === 1 ? shortLabel(given) : undefined;
    if (short !== undefined) given = `label={${short}}`;
    const defaults = this.num.listDefaults.get(`${name.replace(/\*$/, "")}:${Math.max(level, 1)}`) ?? (user ? undefined : this.num.listDefaults.get(`${type}:${Math.max(level, 1)}`));
    const opts = [defaults, user?.list?.opts, given].filter(Boolean).join(",");
    // A list of exercises: an enumerate in an exercise container or under an "Exercises" heading, or any list the
    // course declared as one (\newlist{exerciselist}{description}{4} whose items say "\item[1.]").
    const exList =
      mode.flow && ((enumerate && (mode.exList || this.exHeadingLevel !== undefined)) || (!!user && (enumerate || !!user.list) && EXERCISE_LIST_ENV.test(name)));
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

    this.num.withScope(() => {
      const kv = parseKeyVals(opts);
      const labelTpl = kv.get("label") ?? kv.get("label*") ?? DEFAULT_ENUM_LABELS[level - 1];
      const refTpl = kv.get("ref") ?? (kv.has("label") || kv.has("label*") ? labelTpl : DEFAULT_ENUM_REFS[level - 1]);
      const counter = ENUM_COUNTERS[Math.max(0, level - 1)];
      const series = kv.get("series") ?? (kv.get("resume") || `${type}:${level}`);
      if (user?.list) this.num.runCounterCode(user.list.pre, f, at);
      if (enumerate) {
        const resume = kv.has("resume") || kv.has("resume*");
        if (resume && this.num.listSeries.has(series)) this.num.counters.set(counter, this.num.listSeries.get(series)!);
        else {
          const startExpr = kv.get("start");
          let startVal = 1;
          if (startExpr !== undefined) {
            const v = evalIntExpr(startExpr, this.num.counters);
            if (v === undefined) this.diags.add("warning", f, at, `enumerate start=${startExpr.slice(0, 60)} cannot be evaluated; starting at 1`);
            else startVal = v;
          }
          this.num.counters.set(counter, startVal - 1);
        }
      }
      if (user?.list) this.num.runCounterCode(user.list.post, f, at);
      if (kv.has("before")) this.num.runCounterCode(kv.get("before")!, f, at);

      const itemIdx: number[] = [];
      for (let k = r.pos; k < children.length; k++) if (isMacro(children[k], "item")) itemIdx.push(k);
      this.warnSwallowedItems(children.slice(r.pos), name, f);
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
        const s = this.num.scope();
        if (explicit) {
          // LaTeX's \item[…] does not step the counter, so a \label after it keeps the previous value.
          labelText = renderLabel(f.masked.slice(explicit.start, explicit.end), this.num.counters);
        } else if (enumerate) {
          this.num.counters.step(counter);
          labelText = renderLabel(labelTpl, this.num.counters, counter);
          refText = renderLabel(refTpl, this.num.counters, counter);
          s.number = refText;
          s.kind = exList ? "exercise" : "item";
        }
        s.owner = undefined;
        if (mode.parts && depth === mode.partsLevel && labelText !== undefined) mode.parts.push(partName(labelText));
        // The printed-text pass shows the label LaTeX prints (an explicit \item[…] already says it).
        if (labelText !== undefined && !explicit && !exList) f.replaceText(startOf(itemNode) ?? 0, endOf(itemNode) ?? 0, `\\item[{${labelText}}]`);
        if (exList) {
          let number = exerciseNumber(explicit ? (labelText ?? "") : (refText ?? ""));
          // "6." printed under "Exercises 2.1" (or under the exercises of Section 2.1) is Exercise 2.1.6, as the
          // TeX trace names it (engine/numbered-items.ts): a hand-written "6." anywhere in an exercise list, an
          // enumerate's own bare "6." / "(6)" in an outermost list under an exercise heading.
          const bare = !explicit && depth === 1 && this.exHeadingLevel !== undefined && BARE_NUMBER.test(labelText ?? "");
          if (bare) number = this.exerciseNumberPrefix(true) + BARE_NUMBER.exec(labelText!)![1];
          else if (explicit && /^\d+$/.test(number)) number = this.exerciseNumberPrefix() + number;
          const block = this.exerciseItem(itemNode, explicit, content, number, f, innerMode);
          if (block.number && !explicit) this.num.numbered.push({ counter, by: "\\item", number: block.number, file: f.rel, line: block.source.line, owner: block });
          return;
        }
        this.walk(content, f, innerMode);
      });
      if (enumerate) this.num.listSeries.set(series, this.num.counters.value(counter));
      if (kv.has("after")) this.num.runCounterCode(kv.get("after")!, f, at);
      if (user) this.num.runCounterCode(user.end, f, at);
    });
    if (listBlock && !listBlock.latexLabels?.length) delete listBlock.latexLabels;
  }

  /**
   * A list's children with the `\item`s of a table directly inside it (an exercise list laid out as question and
   * answer columns: `\begin{enumerate}\begin{longtable}{…}\item Q & A \\ …`), or of a group directly inside it,
   * brought up to the list: LaTeX runs them as the list's items. The table's `&` and `\\` print as the breaks
   * between cells and rows.
   */
  private itemsOfTables(children: Node[], f: SourceFile): Node[] {
    const table = (c: Node) => c.type === "environment" && TABLE_ENVS.has(envName(c));
    const holds = (c: Node) => (table(c) || c.type === "group") && childrenOf(c).some((n) => isMacro(n, "item"));
    if (!children.some(holds)) return children;
    const out: Node[] = [];
    for (const c of children) {
      if (!holds(c)) {
        out.push(c);
        continue;
      }
      // a {…} group (`{\bfseries \item … \item …}`) only scopes a font: TeX steps the list's counter in it all the same
      for (const n of childrenOf(c)) {
        if (table(c) && (isString(n, "&") || isMacro(n, "\\"))) f.replaceText(startOf(n) ?? 0, endOf(n) ?? 0, "\n\n");
        out.push(n);
      }
    }
    return out;
  }

  /**
   * `\item`s of this list that a construct inside it hides from the walk (a box, a group, a table the list does
   * not see through): a warning at the first, not a silent loss of the items.
   */
  private warnSwallowedItems(children: Node[], name: string, f: SourceFile): void {
    const user = (env: string) => this.num.userEnvs.get(env);
    for (const c of children) {
      if ((c.type !== "environment" && c.type !== "group") || holdsOwnItems(c, user)) continue;
      const hidden = firstHiddenItem(childrenOf(c), user);
      if (hidden === undefined) continue;
      const where = c.type === "group" ? "a {…} group" : `\\begin{${envName(c)}}`;
      this.diags.add("warning", f, startOf(hidden) ?? startOf(c) ?? 0, `\\item inside ${where} within a ${name} list is not read as an item of the list (its text may be lost)`);
    }
  }

  protected exerciseItem(
    itemNode: Node,
    explicit: { start: number; end: number } | undefined,
    content: Node[],
    number: string,
    f: SourceFile,
    mode: Mode,
  ): Block {
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
    this.num.scope().owner = block;
    this.walk(content, f, { ...mode, sink: undefined, parts, partsLevel: mode.listDepth + 1 });
    if (parts.length) block.parts = parts;
    this.deferred.push(() => {
      block.text = f.extract(textStart, end).trim();
    });
    return block;
  }
}

/** An enumerate's own label that is a bare number: "6.", "(6)", "6)". */
const BARE_NUMBER = /^\(?(\d+)[.)]?\)?$/;

/** Environments that hold `\item`s of their own (lists, bibliographies, an index, exercise containers). */
const OWN_ITEMS = new Set(["thebibliography", "theindex", "exercises", "list", "trivlist"]);

/** A list, or an environment that may be one: its `\item`s are its own. */
function holdsOwnItems(n: Node, user: (env: string) => UserEnv | undefined): boolean {
  if (n.type !== "environment") return false;
  const env = envName(n);
  const u = user(env);
  return LIST_ENVS.has(env) || OWN_ITEMS.has(env) || !!u?.list || (!!u && /\\(begin\s*\{|list\b|item\b)/.test(u.begin)) || (!u && !KNOWN_ENVS.has(env));
}

/**
 * The first `\item` in `nodes` outside any list of its own, looking through groups and known environments
 * that are not lists (an unknown environment is already a warning, and may be a list).
 */
function firstHiddenItem(nodes: Node[], user: (env: string) => UserEnv | undefined): Node | undefined {
  for (const n of nodes) {
    if (isMacro(n, "item")) return n;
    if ((n.type !== "group" && n.type !== "environment") || holdsOwnItems(n, user)) continue;
    const hit = firstHiddenItem(childrenOf(n), user);
    if (hit) return hit;
  }
  return undefined;
}
