/**
 * Pass 4, the walk: reads the parsed files in document order — preamble declarations (handed to the
 * derived numbering), `\input`/`\include` (followed through `files.ts`), headings, labels, references
 * and counter commands — and dispatches environments and lists. A macro the course defines as a box
 * that steps its own counter (`macros.ts`) becomes an item under its printed name, or, when nothing
 * says what it prints, is reported once with what it costs.
 */
import type { RefUse, SourceFile } from "../latex-text";
import { formatLabel } from "../labels";
import type { Block } from "../types";
import { ArgReader, childrenOf, endOf, envName, groupRange, isMacro, isString, startOf, type Node } from "./ast";
import type { MacroBox } from "./macros";
import { parseTemplate } from "./counters";
import { joinPath, dirOf, includeCandidates } from "./files";
import { ListPass } from "./lists";
import { kindOfPrinted, type TheoremDef } from "./numbering";
import { oneLine } from "../latex-text";
import { BOOK_CLASSES, DEFINERS, KOMA_CLASSES, EXERCISE_IDENTIFIER, HEADING_LEVELS, INCLUDES, labelKey, MAX_DEPTH, MAX_INCLUDES, REF_CMDS, SECNUM_LEVELS, unbrace } from "./syntax";
import type { Mode } from "./tree";

export class BlockPass extends ListPass {
  /** Reads the main file: the preamble, then the document body. */
  run(): void {
    const f = this.sources.load(this.input.file);
    if (!f) {
      this.diags.add("error", this.input.file, 1, "cannot read the LaTeX main file");
      return;
    }
    this.stack.push(f.rel);
    this.document(f);
    this.stack.pop();
  }

  protected document(f: SourceFile): void {
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
        this.diags.add("warning", f, startOf(nodes[begin]) ?? 0, "\\begin{document} is never ended");
      }
      this.walk(nodes.slice(0, begin), f, { ...mode, flow: false, preamble: true });
      this.walk(nodes.slice(begin + 2, end), f, mode);
      return;
    }
    if (nodes.some((n) => isMacro(n, "documentclass"))) {
      this.diags.add("warning", f, 0, "no \\begin{document}: the whole file is read as the document body");
    }
    this.walk(nodes, f, mode);
  }

  // ---------- the walk ----------

  protected walk(nodes: Node[], f: SourceFile, mode: Mode): void {
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
            if (node.content === "$" || node.content === "$$") this.diags.add("warning", f, startOf(node) ?? 0, "unmatched $ (math not closed)");
            else if (node.content === "}" || node.content === "{") this.diags.add("warning", f, startOf(node) ?? 0, `unbalanced brace "${node.content}"`);
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
          // A group around a heading or an item (a macro's expansion often is one) is only a scope: see through it.
          if (mode.flow && this.hasBlocks(childrenOf(node), 0)) {
            this.walk(childrenOf(node), f, { ...mode, depth: mode.depth + 1 });
            break;
          }
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

  protected macro(nodes: Node[], i: number, f: SourceFile, mode: Mode): number {
    const node = nodes[i] as Node & { content: string };
    const name = node.content;
    const start = startOf(node) ?? 0;
    const r = new ArgReader(nodes, i + 1);

    if (DEFINERS.has(name)) {
      const star = r.star();
      const target = r.mandatory(true);
      const printed = this.sources.printed;
      if (name === "DeclareMathOperator") {
        const op = r.mandatory();
        const opName = target?.type === "macro" ? (target as { content: string }).content : this.groupText(f, target).replace(/^\\/, "");
        if (op && opName) printed?.macros.set(opName, { name: opName, nargs: 0, body: `\\operatorname${star ? "*" : ""}{${this.groupText(f, op)}}` });
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
      // Every definition: the printed-text pass expands text macros, KaTeX gets the math ones.
      if (printed && body && /^\\[A-Za-z@]+$/.test(targetName) && !(name === "providecommand" && printed.macros.has(targetName.slice(1)))) {
        printed.macros.set(targetName.slice(1), {
          name: targetName.slice(1),
          nargs: Number(nargsR ? f.masked.slice(nargsR.start, nargsR.end).trim() : 0) || 0,
          optional: optR ? f.masked.slice(optR.start, optR.end) : undefined,
          body: macroBody(this.groupText(f, body)),
        });
      }
      const the = /^\\the([A-Za-z@]+)$/.exec(targetName);
      // \newcommand{\theorem}: a new command, not the printed form of a counter "orem"
      if (the && body && (name === "renewcommand" || this.num.counters.has(the[1]))) {
        // hyperref's \theH<counter> names a counter's anchor ("\thechapter.\theProbPart"): it prints nothing
        const anchor = /^H(.+)$/.exec(the[1]);
        if (anchor && this.num.counters.has(anchor[1]) && !this.num.counters.has(the[1])) return r.pos - 1;
        if (!this.num.counters.setTemplate(the[1], parseTemplate(this.groupText(f, body)))) {
          this.diags.add("warning", f, start, `\\${name}{\\the${the[1]}}: no counter "${the[1]}" is defined`);
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
        if (def) this.sources.printed?.macros.set(def[1], { name: def[1], nargs: (def[2].match(/#/g) ?? []).length, body: macroBody(this.groupText(f, nodes[k])) });
        return k;
      }
      case "let": {
        // \let\c@equation\c@thm: one counter under two names (equations numbered with the theorems).
        const shared = /^\s*\\c@([A-Za-z@]+)\s*=?\s*\\c@([A-Za-z@]+)/.exec(f.masked.slice(endOf(node) ?? start, (endOf(node) ?? start) + 120));
        if (shared && !this.num.counters.alias(shared[1], shared[2])) this.diags.add("warning", f, start, `\\let\\c@${shared[1]}\\c@${shared[2]}: no counter "${shared[2]}" is defined`);
        let k = i + 1;
        while (k < nodes.length && nodes[k].type === "whitespace") k++;
        const a = nodes[k++];
        while (k < nodes.length && (nodes[k].type === "whitespace" || isString(nodes[k], "="))) k++;
        const b = nodes[k];
        if (a?.type === "macro" && b?.type === "macro") this.letAlias(a.content, b.content);
        return Math.min(k, nodes.length - 1);
      }
      case "documentclass": {
        r.optional();
        const cls = this.groupText(f, r.mandatory());
        this.num.initCounters(BOOK_CLASSES.has(cls), KOMA_CLASSES.has(cls), cls === "memoir");
        return r.pos - 1;
      }
      case "IfFileExists": {
        // \IfFileExists{stacks-project.cls}{\documentclass{stacks-project}}{\documentclass{amsart}}: TeX takes
        // the branch for what is in the folder (a group would otherwise hide the \documentclass).
        const name = this.groupText(f, r.mandatory());
        const yes = r.mandatory();
        const no = r.mandatory();
        const rel = name ? joinPath(this.mainDir, name) : undefined;
        const found = !!rel && (this.sources.exists(rel) || this.sources.exists(`${rel}.tex`));
        const branch = found ? yes : no;
        if (branch) this.walk(childrenOf(branch), f, mode);
        return r.pos - 1;
      }
      case "usepackage":
      case "RequirePackage": {
        const opt = r.optional();
        const pkgs = this.groupText(f, r.mandatory()).split(",").map((s) => s.trim());
        const optText = opt ? f.masked.slice(opt.start, opt.end) : "";
        if (pkgs.includes("cleveref") && /capitali[sz]e/.test(optText)) this.num.capitalise = true;
        // its options choose what is typeset (noanswer, noexercise …), never how exercises are numbered
        if (pkgs.includes("exercise")) {
          this.num.exercisePackage();
          const typesets = (what: "Exercise" | "Answer") => !new RegExp(what === "Answer" ? "\\b(noanswer|exerciseonly|outputnothing)\\b" : "\\b(noexercise|answeronly|outputnothing)\\b").test(optText);
          for (const env of ["Exercise", "Exercise*", "Answer"]) {
            if (typesets(env === "Answer" ? "Answer" : "Exercise")) this.excludedEnvs.delete(env);
            else this.excludedEnvs.add(env);
          }
        }
        for (const p of pkgs) {
          if (!p || !/^[\w./-]+$/.test(p)) continue;
          const rel = joinPath(this.mainDir, `${p}.sty`);
          if (rel && !this.stack.includes(rel)) {
            const sty = this.sources.load(rel);
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
        const range = groupRange(t);
        if (range && this.docTitle === undefined) {
          // the title as printed, not as written: "A Cool Brisk Walk\\Through …\\{\small version 2.2.1}" is plain text
          this.docTitle = "";
          this.deferred.push(() => {
            this.docTitle = oneLine(f.extract(range.start, range.end));
          });
        }
        return r.pos - 1;
      }
      case "newaliascnt": {
        const alias = this.groupText(f, r.mandatory());
        const target = this.groupText(f, r.mandatory());
        if (alias && target && !this.num.alias(alias, target)) this.diags.add("warning", f, start, `\\newaliascnt{${alias}}{${target}}: no counter "${target}" is defined`);
        return r.pos - 1;
      }
      case "newlist": {
        const listName = this.groupText(f, r.mandatory());
        const type = this.groupText(f, r.mandatory());
        r.mandatory();
        if (listName && /^(enumerate|itemize|description)$/.test(type)) this.num.newlist(listName, type);
        return r.pos - 1;
      }
      case "setlist": {
        r.star();
        const targets = r.optional();
        const opts = r.mandatory();
        if (opts) this.num.setlist(targets ? f.masked.slice(targets.start, targets.end) : "", this.groupText(f, opts));
        return r.pos - 1;
      }
      case "newtheorem": {
        this.num.newtheorem(r, f, start, (n) => this.groupText(f, n));
        return r.pos - 1;
      }
      case "declaretheorem": {
        this.num.declaretheorem(r, f, start, (n) => this.groupText(f, n));
        return r.pos - 1;
      }
      case "excludecomment":
      case "includecomment": {
        // The comment package: \excludecomment{htmlonly} makes every htmlonly environment vanish from the
        // PDF (counters it sets included); \includecomment undoes that.
        const env = this.groupText(f, r.mandatory()).trim();
        if (env && name === "excludecomment") this.excludedEnvs.add(env);
        else if (env) this.excludedEnvs.delete(env);
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
        if (g) this.sources.printed?.figures.addGraphicsPath(this.groupText(f, g));
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
      case "lstnewenvironment":
      case "DefineVerbatimEnvironment":
      case "newtcblisting":
      case "NewTCBListing": {
        // an environment whose body is code, as listings typesets it: a theorem shown in it is an example of source
        if (name === "newtcblisting") r.optional();
        const env = this.groupText(f, r.mandatory()).trim();
        if (env) this.num.codeEnvs.add(env);
        return i;
      }
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
        if (env && begin && end) {
          const n = nargs ? Number(f.masked.slice(nargs.start, nargs.end).trim()) || 0 : 0;
          const beginCode = this.groupText(f, begin);
          this.num.defineEnv(env, n, !!def, beginCode, this.groupText(f, end), { f, offset: start }, (m) => this.macros.get(m)?.body);
          // \eoce{…}: an environment's begin code is also the command \<name>; one that steps a counter is a box
          if (!this.num.theoremDef(env) && !this.num.userEnvs.get(env)?.list) this.macros.defineEnvCommand(env, n, !!def, beginCode, f.rel, f.lineOf(start));
        }
        return r.pos - 1;
      }
      case "appendix": {
        // LaTeX's \appendix sets the chapter (section) counter to 0 each time: a second one after an appendix
        // restarts the letters, and the book prints "Appendix A" again
        const level = this.num.book ? "chapter" : "section";
        if (this.num.appendix && this.num.counters.value(level) > 0) {
          this.diags.add("warning", f, startOf(nodes[i]) ?? 0, `\\appendix again, after ${this.num.book ? "Appendix" : "appendix Section"} ${this.num.counters.the(level)}: LaTeX restarts the letters, so the book prints the next appendix as ${this.num.book ? "Appendix" : "Section"} A too, and appendices with the same letter cannot be cited apart (one \\appendix before the first appendix letters them A, B, C …)`);
        }
        if (this.num.book) {
          this.num.counters.set("chapter", 0);
          this.num.counters.set("section", 0);
          this.num.counters.setStyle("chapter", "Alph");
        } else {
          this.num.counters.set("section", 0);
          this.num.counters.set("subsection", 0);
          this.num.counters.setStyle("section", "Alph");
        }
        this.num.appendix = true;
        return i;
      }
      case "frontmatter":
      case "backmatter":
        this.num.mainmatter = false;
        if (this.num.memoir) this.num.counters.set("secnumdepth", -10);
        return i;
      case "mainmatter":
        this.num.mainmatter = true;
        if (this.num.memoir) this.num.counters.set("secnumdepth", this.num.counters.value("maxsecnumdepth"));
        return i;
      case "setsecnumdepth":
      case "maxsecnumdepth": {
        // memoir: by level name; \setsecnumdepth in the preamble (and \maxsecnumdepth anywhere) sets both
        const depth = SECNUM_LEVELS[this.groupText(f, r.mandatory())];
        if (depth === undefined) this.diags.add("warning", f, start, `\\${name} of an unknown level; the numbering depth is unchanged`);
        else {
          this.num.counters.set("secnumdepth", depth);
          if (name === "maxsecnumdepth" || mode.preamble) this.num.counters.set("maxsecnumdepth", depth);
        }
        return r.pos - 1;
      }
      case "endinput":
        return nodes.length;
      default:
        break;
    }

    if (INCLUDES.has(name)) return this.include(name, nodes, i, r, f, mode);

    if (mode.preamble) return i;

    if (name === "footnote" || name === "footnotemark" || name === "footnotetext") {
      // LaTeX's \@footnotetext makes the note's mark what a \label inside it records: "Footnote~\ref{…}" prints 10.
      const opt = r.optional();
      const mark = this.num.footnoteMark(name as "footnote" | "footnotemark" | "footnotetext", opt ? f.masked.slice(opt.start, opt.end).trim() : undefined);
      const arg = name === "footnotemark" ? undefined : r.mandatory();
      if (mode.flow) {
        this.paraAdd(f, node, "other");
        if (arg) this.paraAdd(f, arg, "other");
      }
      if (arg) {
        this.num.withScope(() => {
          Object.assign(this.num.scope(), { number: mark, kind: "footnote", owner: undefined });
          this.walk(childrenOf(arg), f, this.inner(mode, {}));
        });
      }
      return r.pos - 1;
    }

    const box = this.macros.boxOf(name);
    if (box) return this.boxItem(nodes, i, box, f, mode);
    const def = this.macros.get(name);
    if (def && /\\(read|openin)(?![A-Za-z@])/.test(def.body)) {
      this.diags.unknown(`read:${name}`, def, (n) => `\\${name} (${def.file}:${def.line}) reads a file with \\read: what it prints (${n} use${n === 1 ? "" : "s"}, e.g. an exercise list) is not seen — install TeX for exact numbers`);
    }

    if (name in HEADING_LEVELS) {
      const star = r.star();
      r.optional();
      // TeX's undelimited argument: a braced group, or one token (`\section\problemhead`).
      const title = r.mandatory("macro");
      if (!title) {
        this.diags.add("warning", f, start, `\\${name} without a {title}`);
        if (mode.flow) this.paraAdd(f, node, "other");
        return i;
      }
      if (!mode.flow) {
        this.diags.add("warning", f, start, `\\${name} inside an environment is ignored as a heading`);
        this.walk(childrenOf(title), f, mode);
        return r.pos - 1;
      }
      this.heading(f, name, star, node, title, mode);
      return r.pos - 1;
    }

    switch (name) {
      case "label": {
        // cleveref's \label[type]{key}: the type only changes how \cref names it
        r.optional();
        const arg = r.mandatory();
        const key = labelKey(this.groupText(f, arg));
        const end = endOf(arg) ?? endOf(node) ?? start;
        f.deleteRange(start, end);
        if (key) this.label(key, f, start, mode);
        return r.pos - 1;
      }
      case "begin": {
        const arg = r.mandatory();
        const env = this.groupText(f, arg);
        if (env !== "document") {
          this.diags.add("error", f, start, env ? `\\begin{${env}} is never ended` : "\\begin without an environment name");
          const def = this.num.theoremDef(env);
          // Recover a numbered item so later numbers stay as the author meant them.
          if (def && mode.flow) return this.recoverItem(nodes, i, r.pos, env, def, f, mode);
        }
        return r.pos - 1;
      }
      case "end": {
        const env = this.groupText(f, r.mandatory());
        if (env !== "document") this.diags.add("warning", f, start, `\\end{${env}} without a matching \\begin{${env}}`);
        return r.pos - 1;
      }
      case "caption": {
        if (mode.float) {
          const number = this.num.refstep(mode.float, mode.float);
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
        // Only cleveref's commands take a list of keys; for \ref a comma is part of the key ("thm:(0,1)").
        const text = this.groupText(f, arg);
        // cleveref reads each key of its list as a macro argument, which drops one pair of braces: \cref{{thm:a}}
        // prints "theorem 1" (checked against pdflatex), where \ref{{thm:a}} prints "??".
        const list = /cref|Cref|cpageref|Cpageref/.test(name);
        const keys = (list ? text.split(",") : [text]).map(labelKey).map((k) => (list ? unbrace(k).trim() : k)).filter(Boolean);
        const end = endOf(arg)!;
        const use: RefUse = { cmd: name, keys, file: f.rel, line: f.lineOf(start) };
        this.refs.push(use);
        f.replaceRef(start, end, use);
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

  protected counterMacro(name: string, r: ArgReader, f: SourceFile, at: number, i: number): number {
    switch (name) {
      case "setcounter":
      case "addtocounter": {
        const c = this.groupText(f, r.mandatory());
        const v = r.mandatory();
        if (c && v) this.num.counterCommand(name, c, this.groupText(f, v), f, at);
        break;
      }
      case "stepcounter":
      case "refstepcounter": {
        const c = this.groupText(f, r.mandatory());
        if (c) this.num.counterCommand(name, c, undefined, f, at);
        break;
      }
      case "newcounter": {
        const c = this.groupText(f, r.mandatory());
        const w = r.optional();
        const within = w ? f.masked.slice(w.start, w.end).trim() : undefined;
        if (c) {
          if (this.num.counters.has(c)) this.diags.add("warning", f, at, `\\newcounter{${c}}: counter already defined`);
          else this.num.counters.define(c, within && this.num.counters.has(within) ? within : undefined);
        }
        break;
      }
      case "counterwithin":
      case "counterwithout": {
        const star = r.star();
        const c = this.groupText(f, r.mandatory());
        const p = this.groupText(f, r.mandatory());
        const ok = name === "counterwithin" ? this.num.counters.within(this.sharedCounter(c), p, !star) : this.num.counters.without(this.sharedCounter(c), p, !star);
        if (!ok) this.diags.add("warning", f, at, `\\${name}{${c}}{${p}}: unknown counter`);
        break;
      }
      case "numberwithin": {
        r.optional();
        const c = this.groupText(f, r.mandatory());
        const p = this.groupText(f, r.mandatory());
        if (!this.num.counters.within(this.sharedCounter(c), p, true)) this.diags.add("warning", f, at, `\\numberwithin{${c}}{${p}}: unknown counter`);
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

  /**
   * `\let\a\b` for the printed text: \a prints as \b did then (a course macro's definition, else \b itself, so
   * `\let\orisectionmark\sectionmark` prints nothing like the mark); `\let\b\a` back undoes it.
   */
  /**
   * The counter a name stands for in `\numberwithin`/`\counterwithin`: its own, else — for a theorem kind that shares
   * another's (thmtools' `sibling=theorem`, an alias counter under hyperref) — the shared one: Infinite Descent's
   * `\numberwithin{definition}{chapter}` numbers every sibling within the chapter.
   */
  protected sharedCounter(name: string): string {
    return this.num.counters.has(name) ? name : (this.num.theoremDef(name)?.counter ?? name);
  }

  protected letAlias(a: string, b: string): void {
    const macros = this.sources.printed?.macros;
    if (!macros) return;
    const def = macros.get(b);
    const aliasOf = def && def.nargs === 0 && def.optional === undefined ? /^\\([A-Za-z@]+)$/.exec(def.body.trim())?.[1] : undefined;
    if (a === b || aliasOf === a) macros.delete(a);
    else if (def) macros.set(a, { ...def, name: a });
    else macros.set(a, { name: a, nargs: 0, body: `\\${b}` });
  }

  protected label(key: string, f: SourceFile, at: number, mode: Mode): void {
    const { owner } = this.num.label(key, f, at);
    if (owner) return;
    if (mode.flow && this.para) this.para.labels.push(key);
    else if (mode.sink) mode.sink.push(key);
  }


  // ---------- includes ----------

  protected include(name: string, nodes: Node[], i: number, r: ArgReader, f: SourceFile, mode: Mode): number {
    const start = startOf(nodes[i]) ?? 0;
    let base = mode.base;
    let dirArg: string | undefined;
    // newclude's \include* (no page break) reads the file like \include.
    if (name === "include") r.star();
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
      this.diags.add("warning", f, start, `\\${name} without a file name`);
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
      this.diags.add("warning", f, start, `\\${name}{${arg}}: path is outside the course folder; skipped`);
      return end;
    }
    const candidates = includeCandidates(name, joined);
    let target: SourceFile | null = null;
    let rel = candidates[0];
    for (const c of candidates) {
      if (this.stack.includes(c)) {
        this.diags.add("error", f, start, `include cycle: ${[...this.stack.slice(this.stack.indexOf(c)), c].join(" → ")}; not followed`);
        return end;
      }
      const t = this.sources.load(c);
      if (t) {
        target = t;
        rel = c;
        break;
      }
    }
    if (!target) {
      this.diags.add("warning", f, start, `\\${name}{${arg}}: file ${candidates.join(" or ")} not found; skipped`);
      return end;
    }
    if (++this.includes > MAX_INCLUDES || this.stack.length > 64) {
      this.diags.add("error", f, start, `\\${name}{${arg}}: too many nested or repeated inclusions; skipped`);
      return end;
    }
    if (mode.flow) this.flushPara();
    const list = this.currentList();
    this.anchor({ file: rel, line: 0, list, after: list[list.length - 1] });
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

  /**
   * A course macro that steps its own counter and prints "Name \\theX" (a box a style file draws):
   * an item of that name, numbered by the counter, its longest argument the text, a short one the title.
   */
  protected boxItem(nodes: Node[], i: number, box: MacroBox, f: SourceFile, mode: Mode): number {
    const r = new ArgReader(nodes, i + 1);
    const args: { start: number; end: number; node?: Node; no: number }[] = [];
    let no = 0;
    for (const spec of box.def.signature.split(/\s+/).filter(Boolean)) {
      no++;
      if (spec === "s") r.star();
      else if (spec[0] === "o" || spec[0] === "O") {
        const o = r.optional();
        if (o) args.push({ ...o, no });
      } else {
        const m = r.mandatory();
        const range = groupRange(m);
        if (range) args.push({ ...range, node: m, no });
      }
    }
    // the arguments the definition hands to \label (\definition{Limit}{def:limit}{…}): keys, not text
    const labelArgs = new Set([...box.def.body.matchAll(/\\label\s*\{\s*#(\d)\s*\}/g)].map((m) => Number(m[1])));
    const keys = args.filter((a) => labelArgs.has(a.no));
    const texts = args.filter((a) => !labelArgs.has(a.no));
    const start = startOf(nodes[i]) ?? 0;
    const end = r.pos - 1 >= i + 1 ? (endOf(nodes[r.pos - 1]) ?? start) : (endOf(nodes[i]) ?? start);
    const name = box.def.name;
    // a box that prints only its number is an exercise when its name or counter says so (\eoce, exercisecounter)
    // (or, as the TeX trace names it, under an exercise heading: forall x's `\problempart` prints "A." there)
    const kind = box.printed
      ? kindOfPrinted(box.printed)
      : EXERCISE_IDENTIFIER.test(name) || EXERCISE_IDENTIFIER.test(box.counter) || this.underExercisesTitle()
        ? "exercise"
        : undefined;
    if (!this.num.counters.has(box.counter)) {
      this.diags.unknown(`box:${name}`, box.def, (n) => `\\${name} (${box.def.file}:${box.def.line}) steps counter ${box.counter}, which is never defined: ${n} numbered item${n === 1 ? "" : "s"} may be missing — install TeX for exact numbers`);
      return r.pos - 1;
    }
    if (!kind || !mode.flow) {
      this.num.refstep(box.counter, "counter");
      if (mode.flow) this.paraAdd(f, nodes[i], "other");
      this.diags.unknown(`box:${name}`, box.def, (n) => `\\${name} (${box.def.file}:${box.def.line}) steps counter ${box.counter}: ${n} numbered item${n === 1 ? "" : "s"} may be missing — install TeX for exact numbers`);
      for (const a of args) if (a.node) this.walk(childrenOf(a.node), f, this.inner(mode, {}));
      return r.pos - 1;
    }
    this.flushPara();
    // a box without arguments that prints only its number leads in what follows it, up to its next call or the next
    // heading: `\problempart` "A." and the paragraphs and list after it (the list's items are its parts)
    const leadIn = !box.printed && args.length === 0 ? leadInExtent(nodes, r.pos, name) : undefined;
    const last = leadIn ? nodes[leadIn.end - 1] : undefined;
    const blockEnd = last ? (endOf(last) ?? end) : end;
    const block: Block = { kind, text: "", source: { file: f.rel, line: f.lineOf(start), endLine: f.endLineOf(start, blockEnd) } };
    this.emit(block);
    block.number = this.num.refstep(box.counter, kind, block, { f, offset: start, by: `\\${name}` });
    // a letter alone ("A") is not a label a reader can use: the book's own cross-references put the chapter before
    // it ("exercise 11A", as Napkin prints Problem 1A from \thechapter\Alph{problem})
    if (block.number && !/\d/.test(block.number)) block.number = this.outermostNumber() + block.number;
    block.label = formatLabel(kind, block.number);
    if (leadIn) {
      const content = nodes.slice(r.pos, leadIn.end);
      const parts: string[] = [];
      this.num.scope().owner = block;
      this.walk(content, f, { ...this.inner(mode, {}), sink: undefined, parts, partsLevel: mode.listDepth + 1 });
      if (parts.length) block.parts = parts;
      const textStart = end;
      this.deferred.push(() => {
        block.text = f.extract(textStart, blockEnd).trim();
      });
      return leadIn.end - 1;
    }
    for (const k of keys) {
      const key = f.masked.slice(k.start, k.end).trim();
      if (key) this.label(key, f, k.start, mode);
    }
    const sorted = [...texts].sort((a, b) => b.end - b.start - (a.end - a.start));
    const body = sorted[0];
    const title = sorted.slice(1).find((a) => a.end - a.start < 120 && !f.masked.slice(a.start, a.end).includes("\n"));
    for (const a of texts) if (a.node) this.walk(childrenOf(a.node), f, { ...this.inner(mode, {}), sink: undefined });
    this.deferred.push(() => {
      if (body) block.text = f.extract(body.start, body.end).trim();
      if (title && title !== body) block.title = oneLine(f.extract(title.start, title.end)) || undefined;
      if (!block.title) delete block.title;
    });
    return r.pos - 1;
  }
}

/**
 * What a lead-in box macro called at `from - 1` introduces: the nodes up to (not including) its next call, a
 * heading or the end of its container.
 */
function leadInExtent(nodes: Node[], from: number, name: string): { end: number } | undefined {
  let end = from;
  for (let j = from; j < nodes.length; j++) {
    const n = nodes[j];
    if (isMacro(n) && (n.content === name || n.content in HEADING_LEVELS || /^(appendix|backmatter|frontmatter|mainmatter)$/.test(n.content))) break;
    end = j + 1;
  }
  // trailing blank lines and comments stay outside
  while (end > from && ["whitespace", "parbreak", "comment"].includes(nodes[end - 1].type)) end--;
  return end > from ? { end } : undefined;
}

/** A macro's body as read (trimmed), keeping a control space it ends with (`\emph{Solution.}\ \ `), not a lone `\`. */
function macroBody(trimmed: string): string {
  return /(?:^|[^\\])(?:\\\\)*\\$/.test(trimmed) ? `${trimmed} ` : trimmed;
}

