/**
 * Pass 3 of the LaTeX path, without TeX: the derived counters. LaTeX's counters (`counters.ts`), the
 * theorem-like environments (`\newtheorem`, shared counters, `\newenvironment` wrappers), enumitem
 * lists (`\newlist`, `\setlist`), `\@currentlabel` per group and the `\label` table. The block pass
 * calls in here for every numbered thing; each gets recorded as a `NumberedItem`, so that the real
 * engine's trace, when there is one, can settle the printed numbers afterwards (`settleNumbers`).
 */
import { formatLabel, KIND_NAMES, kindFromName } from "../labels";
import { oneLine, type SourceFile } from "../latex-text";
import { ITEM_KINDS, type Block, type CitableKind, type ItemKind, type KnownItemKind, type SectionNode } from "../types";
import type { ArgReader } from "./ast";
import { Counters, evalIntExpr, parseTemplate, type TemplatePart } from "./counters";
import type { Diagnostics } from "./diagnostics";
import { parseKeyVals } from "./options";
import { ENUM_COUNTERS, unbrace } from "./syntax";

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

export interface TheoremDef {
  /** Counter stepped by the environment; undefined when unnumbered. */
  counter?: string;
  printed: string;
  kind?: ItemKind;
  /** The title comes from a mandatory argument (`\newenvironment{x}[1]`) instead of `[…]`. */
  mandatoryTitle?: boolean;
  /**
   * What the head prints as the number when it is not `\the<counter>`: OpenIntro's boxes step `equation` and
   * print `\theexample` = `\thechapter.\arabic{equation}` ("0.1" in the preface, where `\theequation` is "1").
   */
  printedNumber?: TemplatePart[];
  /**
   * The optional argument is key=value options, not a title: the exercise package's
   * `\begin{Exercise}[title=…, label=key, number=7, name=Problem]`.
   */
  keyvalOptions?: boolean;
}

export interface UserEnv {
  nargs: number;
  hasOptional: boolean;
  begin: string;
  end: string;
  /** The display-math environment the begin code opens (`\begin{equation}`, `\csname equation\endcsname`, `\equation`). */
  math?: string;
  /** enumitem options of a `\begin{enumerate}[…]` inside the begin code (or of a `\newlist`). */
  list?: { type: string; opts: string; pre: string; post: string };
  /** Where it was defined. */
  at?: { file: string; line: number };
}

/** `\@currentlabel` and what it belongs to; one per TeX group (environment). */
export interface CurrentLabel {
  number: string;
  kind: string;
  owner?: Block | SectionNode;
}

/** One numbered thing as the derived counters number it; the seam where the engine's trace plugs in. */
export interface NumberedItem {
  /** The counter stepped ("theorem", "section", "enumi" …). */
  counter: string;
  /** The environment or macro that stepped it. */
  by: string;
  number: string;
  file: string;
  line: number;
  /** The block or heading that carries the number (absent for equations, list items …). */
  owner?: Block | SectionNode;
}

/** One counter step as the real engine recorded it (`lib/course/latex/engine/`), reduced to what numbering needs. */
export interface TracedNumber {
  counter: string;
  /** The printed value, `\the<counter>` at the step. */
  number: string;
  /** Environment or macro that stepped it, when known. */
  by?: string;
  file: string;
  line: number;
  /**
   * What the printed book shows for this step, when the engine read it (`numberedItemsFromTrace`): lets an item
   * the source parse did not find become a block (`traced-blocks.ts`).
   */
  item?: {
    /** Printed name: "Guided Practice", "Exercise", "Key Idea". */
    name: string;
    /** Lower-case kind: "example", "guided practice", "equation", "chapter". */
    kind: string;
    via: "environment" | "macro" | "heading" | "list-item" | "step";
    /** Where it ends in `file`. */
    endLine: number;
    /** For an item in a file a `\read` loop inputs: the call that read it. */
    from?: { file: string; line: number };
    /** The `\label` keys printing its number. */
    labels: string[];
    /** Printed labels of its parts ("a", "b"). */
    parts: string[];
    env?: string;
    macro?: string;
  };
}

/**
 * The name a begin code prints through a helper macro it hands the number to: `\exampletitle{\theexample}`
 * where `\exampletitle` prints `\MakeUppercase{Example~#1}` → "Example".
 */
export function printedByHelper(begin: string, helper: ((macro: string) => string | undefined) | undefined): string | undefined {
  if (!helper) return undefined;
  for (const m of begin.matchAll(/\\([A-Za-z]+)\s*\{\s*\\the[A-Za-z@]+\s*\}/g)) {
    const body = helper(m[1]);
    const name = body ? /([A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*){0,2})(?:\s|~|\\ |\\,|\\nobreakspace\s*)*#1/.exec(body)?.[1] : undefined;
    if (name) return name;
  }
  return undefined;
}

const SECTIONING = new Set(["part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph"]);

/** `\newtheorem`'s printed name as a kind: "Exercise$^\star$" → exercise, "Key Idea" → "Key Idea". */
export function kindOfPrinted(printed: string): ItemKind | undefined {
  const name = oneLine(printed.replace(/\$[^$]*\$/g, "").replace(/\\[A-Za-z@]+\*?/g, "").replace(/[{}^_~]/g, " "));
  if (!name || !/^\p{L}[\p{L}\p{M}'’ -]*$/u.test(name)) return undefined;
  const known = kindFromName(name);
  if (known && (ITEM_KINDS as readonly string[]).includes(known)) return known;
  // A heading word ("Section") printed by a theorem environment is not a heading; keep the name.
  return name;
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

/** Text inside the first `[...]` starting at `s[from]` (brace-aware), with the index after `]`. */
export function bracketAt(s: string, from: number): { text: string; end: number } | undefined {
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

export class DerivedNumbering {
  counters = new Counters();
  book = true;
  /** memoir.cls: `\frontmatter`/`\backmatter` number no heading, `\mainmatter` restores maxsecnumdepth. */
  memoir = false;
  /** `\@mainmatter` (`\frontmatter`/`\mainmatter`/`\backmatter`), kept by the counters, whose templates may read it. */
  get mainmatter(): boolean {
    return this.counters.mainmatter;
  }
  set mainmatter(on: boolean) {
    this.counters.mainmatter = on;
  }
  /** After `\appendix`: a book's chapters print "Appendix A" (`\@chapapp` is `\appendixname`), cleveref says "appendix A.1". */
  appendix = false;
  /** cleveref's `capitalise` option. */
  capitalise = false;
  readonly theorems = new Map<string, TheoremDef>();
  readonly userEnvs = new Map<string, UserEnv>();
  /** Environments the course declares as code (`\lstnewenvironment`, fancyvrb's `\DefineVerbatimEnvironment`, `\newtcblisting`): read as listings. */
  readonly codeEnvs = new Set<string>();
  readonly labels = new Map<string, LatexLabel>();
  /** The page each label is on, when a TeX run said (`\pageref`). */
  labelPages = new Map<string, string>();
  readonly labelOwners: [LatexLabel, Block | SectionNode][] = [];
  readonly listSeries = new Map<string, number>();
  /** `\setlist[enumerate,1]{…}` defaults: "enumerate:1" → options. */
  readonly listDefaults = new Map<string, string>();
  readonly numbered: NumberedItem[] = [];
  /** aliascnt's `\newaliascnt{lem}{thm}`: lem is thm's counter under another name. */
  readonly aliases = new Map<string, string>();
  private readonly scopes: CurrentLabel[] = [{ number: "", kind: "none" }];
  /** `\@thefnmark`: the mark of the last `\footnote`/`\footnotemark`, which `\footnotetext` prints. */
  private fnmark = "";

  constructor(private readonly diags: Diagnostics) {
    this.initCounters(true);
  }

  /**
   * The kernel's counters for a document class: `book` (has chapters), `koma` (KOMA-Script's scrbook/scrreprt),
   * `memoir` (numbers down to sections: memoir.cls's `\setsecnumdepth{section}`).
   */
  initCounters(book: boolean, koma = false, memoir = false): void {
    this.book = book;
    this.memoir = memoir;
    const c = new Counters();
    c.mainmatter = this.counters?.mainmatter ?? true;
    c.define("part");
    if (book) {
      c.define("chapter");
      c.define("section", "chapter");
      c.within("section", "chapter", true);
      // scrbook: \thesection is \if@mainmatter\thechapter.\fi\arabic{section} — "§1" in the front matter.
      if (koma) c.setTemplate("section", [{ t: "main", c: "chapter", s: "." }, { t: "fmt", c: "section", style: "arabic" }]);
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
    c.set("secnumdepth", memoir ? 1 : book ? 2 : 3);
    // memoir's \mainmatter sets secnumdepth back to maxsecnumdepth (\frontmatter, \backmatter: -10)
    c.define("maxsecnumdepth");
    c.set("maxsecnumdepth", c.value("secnumdepth"));
    c.define("tocdepth");
    c.define("page");
    this.counters = c;
  }

  scope(): CurrentLabel {
    return this.scopes[this.scopes.length - 1];
  }

  withScope<T>(fn: () => T): T {
    this.scopes.push({ ...this.scope() });
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** `\refstepcounter`: steps the counter and makes its printed value what the next `\label` records. */
  refstep(counter: string, kind: string, owner?: Block | SectionNode, at?: { f: SourceFile; offset: number; by: string }): string {
    this.counters.step(counter);
    const number = this.counters.the(counter);
    const s = this.scope();
    s.number = number;
    s.kind = kind;
    s.owner = owner;
    if (at && owner) this.numbered.push({ counter, by: at.by, number, file: at.f.rel, line: at.f.lineOf(at.offset), owner });
    return number;
  }

  /**
   * The item just numbered prints `template` instead of `\the<counter>`: that is its number, and what `\label`
   * records (the derived item keeps the counter's own value, which is what a TeX trace of the step shows).
   */
  printAs(template: TemplatePart[]): string {
    const number = this.counters.evaluate(template);
    this.scope().number = number;
    return number;
  }

  runCounterCode(code: string, f: SourceFile, at: number): void {
    for (const c of counterCommands(code)) this.counterCommand(c.cmd, c.counter, c.value, f, at);
  }

  counterCommand(cmd: string, counter: string, value: string | undefined, f: SourceFile, at: number): void {
    if (!this.counters.has(counter)) {
      this.diags.add("warning", f, at, `\\${cmd}: no counter "${counter}" is defined`);
      return;
    }
    if (cmd === "stepcounter") this.counters.step(counter);
    else if (cmd === "refstepcounter") this.refstep(counter, "counter");
    else {
      const v = evalIntExpr(value ?? "", this.counters);
      if (v === undefined) {
        this.diags.add("warning", f, at, `\\${cmd}{${counter}}: cannot evaluate "${(value ?? "").slice(0, 60)}"`);
        return;
      }
      if (cmd === "setcounter") this.counters.set(counter, v);
      else this.counters.add(counter, v);
    }
  }

  /** `\newtheorem{env}[shared]{Printed}[within]` (or starred), arguments read from `r`. */
  newtheorem(r: ArgReader, f: SourceFile, at: number, groupText: (n: ReturnType<ArgReader["mandatory"]>) => string): void {
    const star = r.star();
    const env = groupText(r.mandatory());
    const sharedR = r.optional();
    const printedNode = r.mandatory();
    const withinR = star ? undefined : r.optional();
    if (!env || !printedNode) {
      this.diags.add("warning", f, at, "\\newtheorem needs {name}{Printed name}");
      return;
    }
    const printed = headName(groupText(printedNode));
    const kind = kindOfPrinted(printed);
    if (!kind) {
      this.diags.add("warning", f, at, `theorem-like environment "${env}" prints "${printed}", which is not a name to cite by; its blocks become unnumbered remarks titled "${printed} <number>"`);
    }
    if (star) {
      this.theorems.set(env, { printed, kind });
      return;
    }
    const sharedName = sharedR ? f.masked.slice(sharedR.start, sharedR.end).trim() : undefined;
    const shared = sharedName ? (this.aliases.get(sharedName) ?? sharedName) : undefined;
    if (shared) {
      if (!this.counters.has(shared)) {
        this.diags.add("warning", f, at, `\\newtheorem{${env}}[${shared}]: no counter "${shared}" is defined`);
        this.theorems.set(env, { printed, kind });
        return;
      }
      this.theorems.set(env, { printed, kind, counter: shared });
      return;
    }
    const within = withinR ? f.masked.slice(withinR.start, withinR.end).trim() : undefined;
    if (!this.counters.has(env)) this.counters.define(env);
    if (within) {
      if (!this.counters.within(env, within, true)) this.diags.add("warning", f, at, `\\newtheorem{${env}}: no counter "${within}" to number within`);
    }
    this.theorems.set(env, { printed, kind, counter: env });
  }

  /**
   * thmtools' `\declaretheorem[name=Lemma, sibling=theorem, numberwithin=section, numbered=no]{lemma}`: the same
   * declaration as `\newtheorem` in key=value form (the printed name defaults to the environment's, capitalised).
   */
  declaretheorem(r: ArgReader, f: SourceFile, at: number, groupText: (n: ReturnType<ArgReader["mandatory"]>) => string): void {
    const optsR = r.optional();
    const envs = groupText(r.mandatory())
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean);
    if (!envs.length) {
      this.diags.add("warning", f, at, "\declaretheorem needs {name}");
      return;
    }
    const kv = parseKeyVals(optsR ? f.masked.slice(optsR.start, optsR.end) : "");
    const strip = (v: string | undefined) => v && unbrace(v.trim()).trim();
    for (const env of envs) {
      // a head printed with no name (`name={}`: Infinite Descent's end-of-chapter questions print "2.1.") is called
      // what cleveref calls it (`Refname={Question, Questions}`), as the book's own cross-references do
      const refName = strip(kv.get("Refname") ?? kv.get("refname"))?.split(",")[0].trim();
      const given = strip(kv.get("name") ?? kv.get("title") ?? kv.get("heading"));
      const printed = headName(given || (given === "" && refName ? refName.charAt(0).toUpperCase() + refName.slice(1) : "") || env.charAt(0).toUpperCase() + env.slice(1));
      const kind = kindOfPrinted(printed);
      const unnumbered = /^(no|false|unless unique)$/i.test(strip(kv.get("numbered")) ?? "");
      if (unnumbered) {
        this.theorems.set(env, { printed, kind });
        continue;
      }
      const sharedName = strip(kv.get("sibling") ?? kv.get("sharenumber") ?? kv.get("sharecounter") ?? kv.get("numberlike"));
      const shared = sharedName ? (this.aliases.get(sharedName) ?? sharedName) : undefined;
      if (shared) {
        if (!this.counters.has(shared)) {
          this.diags.add("warning", f, at, `\declaretheorem{${env}}: sibling counter "${shared}" is not defined`);
          this.theorems.set(env, { printed, kind });
        } else this.theorems.set(env, { printed, kind, counter: shared });
        continue;
      }
      const within = strip(kv.get("numberwithin") ?? kv.get("parent") ?? kv.get("within"));
      if (!this.counters.has(env)) this.counters.define(env);
      if (within && !this.counters.within(env, within, true)) this.diags.add("warning", f, at, `\declaretheorem{${env}}: no counter "${within}" to number within`);
      this.theorems.set(env, { printed, kind, counter: env });
    }
  }

  /**
   * `\newenvironment{name}[nargs][default]{begin}{end}`. `helper` gives the body of a course macro, for a begin
   * code that prints its name through one (`\exercisetitle{\theexample}` with `\exercisetitle` printing
   * "Guided Practice~#1").
   */
  defineEnv(name: string, nargs: number, hasOptional: boolean, begin: string, end: string, at?: { f: SourceFile; offset: number }, helper?: (macro: string) => string | undefined): void {
    const env: UserEnv = { nargs, hasOptional, begin, end, ...(at ? { at: { file: at.f.rel, line: at.f.lineOf(at.offset) } } : {}) };
    const m = /\\begin\s*\{(enumerate|itemize|description)\}/.exec(begin);
    if (m) {
      const after = m.index + m[0].length;
      const b = bracketAt(begin, after);
      env.list = { type: m[1], opts: b?.text ?? "", pre: begin.slice(0, m.index), post: begin.slice(b ? b.end : after) };
    }
    const math = /^\s*(?:\\begin\s*\{([a-z]+\*?)\}|\\csname\s+([a-z]+\*?)\s*\\endcsname|\\([a-z]+)(?![a-zA-Z@*]))/.exec(begin);
    const mathEnv = math && (math[1] ?? math[2] ?? math[3]);
    if (mathEnv && /^(equation|align|gather|multline|flalign|alignat|eqnarray)\*?$/.test(mathEnv)) env.math = mathEnv;
    this.userEnvs.set(name, env);
    // A wrapper that opens and closes a theorem-like environment is that environment under another
    // name: \newenvironment{ex}{\begin{exercise}}{\end{exercise}}, also with more around it.
    // The theorem may sit inside a box: \newenvironment{theorem}{\begin{tBox}\begin{theoremT}}{\end{theoremT}\end{tBox}}
    // is numbered as theoremT — the first environment the begin code opens that is theorem-like and the end code closes.
    let wrap: RegExpMatchArray | undefined;
    let wrapped: TheoremDef | undefined;
    for (const m of begin.matchAll(/\\begin\s*\{([^{}]+)\}\s*(\[#1\])?/g)) {
      const def = this.theoremDef(m[1]);
      if (def && new RegExp(`\\\\end\\s*\\{${m[1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\}`).test(end)) {
        wrap = m;
        wrapped = def;
        break;
      }
    }
    if (wrap && wrapped) {
      this.theorems.set(name, { ...wrapped, mandatoryTitle: !wrap[2] && nargs > 0 && !hasOptional ? wrapped.mandatoryTitle : undefined });
      return;
    }
    // A \newenvironment that steps a counter and prints a kind name is a theorem-like item.
    const step = /\\refstepcounter\s*\{\s*([^{}\s]+)\s*\}/.exec(begin);
    if (step && !env.list) {
      const byName = kindFromName(name);
      const printedMatch = new RegExp(`\\b(${ITEM_KINDS.map((k) => KIND_NAMES[k]).join("|")})\\b`).exec(begin);
      // Else the name it typesets in bold, or right before the number: "\textbf{Notation \thetheorem}" → "Notation".
      const esc = step[1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const bold = /\\textbf\s*\{\s*([A-Z][A-Za-z]*(?: [A-Za-z]+){0,2})(?=[\s~{}\\.])/.exec(begin) ?? new RegExp(`([A-Z][A-Za-z]*(?: [A-Za-z]+){0,2})[\\s~]*\\\\the${esc}(?![A-Za-z@])`).exec(begin);
      const helperName = printedByHelper(begin, helper);
      const kind = helperName
        ? kindOfPrinted(helperName)
        : byName && (ITEM_KINDS as readonly string[]).includes(byName)
          ? byName
          : printedMatch
            ? kindFromName(printedMatch[1])
            : bold
              ? kindOfPrinted(bold[1])
              : undefined;
      if (kind) {
        const counter = this.aliases.get(step[1]) ?? step[1];
        if (!this.counters.has(counter)) {
          // Declared where the parser cannot follow (inside \@ifundefined, a loop): numbered as a plain counter.
          this.counters.define(counter);
          if (at) this.diags.add("warning", at.f, at.offset, `\\newenvironment{${name}} steps counter ${counter}, which is not declared where the parser can see it; numbered as a plain counter from here — install TeX for exact numbers`);
        }
        // the number handed to the helper, when it is a macro of the course's own (\exampletitle{\theexample})
        const handed = helperName ? /\\[A-Za-z]+\s*\{\s*\\the([A-Za-z@]+)\s*\}/.exec(begin)?.[1] : undefined;
        const handedBody = handed && handed !== counter && !this.counters.has(handed) ? helper?.(`the${handed}`) : undefined;
        this.theorems.set(name, {
          printed: helperName ?? KIND_NAMES[kind as KnownItemKind] ?? kind,
          kind,
          counter,
          mandatoryTitle: nargs > 0 && !hasOptional,
          ...(handedBody ? { printedNumber: parseTemplate(handedBody) } : {}),
        });
      }
    }
  }

  /**
   * The exercise package (`\usepackage{exercise}`): `\begin{Exercise}` prints "Exercise 12" from its own counter,
   * one count through the document (the package has no option to reset it; a `\numberwithin{Exercise}{chapter}`
   * after it does, as in LaTeX); `Exercise*` prints no number; the optional argument is key=value options.
   * `\begin{Answer}` is its answer box, kept with the text.
   */
  exercisePackage(): void {
    if (!this.counters.has("Exercise")) this.counters.define("Exercise");
    this.theorems.set("Exercise", { printed: "Exercise", kind: "exercise", counter: "Exercise", keyvalOptions: true });
    this.theorems.set("Exercise*", { printed: "Exercise", kind: "exercise", keyvalOptions: true });
    // the answer box: text, kept beside its exercise (not a numbered item)
    if (!this.userEnvs.has("Answer")) this.userEnvs.set("Answer", { nargs: 0, hasOptional: true, begin: "", end: "" });
  }

  /** `\newaliascnt{name}{counter}`. */
  alias(name: string, counter: string): boolean {
    const target = this.aliases.get(counter) ?? counter;
    if (!this.counters.has(target)) return false;
    this.aliases.set(name, target);
    return true;
  }

  /** `\newlist{name}{enumerate}{depth}`: a list environment with its own label options (`\setlist[name]{…}`). */
  newlist(name: string, type: string): void {
    this.userEnvs.set(name, { nargs: 0, hasOptional: true, begin: "", end: "", list: { type, opts: "", pre: "", post: "" } });
  }

  /** `\setlist[name,level]{opts}` (or `\setlist{opts}` for every list). */
  setlist(targets: string, opts: string): void {
    const parts = targets.split(",").map((s) => s.trim()).filter(Boolean);
    const levels = parts.filter((p) => /^\d$/.test(p));
    const names = parts.filter((p) => !/^\d$/.test(p));
    for (const n of names.length ? names : ["enumerate", "itemize", "description"]) {
      const user = this.userEnvs.get(n)?.list;
      if (user && !levels.length) user.opts = user.opts ? `${user.opts},${opts}` : opts;
      else for (const l of levels.length ? levels : ["1", "2", "3", "4"]) this.listDefaults.set(`${n}:${l}`, opts);
    }
  }

  theoremDef(env: string): TheoremDef | undefined {
    const d = this.theorems.get(env);
    if (d) return d;
    if (env.endsWith("*")) {
      const base = this.theorems.get(env.slice(0, -1));
      if (base) return { ...base, counter: undefined };
    }
    return undefined;
  }

  /**
   * The mark a `\footnote`, `\footnotemark` or `\footnotetext` prints (`\thefootnote`): the first two step the
   * footnote counter (a book resets it with each chapter), unless given a number (`\footnote[7]`, which moves
   * no counter); `\footnotetext` prints the last mark. Inside the note this is what a `\label` records.
   */
  footnoteMark(cmd: "footnote" | "footnotemark" | "footnotetext", given: string | undefined): string {
    const n = given === undefined ? undefined : evalIntExpr(given, this.counters);
    if (n !== undefined) {
      const saved = this.counters.value("footnote");
      this.counters.set("footnote", n);
      const mark = this.counters.the("footnote");
      this.counters.set("footnote", saved);
      if (cmd !== "footnotetext") this.fnmark = mark;
      return mark;
    }
    if (cmd !== "footnotetext") {
      this.counters.step("footnote");
      this.fnmark = this.counters.the("footnote");
    }
    return this.fnmark;
  }

  /** Records `\label{key}` with the current `\@currentlabel`; returns the owner it attaches to, if any. */
  label(key: string, f: SourceFile, at: number): { rec: LatexLabel; owner?: Block | SectionNode } {
    const cur = this.scope();
    const prev = this.labels.get(key);
    if (prev) this.diags.add("warning", f, at, `label "${key}" is defined twice (first at ${prev.file}:${prev.line})`);
    const rec: LatexLabel = { key, number: cur.number, kind: cur.kind, file: f.rel, line: f.lineOf(at) };
    this.labels.set(key, rec);
    if (cur.owner) {
      (cur.owner.latexLabels ??= []).push(key);
      this.labelOwners.push([rec, cur.owner]);
    }
    return { rec, owner: cur.owner };
  }
}


/**
 * A theorem kind's printed name from its TeX: a macro given an argument beside the words is a mark, not part of the
 * name (Infinite Descent's `Proposition\assumesAC{thmcolac}` prints "Proposition" with a superscript "AC").
 */
function headName(tex: string): string {
  const words = tex.replace(/\\(?!(?:text[a-z]*|emph|mbox|hbox|ensuremath)(?![A-Za-z@]))[A-Za-z@]+\*?\s*(?:\{[^{}]*[^{}\s][^{}]*\})+/g, "");
  return oneLine(/\p{L}/u.test(words) ? words : tex);
}

/**
 * The same number, whatever marks the book prints beside it: Napkin's starred and daggered problems share the
 * problem counter under their own names and print "16D⋆", "16E†" where the source parse numbers 16D, 16E.
 */
function sameNumber(traced: string, derived: string): boolean {
  const plain = (n: string) => n.replace(/[^\p{L}\p{N}.\-]+/gu, "");
  return traced === derived || plain(traced) === plain(derived);
}

/**
 * The seam between the derived numbers and the engine's: with a trace (`TracedNumber`s from a real
 * pdflatex run), each derived item takes the number the engine printed for the same counter at the
 * same place (same file, the step at or after the item's first line, within 3 lines), and every
 * disagreement becomes a warning at file:line. Without a trace the derived numbers stand. Labels
 * that carried a changed number follow it.
 */
export function settleNumbers(
  derived: NumberedItem[],
  trace: TracedNumber[] | undefined,
  diags: Diagnostics,
  labels?: Map<string, LatexLabel>,
  /** Takes a step TeX numbered where the parse found nothing; true when it became an item (no warning then). */
  adopt?: (t: TracedNumber) => boolean,
): { matched: number; changed: number; unplaced: number } {
  if (!trace) return { matched: 0, changed: 0, unplaced: 0 };
  let unplaced = 0;
  const byFile = new Map<string, TracedNumber[]>();
  for (const t of trace) {
    const list = byFile.get(t.file) ?? [];
    list.push(t);
    byFile.set(t.file, list);
  }
  const used = new Set<TracedNumber>();
  let matched = 0;
  let changed = 0;
  for (const d of derived) {
    const near = (byFile.get(d.file) ?? []).filter((t) => !used.has(t) && Math.abs(t.line - d.line) <= 3);
    // The same counter; else, under another name (an \newaliascnt alias that TeX steps as "lem" where the
    // source says "thm"), a step that printed the same number.
    // The step of the same environment or macro comes first: a Definition on an alias of the theorem counter is
    // TeX's step of "definition" on its line, not the Theorem's step of "theorem" three lines on.
    const heading = (c: string) => SECTIONING.has(c);
    const sameBy = near.filter((t) => t.by === d.by && heading(t.counter) === heading(d.counter));
    let candidates = sameBy.filter((t) => t.counter === d.counter);
    if (!candidates.length) candidates = sameBy;
    if (!candidates.length) candidates = near.filter((t) => t.counter === d.counter);
    // (never a heading for an item or an item for a heading: a chapter "1" and a box "1" two lines apart are not one)
    if (!candidates.length) candidates = near.filter((t) => sameNumber(t.number, d.number) && heading(t.counter) === heading(d.counter));
    const t = candidates.sort((a, b) => Math.abs(a.line - d.line) - Math.abs(b.line - d.line))[0];
    if (!t) {
      diags.add("warning", d.file, d.line, `${d.by} numbered ${d.number} here, but the TeX run shows no step of counter ${d.counter} near this line; kept ${d.number}`, false);
      continue;
    }
    used.add(t);
    matched++;
    if (sameNumber(t.number, d.number)) continue;
    changed++;
    diags.add("warning", d.file, d.line, `${d.by}: derived number ${d.number}, but TeX printed ${t.number}; using ${t.number}`, false);
    const owner = d.owner;
    if (owner) {
      owner.number = t.number;
      // The printed name stays ("Appendix A" → "Appendix B"); only the number changes.
      if (owner.label) owner.label = owner.label.endsWith(` ${d.number}`) ? `${owner.label.slice(0, -d.number.length)}${t.number}` : formatLabel(owner.kind as CitableKind, t.number);
      for (const key of owner.latexLabels ?? []) {
        const rec = labels?.get(key);
        if (rec && rec.number === d.number) rec.number = t.number;
      }
    }
    d.number = t.number;
  }
  // What TeX numbered where the source parse found nothing: an item a macro or environment made that the
  // derived pass could not follow. Equations, listings and the like are not items; only counters the parse
  // numbers items with, and box macros, count.
  const itemCounters = new Set(derived.map((d) => d.counter));
  for (const t of trace) {
    if (used.has(t)) continue;
    const byMacro = !!t.by && t.by.startsWith("\\") && !t.by.startsWith("\\begin");
    // a display's number is the walk's (equations are not items); TeX's step of it is no news
    if (t.item?.kind === "equation") continue;
    if (adopt?.(t)) continue;
    if (!itemCounters.has(t.counter) && !byMacro) continue;
    unplaced++;
    diags.add("warning", t.file, t.line, `TeX numbered ${t.number}${t.by ? ` (${t.by}, counter ${t.counter})` : ` (counter ${t.counter})`} here, but the source parse found no item here`, false);
  }
  return { matched, changed, unplaced };
}
