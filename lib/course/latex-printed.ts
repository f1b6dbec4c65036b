/**
 * LaTeX source → the text the printed book shows, for students, the tutor LLM and the embedder alike.
 *
 * The output is plain text with light Markdown and LaTeX math, a form every reader of it understands:
 * - math (`$…$`, `\(…\)`, `$$…$$`, `\[…\]`, align/equation/gather… environments) is kept as written, only
 *   re-indented, so KaTeX, the LLM and Markdown see intact formulas;
 * - list items become paragraphs headed by their printed label ("(a) …", "ii. …", "• …"), nested ones
 *   indented two spaces per level; the parser passes each item's printed label as `\item[{…}]`;
 * - figures and tables become "Figure 2.3: caption" (the parser passes the number as
 *   `\numberedcaption{Figure 2.3}`), TikZ code dropped; an `\includegraphics` whose PNG/JPG/PDF file
 *   exists (`PrintedTextOptions.graphic` finds it) becomes a Markdown image line `![figure](<file>)`;
 * - layout commands (`\centering`, `\vspace`, `\noindent`, `\label`, …) vanish, `~` is a space, quotes and
 *   dashes are typographic, `\emph`/`\textbf`/`\texttt` become `*…*`/`**…**`/`` `…` ``;
 * - the course's own text macros are expanded; an unknown macro keeps its arguments' text (a bare one is
 *   kept as written), so nothing the author wrote is silently lost.
 * `\begin{hint}`, `\begin{proof}`, `\begin{solution}` and `\begin{quiz}` boxes and verbatim code stay as
 * they are: the renderer draws them as boxes and code.
 */
import { formatNumber, type NumStyle } from "./latex/counters";
import { ifBranch, registerCommandEnd } from "./latex-primitives";

/** A user macro as `\newcommand{\name}[nargs][optional]{body}` or `\def\name#1{body}` defines it. */
export interface TextMacro {
  name: string;
  nargs: number;
  /** Default of the first argument when it is optional. */
  optional?: string;
  body: string;
}

export interface PrintedTextOptions {
  /** The course's own macros, by name without the backslash. */
  macros?: ReadonlyMap<string, TextMacro>;
  /** The course's own environments (`\newenvironment{box}[1]{…}{…}`): their arguments are a title. */
  envs?: ReadonlyMap<string, { nargs: number; hasOptional: boolean }>;
  /**
   * The image file an `\includegraphics{…}` argument names (relative to the course root), or undefined
   * when there is none to show. Without it graphics print nothing.
   */
  graphic?: (arg: string) => string | undefined;
  /**
   * What a reference a course macro writes prints (`\newcommand{\pg}[1]{p.~\pageref{#1}}`): the parser resolves the
   * references it sees; one inside a macro body is only seen here. Undefined: "??".
   */
  ref?: (cmd: string, keys: string[]) => string | undefined;
}

const MATH_ENVS = new Set(
  ["equation", "align", "gather", "multline", "flalign", "alignat", "eqnarray", "xalignat", "xxalignat", "dmath"].flatMap((e) => [e, `${e}*`]),
);
const LIST_ENVS = new Set(["enumerate", "itemize", "description", "enumerate*", "itemize*", "description*", "compactenum", "compactitem", "asparaenum", "inparaenum"]);
const FLOAT_ENVS: Record<string, string> = {
  figure: "Figure", "figure*": "Figure", wrapfigure: "Figure", subfigure: "Figure", table: "Table", "table*": "Table", wraptable: "Table",
  sidewaysfigure: "Figure", "sidewaysfigure*": "Figure", sidewaystable: "Table", "sidewaystable*": "Table",
};
/** Kept with their wrapper: the renderer draws them as boxes. */
const BOX_ENVS = new Set(["hint", "quiz", "proof", "solution", "answer"]);
const VERBATIM_ENVS = new Set(["verbatim", "verbatim*", "lstlisting", "minted", "Verbatim", "sageblock", "sagecommandline", "sagesilent", "comment"]);
const DROPPED_ENVS = new Set(["tikzpicture", "pgfpicture", "picture", "tikzcd", "axis", "circuitikz", "pspicture", "comment"]);
const TABULAR_ENVS = new Set(["tabular", "tabular*", "tabularx", "longtable", "tabulary", "supertabular"]);

/** Commands that print nothing; the value is how many mandatory arguments they take. */
const DROP: Record<string, number> = {
  label: 1, index: 1, vspace: 1, "vspace*": 1, centering: 0, raggedright: 0, raggedleft: 0, noindent: 0, indent: 0,
  smallskip: 0, medskip: 0, bigskip: 0, newpage: 0, clearpage: 0, cleardoublepage: 0, pagebreak: 0, nopagebreak: 0,
  linebreak: 0, nolinebreak: 0, vfill: 0, hline: 0, toprule: 0, midrule: 0, bottomrule: 0, cline: 1, cmidrule: 1,
  protect: 0, phantomsection: 0, addcontentsline: 3, markboth: 2, markright: 1, setlength: 2, addtolength: 2,
  setcounter: 2, addtocounter: 2, stepcounter: 1, refstepcounter: 1, includegraphics: 1, "includegraphics*": 1,
  tiny: 0, scriptsize: 0, footnotesize: 0, small: 0, normalsize: 0, large: 0, Large: 0, LARGE: 0, huge: 0, Huge: 0,
  bfseries: 0, itshape: 0, slshape: 0, scshape: 0, upshape: 0, mdseries: 0, normalfont: 0, rmfamily: 0, sffamily: 0,
  ttfamily: 0, em: 0, selectfont: 0, fontsize: 2, color: 1, leavevmode: 0, null: 0, relax: 0, FloatBarrier: 0,
  allowbreak: 0, strut: 0, captionsetup: 1, pagestyle: 1, thispagestyle: 1, newline: 0, break: 0, nobreak: 0,
  sloppy: 0, fussy: 0, frenchspacing: 0, ignorespaces: 0, unskip: 0, hfil: 0, vfil: 0, hrule: 0, par: 0,
  maketitle: 0, tableofcontents: 0, listoffigures: 0, listoftables: 0, printindex: 0, appendix: 0, frontmatter: 0,
  mainmatter: 0, backmatter: 0, nocite: 1, bibliographystyle: 1, bibliography: 1, graphicspath: 1, resizebox: 2,
  scalebox: 1, rotatebox: 1, input: 1, include: 1, hypertarget: 1, pdfbookmark: 2, enlargethispage: 1, needspace: 1,
  subcaption: 0, tabularnewline: 0, arraystretch: 0, renewcommand: 2, newcommand: 2, DeclareMathOperator: 2,
  fontfamily: 1, fontseries: 1, fontshape: 1, usefont: 4, definecolor: 3, footnotemark: 0, vskip: 0, kern: 0,
  rule: 2, noalign: 1, hyphenation: 1, hypersetup: 1, nocolor: 0, normalcolor: 0, indexthis: 0,
  // Running heads: what a mark command is given is printed at the top of a page, never in place.
  chaptermark: 1, sectionmark: 1, subsectionmark: 1,
  // LaTeX 2.09's font switches, still in LaTeX2e (`{\it close}`, "might be \it close" in a title): a font, no text
  it: 0, bf: 0, rm: 0, sf: 0, tt: 0, sc: 0, sl: 0,
};
/** Environments whose leading arguments are layout, not text (`\begin{multicols}{2}`). */
const ENV_ARGS: Record<string, number> = {
  minipage: 1, multicols: 1, "multicols*": 1, adjustwidth: 2, wrapfigure: 2, wraptable: 2, subfigure: 1, tabular: 1,
  "tabular*": 2, tabularx: 2, tabulary: 2, longtable: 1, array: 1, spacing: 1, changemargin: 2, addmargin: 1,
  "addmargin*": 1, otherlanguage: 1, "otherlanguage*": 1, tcolorbox: 0, mdframed: 0, framed: 0, center: 0,
};
/** Spacing commands: a space in the text. */
const SPACE = new Set(["quad", "qquad", "hspace", "hspace*", "hfill", "enspace", "thinspace", "enskip", ",", ";", ":", " ", "space", "hskip"]);
/** One-argument commands whose argument is the printed text. */
const WRAP: Record<string, [string, string]> = {
  emph: ["*", "*"], textit: ["*", "*"], textsl: ["*", "*"], textbf: ["**", "**"], texttt: ["`", "`"],
  underline: ["", ""], uline: ["", ""], textsc: ["", ""], textrm: ["", ""], textsf: ["", ""], textup: ["", ""],
  textnormal: ["", ""], textmd: ["", ""], mbox: ["", ""], hbox: ["", ""], makebox: ["", ""], fbox: ["", ""],
  framebox: ["", ""], text: ["", ""], enquote: ["“", "”"], url: ["", ""], nolinkurl: ["", ""], ensuremath: ["$", "$"],
  footnote: [" (", ")"], footnotetext: [" (", ")"], marginpar: [" (", ")"], parbox: ["", ""],
  MakeUppercase: ["", ""], uppercase: ["", ""], mathrm: ["", ""], hyperref: ["", ""],
  raisebox: ["", ""], keyword: ["*", "*"], term: ["*", "*"], textcolor: ["", ""], colorbox: ["", ""], highlight: ["", ""], hl: ["", ""],
};
/** Of those, the ones that take an optional argument first (`\footnote[7]{…}`: the mark is not text). */
const WRAP_OPTIONAL = new Set(["hyperref", "makebox", "framebox", "parbox", "footnote", "footnotetext", "raisebox"]);
/** Arguments skipped before the printed one (`\textcolor{red}{x}`, `\parbox{3cm}{x}`). */
const SKIP_ARGS: Record<string, number> = { textcolor: 1, colorbox: 1, parbox: 1, footnotetext: 0, raisebox: 1 };
const SYMBOLS: Record<string, string> = {
  ldots: "…", dots: "…", textellipsis: "…", LaTeX: "LaTeX", TeX: "TeX", LaTeXe: "LaTeX2e", "%": "%", "&": "&", "#": "#", _: "_",
  "{": "{", "}": "}", textendash: "–", textemdash: "—", S: "§", P: "¶", copyright: "©", textcopyright: "©",
  textregistered: "®", texttrademark: "™", textasciitilde: "~", textasciicircum: "^", textbackslash: "\\", slash: "/",
  "-": "", "/": "", "@": "", textbar: "|", textless: "<", textgreater: ">", textdegree: "°", degree: "°", checkmark: "✓",
  ss: "ß", o: "ø", O: "Ø", ae: "æ", AE: "Æ", aa: "å", AA: "Å", l: "ł", L: "Ł", oe: "œ", OE: "Œ", i: "ı", dag: "†",
  ddag: "‡", pounds: "£", euro: "€", textquoteleft: "‘", textquoteright: "’", textquotedblleft: "“", textquotedblright: "”",
  guillemotleft: "«", guillemotright: "»", textbullet: "•", today: "", and: ", ", cdots: "⋯",
};
const ACCENTS: Record<string, string> = { "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307", u: "\u0306", v: "\u030c", H: "\u030b", c: "\u0327", k: "\u0328", r: "\u030a" };
const REF_CMDS = new Set(["ref", "eqref", "cref", "Cref", "autoref", "Autoref", "nameref", "vref", "Vref", "pageref", "cpageref", "Cpageref"]);

/** Placeholders for verbatim pieces (math, code) while whitespace is tidied. */
const HOLD = "\u0000";
/** One indentation step of a nested list item, turned into two spaces at the very end. */
const INDENT = "\u0001";
/** xspace's `\xspace`: a space unless punctuation follows, decided at the end when what follows is known. */
const XSPACE = "\u0002";
const MAX_DEPTH = 40;

/**
 * Converts LaTeX source (a block of a course, comments and `\label`s possibly already removed) into the
 * text the book prints. Never throws: anything it does not understand is kept as written.
 */
export function latexToPrintedText(src: string, opts: PrintedTextOptions = {}): string {
  const conv = new Converter(opts.macros ?? new Map(), opts.envs ?? new Map(), opts.graphic, opts.ref);
  const raw = conv.convert(src, { listLevel: 0, enumLevel: 0, depth: 0 });
  return conv.finish(raw);
}

interface Ctx {
  /** Nesting depth of lists (for indentation). */
  listLevel: number;
  /** Nesting depth of enumerates (for default labels). */
  enumLevel: number;
  depth: number;
  /** "Figure"/"Table" inside a float, for a caption without a number. */
  float?: string;
}

/**
 * Most macro expansions one conversion may do. TeX itself would loop or explode on a macro that doubles its
 * argument at every level (HoTT's made a string too long for V8); past this budget macros stay as written.
 */
const MAX_EXPANSIONS = 20_000;

class Converter {
  private readonly held: string[] = [];
  private expansions = 0;

  constructor(
    private readonly macros: ReadonlyMap<string, TextMacro>,
    private readonly envs: ReadonlyMap<string, { nargs: number; hasOptional: boolean }>,
    private readonly graphic?: (arg: string) => string | undefined,
    private readonly ref?: (cmd: string, keys: string[]) => string | undefined,
  ) {}

  private hold(text: string): string {
    this.held.push(text);
    return `${HOLD}${this.held.length - 1}${HOLD}`;
  }

  /** Tidies whitespace outside the held pieces, then puts them back. */
  finish(text: string): string {
    let s = text
      .replace(/[ \t]+/g, " ")
      .replace(/^ +| +$/gm, "")
      .replace(/\n{3,}/g, "\n\n");
    s = s.replace(new RegExp(`^(${INDENT}+) *`, "gm"), (_m, ind: string) => "  ".repeat(ind.length));
    s = s.replace(new RegExp(INDENT, "g"), "");
    s = s.replace(new RegExp(`${XSPACE}+(?=[,.'/?;:!~)\\]}\\s-]|$)`, "g"), "").replace(new RegExp(`${XSPACE}+`, "g"), " ");
    s = s.replace(new RegExp(`${HOLD}(\\d+)${HOLD}`, "g"), (_m, k: string) => this.held[Number(k)] ?? "");
    return s.replace(/\n{3,}/g, "\n\n").trim();
  }

  convert(src: string, ctx: Ctx): string {
    if (ctx.depth > MAX_DEPTH) return src;
    let out = "";
    let i = 0;
    const n = src.length;
    while (i < n) {
      const c = src[i];
      if (c === "\\") {
        const r = this.command(src, i, ctx);
        if (r.display) {
          out = displayBefore(out) + r.text + "\n";
          i = displayAfter(src, r.end);
        } else {
          out += r.text;
          i = r.end;
        }
      } else if (c === "$") {
        const r = mathDollar(src, i);
        if (r?.display) {
          out = displayBefore(out) + this.hold(displayMath(r.body, "\\[", "\\]")) + "\n";
          i = displayAfter(src, r.end);
        } else if (r) {
          out += this.hold(`$${r.body}$`);
          i = r.end;
        } else if (src[i + 1] === "$") {
          // Display math never closed: kept as written.
          out += this.hold(src.slice(i));
          i = n;
        } else {
          // A lone `$` (not closed in its paragraph) is a dollar sign, escaped so no reader takes it for math.
          out += "\\$";
          i++;
        }
      } else if (c === "%") {
        // A comment runs to the end of the line and swallows the newline and the next line's indentation.
        const eol = src.indexOf("\n", i);
        if (eol < 0) break;
        i = eol + 1;
        while (i < n && (src[i] === " " || src[i] === "\t")) i++;
      } else if (c === "{") {
        const g = group(src, i);
        out += this.convert(g.body, { ...ctx, depth: ctx.depth + 1 });
        i = g.end;
      } else if (c === "}") {
        i++;
      } else if (c === "~") {
        out += " ";
        i++;
      } else if (c === "-" && src.startsWith("---", i)) {
        out += "—";
        i += 3;
      } else if (c === "-" && src.startsWith("--", i)) {
        out += "–";
        i += 2;
      } else if (c === "`" && src[i + 1] === "`") {
        out += "“";
        i += 2;
      } else if (c === "'" && src[i + 1] === "'") {
        out += "”";
        i += 2;
      } else if (c === "`") {
        out += "‘";
        i++;
      } else if (c === "\n" || c === " " || c === "\t") {
        // Leading indentation is layout in LaTeX; in Markdown four spaces would make a code block.
        out += c;
        i++;
      } else {
        out += c;
        i++;
      }
    }
    return out;
  }

  private command(src: string, i: number, ctx: Ctx): { text: string; end: number; display?: boolean } {
    const m = /^\\([A-Za-z@]+\*?|.)/s.exec(src.slice(i, i + 64));
    if (!m) return { text: "\\", end: i + 1 };
    const name = m[1];
    let end = i + m[0].length;
    const word = /^[A-Za-z@]/.test(name);
    // A control word eats the spaces after it (not a line break that ends a paragraph).
    const skipSpace = () => {
      if (word) while (end < src.length && (src[end] === " " || src[end] === "\t")) end++;
    };
    const sub = (s: string) => this.convert(s, { ...ctx, depth: ctx.depth + 1 });

    if (name === "(" || name === "[") {
      const close = src.indexOf(name === "(" ? "\\)" : "\\]", end);
      // Never closed: the rest is kept as written rather than read as prose.
      if (close < 0) return { text: this.hold(src.slice(i)), end: src.length };
      const body = src.slice(end, close);
      if (name === "(") return { text: this.hold(`\\(${body}\\)`), end: close + 2 };
      return { text: this.hold(displayMath(body, "\\[", "\\]")), end: close + 2, display: true };
    }
    if (name === "includegraphics" || name === "includegraphics*") {
      let j = end;
      const opt = optional(src, skipWs(src, j));
      if (opt) j = opt.end;
      const a = group(src, skipWs(src, j));
      if (a.ok) {
        // The argument may be built by the course's macros (`\chapterfolder/figures/#3`).
        const file = this.graphic?.(this.convert(a.body, { ...ctx, depth: ctx.depth + 1 }).replace(/\s+/g, "").replace(/^"|"$/g, ""));
        return { text: file ? `\n\n![figure](<${file}>)\n\n` : "", end: a.end };
      }
    }
    if (name === "multicolumn" || name === "multirow") {
      // \multicolumn{2}{c}{text}, \multirow{3}{*}{text}: only the last argument is printed.
      let j = end;
      let a = group(src, skipWs(src, j));
      for (let k = 0; k < 2 && a.ok; k++) {
        j = a.end;
        const opt = optional(src, skipWs(src, j));
        if (opt) j = opt.end;
        a = group(src, skipWs(src, j));
      }
      if (a.ok) return { text: sub(a.body), end: a.end };
    }
    if (name === "texorpdfstring") {
      const a = group(src, skipWs(src, end));
      const b = a.ok ? group(src, skipWs(src, a.end)) : a;
      if (a.ok && b.ok) return { text: sub(a.body), end: b.end };
    }
    if (name === "\\") {
      // `\\`, `\\*`, `\\[2pt]`: a line break.
      if (src[end] === "*") end++;
      const opt = optional(src, end);
      if (opt) end = opt.end;
      return { text: "\n", end };
    }
    if (name === "begin") {
      const arg = group(src, skipWs(src, end));
      if (!arg.ok) return { text: "\\begin", end };
      const env = arg.body.trim();
      return { ...this.environment(src, i, env, arg.end, ctx), display: MATH_ENVS.has(env) || env === "displaymath" };
    }
    if (name === "end") {
      const arg = group(src, skipWs(src, end));
      return { text: "", end: arg.ok ? arg.end : end };
    }
    if (name === "item") {
      // Outside a list (a fragment of one): still not `\item`.
      const opt = optional(src, skipWs(src, end));
      return { text: `\n${opt ? sub(opt.body) : "•"} `, end: opt ? opt.end : end };
    }
    if (name === "numberedcaption" || name === "caption" || name === "captionof") {
      let printed = ctx.float ?? "";
      if (name === "numberedcaption" || name === "captionof") {
        const a = group(src, skipWs(src, end));
        if (a.ok) {
          end = a.end;
          printed = name === "captionof" ? (/^table/.test(a.body.trim()) ? "Table" : "Figure") : a.body.trim();
        }
      }
      if (src[end] === "*") end++;
      const opt = optional(src, skipWs(src, end));
      if (opt) end = opt.end;
      const a = group(src, skipWs(src, end));
      if (!a.ok) return { text: "", end };
      const caption = sub(a.body).trim();
      return { text: `\n\n${printed ? `${printed}: ` : ""}${caption}\n\n`, end: a.end };
    }
    if (REF_CMDS.has(name)) {
      // Resolved by the parser before this pass; one left here has no label table behind it. A key built
      // by macros (`\ref{eoce_\arabic{x}}`, inside a course macro) prints nothing rather than "??".
      const a = group(src, skipWs(src, end));
      if (a.ok && a.body.includes("\\")) return { text: "", end: a.end };
      const keys = a.ok ? (/cref|Cref/.test(name) ? a.body.split(",") : [a.body]).map((k) => k.replace(/\s+/g, " ").trim().replace(/^\{(.*)\}$/, "$1")) : [];
      return { text: (keys.length ? this.ref?.(name, keys) : undefined) ?? "??", end: a.ok ? a.end : end };
    }
    if (name in ACCENTS && (word ? /^[a-zA-Z]$/.test(name) : true)) {
      let j = end;
      if (word) while (src[j] === " ") j++;
      let base = "";
      if (src[j] === "{") {
        const g = group(src, j);
        base = g.body.replace(/^\\([ij])$/, "$1");
        j = g.end;
      } else if (src[j] === "\\" && /[ij]/.test(src[j + 1] ?? "")) {
        base = src[j + 1];
        j += 2;
      } else if (src[j] && /\S/.test(src[j])) {
        base = src[j];
        j++;
      }
      if (base.length === 1) return { text: (base + ACCENTS[name]).normalize("NFC"), end: j };
    }
    if (name in SYMBOLS) {
      skipSpace();
      // `\ldots{}`: an empty group only ends the name.
      if (src.startsWith("{}", end)) end += 2;
      return { text: SYMBOLS[name], end };
    }
    if (name === "$") return { text: "\\$", end };
    if (SPACE.has(name)) {
      if (name.startsWith("hspace")) {
        const a = group(src, skipWs(src, end));
        // A kern of a fraction of a letter's width (`\_\hspace{0.3mm}`) is not a space between words.
        if (a.ok) return { text: isThin(a.body) ? "" : " ", end: a.end };
      }
      return { text: " ", end };
    }
    if (name === "href") {
      const url = group(src, skipWs(src, end));
      const txt = url.ok ? group(src, skipWs(src, url.end)) : url;
      if (url.ok && txt.ok) return { text: `${sub(txt.body)} (${this.url(url.body)})`, end: txt.end };
    }
    if (/cite[pt]?$/i.test(name)) {
      const opt = optional(src, skipWs(src, end));
      const a = group(src, skipWs(src, opt ? opt.end : end));
      if (a.ok) return { text: `[${a.body.trim()}${opt ? `, ${sub(opt.body)}` : ""}]`, end: a.end };
    }
    if (name in WRAP) {
      let j = end;
      // Optional arguments where they stand: `\parbox[t]{3cm}{…}`, `\makebox[w][c]{…}`, `\raisebox{lift}[h][d]{…}`.
      const optionals = () => {
        for (let k = 0, opt; k < 3 && WRAP_OPTIONAL.has(name) && (opt = optional(src, skipWs(src, j))); k++) j = opt.end;
      };
      optionals();
      for (let k = 0; k < (SKIP_ARGS[name] ?? 0); k++) {
        const skipped = group(src, skipWs(src, j));
        if (skipped.ok) j = skipped.end;
      }
      optionals();
      const a = group(src, skipWs(src, j));
      if (a.ok) {
        const [open, close] = WRAP[name];
        if (name === "ensuremath") return { text: this.hold(`$${a.body}$`), end: a.end };
        const inner = sub(a.body);
        if (!inner.trim()) return { text: inner, end: a.end };
        // Markdown emphasis must hug its text: "*convex*", not "* convex *".
        const lead = /^\s*/.exec(inner)![0];
        const trail = /\s*$/.exec(inner)![0];
        return { text: `${lead}${open}${inner.trim()}${close}${trail}`, end: a.end };
      }
    }
    if (name in DROP) {
      let j = end;
      if (src[j] === "*") j++;
      for (let k = 0; k < DROP[name]; k++) {
        const opt = optional(src, skipWs(src, j));
        if (opt) j = opt.end;
        const a = group(src, skipWs(src, j));
        if (!a.ok) break;
        j = a.end;
      }
      const opt = DROP[name] === 0 ? undefined : optional(src, skipWs(src, j));
      if (opt && name !== "label") j = opt.end;
      if (name === "par") return { text: "\n\n", end: j };
      // Only a command without arguments eats the spaces after it (`\index{x} next` keeps its space).
      if (j === end) skipSpace();
      else end = j;
      return { text: "", end };
    }
    if (name === "xspace") return { text: XSPACE, end };
    if (name === "if") {
      // `\if\showissues y …\else…\fi` inside a course macro: the branch TeX takes.
      const r = ifBranch(src, end, (n) => {
        const m = this.macros.get(n);
        return m && m.nargs === 0 && m.optional === undefined ? m.body : undefined;
      });
      if (r) return { text: sub(r.branch), end: r.end };
    }
    const register = registerCommandEnd(name, src, end);
    if (register !== undefined) return { text: "", end: register };
    if (name === "let") {
      // `\let\orisectionmark\sectionmark`, `\let\x=y`: a definition, it prints nothing.
      const t = /^\s*(?:\\[A-Za-z@]+|\\.|[^\s])\s*=?\s?(?:\\[A-Za-z@]+|\\.|[^\s])?/s.exec(src.slice(end, end + 200));
      return { text: "", end: end + (t ? t[0].length : 0) };
    }
    // A macro that reaches itself again (HoTT's \prd@parens, which loops through \@ifnextchar branches TeX picks one
    // of) cannot be expanded as text — every branch would be, exponentially: it is read as an unknown command.
    const user = isRecursive(this.macros, name) ? undefined : this.macros.get(name);
    const alias = user && user.nargs === 0 && user.optional === undefined ? /^\s*\\([A-Za-z@]+)\s*$/.exec(user.body) : null;
    if (alias && alias[1] !== name && ctx.depth < MAX_DEPTH && this.expansions++ < MAX_EXPANSIONS) {
      // `\let\orisectionmark\sectionmark` (or a macro that is one command): TeX reads the command in its place,
      // so it takes the arguments that follow (`\orisectionmark{{…}}` prints nothing, as \sectionmark).
      const target = `\\${alias[1]}`;
      const r = this.command(target + src.slice(end), 0, { ...ctx, depth: ctx.depth + 1 });
      return { ...r, end: end + Math.max(0, r.end - target.length) };
    }
    if (user && ctx.depth < MAX_DEPTH && this.expansions++ < MAX_EXPANSIONS) {
      const args: string[] = [];
      let j = end;
      let k = 0;
      if (user.optional !== undefined) {
        const opt = optional(src, skipWs(src, j));
        args.push(opt ? opt.body : user.optional);
        if (opt) j = opt.end;
        k = 1;
      }
      for (; k < user.nargs; k++) {
        const jj = skipWs(src, j);
        if (src[jj] === "{") {
          const a = group(src, jj);
          args.push(a.body);
          j = a.end;
        } else if (jj < src.length && src[jj] !== "}") {
          // An undelimited argument is one token.
          const t = /^\\[A-Za-z@]+|^./s.exec(src.slice(jj))![0];
          args.push(t);
          j = jj + t.length;
        } else args.push("");
      }
      if (user.nargs === 0) {
        end = j;
        skipSpace();
        j = end;
      }
      // TeX substitutes tokens: `{\small#1}` with "The" is \small then "The", never `\smallThe`.
      const body = user.body.replace(/(\\[A-Za-z@]+)?#(\d)/g, (_m, cs: string | undefined, d: string) => `${cs ? `${cs} ` : ""}${args[Number(d) - 1] ?? ""}`);
      return { text: sub(body), end: j };
    }
    if (!word) return { text: name, end };
    // Unknown: its arguments' text stays readable; a bare unknown command is kept as written.
    let j = end;
    const pieces: string[] = [];
    for (;;) {
      const opt = optional(src, j);
      if (opt && src[opt.end] === "{") {
        j = opt.end;
        continue;
      }
      if (src[j] !== "{") break;
      const a = group(src, j);
      if (!a.ok) break;
      pieces.push(sub(a.body));
      j = a.end;
    }
    if (pieces.length) return { text: pieces.join(" "), end: j };
    return { text: `\\${name}`, end };
  }

  /** A URL as written, with the course's own argument-less macros in it expanded and TeX escapes undone. */
  private url(raw: string): string {
    return raw
      .trim()
      .replace(/\\([A-Za-z@]+)/g, (m, n: string) => {
        const d = this.macros.get(n);
        return d && d.nargs === 0 ? d.body.trim() : m;
      })
      .replace(/\\([#%&_~$])/g, "$1");
  }

  private environment(src: string, at: number, name: string, bodyStart: number, ctx: Ctx): { text: string; end: number } {
    const close = findEnd(src, name, bodyStart);
    const end = close ? close.after : src.length;
    const body = src.slice(bodyStart, close ? close.at : src.length);
    const inner: Ctx = { ...ctx, depth: ctx.depth + 1 };
    if (MATH_ENVS.has(name)) {
      return { text: this.hold(tidyMath(`\\begin{${name}}${body}\\end{${name}}`)), end };
    }
    if (name === "displaymath") return { text: this.hold(displayMath(body, "\\[", "\\]")), end };
    if (name === "math") return { text: this.hold(`$${body.trim()}$`), end };
    if (VERBATIM_ENVS.has(name)) {
      return { text: name === "comment" ? "" : this.hold(`\n${src.slice(at, end)}\n`), end };
    }
    if (DROPPED_ENVS.has(name)) return { text: "", end };
    if (LIST_ENVS.has(name)) return { text: `\n\n${this.list(name, body, ctx)}\n\n`, end };
    if (name in FLOAT_ENVS) {
      const b = skipArgs(body, name === "wrapfigure" || name === "wraptable" ? 2 : name === "subfigure" ? 1 : 0);
      let text = this.convert(b, { ...inner, float: FLOAT_ENVS[name] });
      // The image is named by its caption's number ("Figure 2.3"), for screen readers and the LLM.
      const caption = /(?:^|\n)((?:Figure|Table) [^:\n]*\d[^:\n]*):/.exec(text);
      if (caption) text = text.replace(/!\[figure\]\(/g, `![${caption[1].replace(/[[\]]/g, "")}](`);
      return { text: `\n\n${text}\n\n`, end };
    }
    if (TABULAR_ENVS.has(name)) return { text: `\n\n${this.tabular(name, body, inner)}\n\n`, end };
    if (BOX_ENVS.has(name)) {
      const opt = optional(body, skipWs(body, 0));
      const text = this.convert(opt ? body.slice(opt.end) : body, inner).trim();
      return { text: `\n\\begin{${name}}${opt ? `[${this.convert(opt.body, inner).trim()}]` : ""}\n${text}\n\\end{${name}}\n`, end };
    }
    // center, quote, minipage, a theorem-like environment inside a block, an unknown one: its content.
    let b = body;
    if (name in ENV_ARGS) return { text: `\n\n${this.convert(skipArgs(b, ENV_ARGS[name]), inner)}\n\n`, end };
    const user = this.envs.get(name);
    const titles: string[] = [];
    const opt = (!user || user.hasOptional) && optional(b, skipWs(b, 0));
    if (opt) {
      titles.push(this.convert(opt.body, inner).trim());
      b = b.slice(opt.end);
    }
    // A course's own environment with arguments (`\begin{onebox}{Mean}`): they are its title.
    for (let k = user?.hasOptional ? 1 : 0; k < (user?.nargs ?? 0); k++) {
      const a = group(b, skipWs(b, 0));
      if (!a.ok) break;
      titles.push(this.convert(a.body, inner).trim());
      b = b.slice(a.end);
    }
    // One line, so Markdown's ** closes on it (the held formulas keep their own lines).
    const title = titles.filter(Boolean).join(" ").replace(/\s+/g, " ");
    return { text: `\n\n${title ? `**${title}**\n` : ""}${this.convert(b, inner)}\n\n`, end };
  }

  private list(name: string, body: string, ctx: Ctx): string {
    const type = name.replace(/\*$/, "");
    const enumerate = /enum/.test(type);
    const description = type === "description";
    const enumLevel = enumerate ? Math.min(ctx.enumLevel + 1, 4) : ctx.enumLevel;
    const inner: Ctx = { ...ctx, listLevel: ctx.listLevel + 1, enumLevel, depth: ctx.depth + 1 };
    let b = body;
    const opt = optional(b, skipWs(b, 0));
    if (opt) b = b.slice(opt.end);
    const template = enumerate ? labelTemplate(opt?.body, enumLevel) : undefined;
    const items = splitItems(b);
    const indent = INDENT.repeat(ctx.listLevel);
    const out: string[] = [];
    let counter = enumerate ? startValue(opt?.body) - 1 : 0;
    const before = this.convert(items.before, inner).trim();
    if (before) out.push(before);
    for (const it of items.items) {
      let label: string;
      if (it.label !== undefined) {
        const l = this.convert(it.label, inner).trim();
        label = description ? (l ? `**${l}**` : "") : l;
      } else if (enumerate) {
        counter++;
        label = template!.replace(/\u0002(\w+)/, (_m, style: string) => formatNumber(counter, style as NumStyle));
      } else label = "•";
      const text = this.convert(it.body, inner).trim();
      out.push(`${indent}${label}${label && text ? " " : ""}${text}`);
    }
    return out.join("\n\n");
  }

  private tabular(name: string, body: string, ctx: Ctx): string {
    const b = skipArgs(body, name === "tabular*" || name === "tabularx" ? 2 : 1);
    const rows: string[] = [];
    for (const row of splitTop(b, "\\\\")) {
      const cells = splitTop(row, "&").map((c) => this.convert(c.replace(/^\s*\[[^\]]*\]/, ""), ctx).replace(/\s+/g, " ").trim());
      if (cells.some(Boolean)) rows.push(cells.join(" | "));
    }
    return rows.join("\n");
  }
}

/** Whether a length is narrower than a space (`0.3mm`, `2pt`, `-1pt`). */
function isThin(len: string): boolean {
  const m = /^\s*(-?)\s*(\d*\.?\d+)\s*(pt|bp|mm|cm|em|ex|in)\s*$/.exec(len);
  if (!m) return false;
  if (m[1]) return true;
  const limit: Record<string, number> = { pt: 3, bp: 3, mm: 1, cm: 0.1, em: 0.25, ex: 0.5, in: 0.04 };
  return Number(m[2]) <= limit[m[3]];
}

/** The label of an enumerate's items with `\u0002style` where the number goes. */
function labelTemplate(opts: string | undefined, level: number): string {
  const defaults = ["\u0002arabic.", "(\u0002alph)", "\u0002roman.", "\u0002Alph."];
  if (!opts) return defaults[level - 1];
  const kv = /(?:^|,)\s*label\*?\s*=\s*(\{(?:[^{}]|\{[^{}]*\})*\}|[^,]*)/.exec(opts);
  let tpl: string;
  if (kv) tpl = kv[1].replace(/^\{([\s\S]*)\}$/, "$1");
  else if (!opts.includes("=")) {
    // The enumerate package's short form: [(a)], [i.], [A)], [1.].
    const m = /(^|[^A-Za-z\\])([aAiI1])(?![A-Za-z])/.exec(opts);
    if (!m) return defaults[level - 1];
    const style = { a: "alph", A: "Alph", i: "roman", I: "Roman", "1": "arabic" }[m[2]]!;
    tpl = `${opts.slice(0, m.index + m[1].length)}\\${style}*${opts.slice(m.index + m[1].length + 1)}`;
  } else return defaults[level - 1];
  return tpl
    .replace(/\\(arabic|alph|Alph|roman|Roman)\s*\*/g, "\u0002$1")
    .replace(/\\(arabic|alph|Alph|roman|Roman)\s*\{[^{}]*\}/g, "\u0002$1")
    .replace(/\\the[A-Za-z]+/g, "")
    .replace(/~|\\ /g, " ")
    .replace(/\\[A-Za-z@]+\*?\s*/g, "")
    .replace(/[{}]/g, "")
    .trim();
}

function startValue(opts: string | undefined): number {
  const m = opts ? /(?:^|,)\s*start\s*=\s*(\d+)\s*(?:,|$)/.exec(opts) : null;
  return m ? Number(m[1]) : 1;
}

const recursiveMemo = new WeakMap<ReadonlyMap<string, TextMacro>, Map<string, boolean>>();

/** Whether the body of macro `name` leads back to `name` through the course's macros (memoised per macro table). */
function isRecursive(macros: ReadonlyMap<string, TextMacro>, name: string): boolean {
  if (!macros.has(name)) return false;
  let memo = recursiveMemo.get(macros);
  if (!memo) recursiveMemo.set(macros, (memo = new Map()));
  const known = memo.get(name);
  if (known !== undefined) return known;
  const calls = (m: string) => [...(macros.get(m)?.body.matchAll(/\\([A-Za-z@]+)/g) ?? [])].map((x) => x[1]).filter((c) => macros.has(c));
  const seen = new Set<string>();
  const stack = calls(name);
  let found = false;
  while (stack.length && !found) {
    const m = stack.pop()!;
    if (m === name) found = true;
    else if (!seen.has(m)) {
      seen.add(m);
      stack.push(...calls(m));
    }
  }
  memo.set(name, found);
  return found;
}

/** `$…$` or `$$…$$` starting at `i` (an escaped `\$` inside does not close it). */
function mathDollar(src: string, i: number): { body: string; end: number; display: boolean } | undefined {
  const display = src[i + 1] === "$";
  const open = display ? 2 : 1;
  let j = i + open;
  while (j < src.length) {
    if (src[j] === "\\") {
      j += 2;
      continue;
    }
    if (src[j] === "$") {
      if (!display) return j > i + 1 ? { body: src.slice(i + 1, j), end: j + 1, display } : undefined;
      if (src[j + 1] === "$") return { body: src.slice(i + 2, j), end: j + 2, display };
      return undefined;
    }
    // A paragraph break ends runaway inline math, as TeX does.
    if (!display && src[j] === "\n" && /^\n[ \t]*\n/.test(src.slice(j, j + 64))) return undefined;
    j++;
  }
  return undefined;
}

/** Display math on lines of its own, its body's indentation removed. */
function displayMath(body: string, open: string, close: string): string {
  const lines = body
    .replace(/\\label\s*\{[^{}]*\}/g, "")
    .split("\n").map((l) => l.trim()).filter(Boolean);
  return `${open}${lines.length > 1 ? `\n${lines.join("\n")}\n` : ` ${lines.join("")} `}${close}`;
}

/** Math kept as written, minus what KaTeX cannot take (`\\label`) and the source's indentation. */
function tidyMath(env: string): string {
  return env
    .replace(/\\label\s*\{[^{}]*\}/g, "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join("\n")
    .replace(/\n(\\tag\{[^{}]*\})(?=\\end\{)/g, " $1\n");
}

/**
 * Display math sits on lines of its own inside its paragraph: the text before it ends with one line
 * break (never a blank line, which would split the paragraph) …
 */
function displayBefore(out: string): string {
  const t = out.replace(/[ \t]+$/, "");
  return t && !t.endsWith("\n") ? `${t}\n` : t;
}

/** … and the text after it starts on the next line. */
function displayAfter(src: string, i: number): number {
  let j = i;
  while (j < src.length && (src[j] === " " || src[j] === "\t")) j++;
  return src[j] === "\n" ? j + 1 : j;
}

function skipWs(src: string, i: number): number {
  while (i < src.length && /\s/.test(src[i])) i++;
  return i;
}

/** A brace group at `i` (`ok` false when there is none); an unclosed one runs to the end. */
function group(src: string, i: number): { ok: boolean; body: string; end: number } {
  if (src[i] !== "{") return { ok: false, body: "", end: i };
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === "\\") {
      j++;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return { ok: true, body: src.slice(i + 1, j), end: j + 1 };
  }
  return { ok: true, body: src.slice(i + 1), end: src.length };
}

/** A `[…]` argument at `i` (brace-aware). */
function optional(src: string, i: number): { body: string; end: number } | undefined {
  if (src[i] !== "[") return undefined;
  let brace = 0;
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === "\\") {
      j++;
      continue;
    }
    if (c === "{") brace++;
    else if (c === "}") brace--;
    else if (c === "]" && brace === 0) return { body: src.slice(i + 1, j).replace(/^\{([\s\S]*)\}$/, "$1"), end: j + 1 };
  }
  return undefined;
}

/** Skips `n` leading arguments (`[…]` or `{…}`) of an environment body. */
function skipArgs(body: string, n: number): string {
  let j = 0;
  let left = n;
  for (;;) {
    const k = skipWs(body, j);
    const opt = optional(body, k);
    if (opt) {
      j = opt.end;
      continue;
    }
    if (left > 0 && body[k] === "{") {
      j = group(body, k).end;
      left--;
      continue;
    }
    return body.slice(j);
  }
}

/** The matching `\end{name}` after `from`, counting nested environments of the same name. */
function findEnd(src: string, name: string, from: number): { at: number; after: number } | undefined {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`\\\\(begin|end)\\s*\\{${esc}\\}`, "g");
  re.lastIndex = from;
  let depth = 1;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (m[1] === "begin") depth++;
    else if (--depth === 0) return { at: m.index, after: m.index + m[0].length };
  }
  return undefined;
}

/**
 * Top-level pieces of `src` split at `sep` (`\\` or `&`), outside braces and nested environments.
 * Used for table rows and cells.
 */
function splitTop(src: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let env = 0;
  let last = 0;
  for (let j = 0; j < src.length; j++) {
    const c = src[j];
    if (c === "\\") {
      if (depth === 0 && env === 0 && src.startsWith(sep, j) && sep === "\\\\") {
        out.push(src.slice(last, j));
        j += 1;
        last = j + 1;
        continue;
      }
      if (src.startsWith("\\begin", j)) env++;
      else if (src.startsWith("\\end", j)) env--;
      j++;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (c === sep && depth === 0 && env === 0) {
      out.push(src.slice(last, j));
      last = j + 1;
    }
  }
  out.push(src.slice(last));
  return out;
}

/** The top-level `\item`s of a list body (nested lists and groups keep theirs). */
function splitItems(body: string): { before: string; items: { label?: string; body: string }[] } {
  const starts: { at: number; label?: string; contentAt: number }[] = [];
  let depth = 0;
  let env = 0;
  for (let j = 0; j < body.length; j++) {
    const c = body[j];
    if (c === "\\") {
      const m = /^\\([A-Za-z@]+)/.exec(body.slice(j, j + 40));
      if (m) {
        if (m[1] === "begin") env++;
        else if (m[1] === "end") env--;
        else if (m[1] === "item" && depth === 0 && env === 0) {
          let k = j + m[0].length;
          const opt = optional(body, skipWs(body, k));
          if (opt) k = opt.end;
          starts.push({ at: j, label: opt?.body, contentAt: k });
          j = k - 1;
          continue;
        }
        j += m[0].length - 1;
      } else j++;
      continue;
    }
    if (c === "%") {
      const eol = body.indexOf("\n", j);
      j = eol < 0 ? body.length : eol;
    } else if (c === "{") depth++;
    else if (c === "}") depth--;
  }
  return {
    before: body.slice(0, starts[0]?.at ?? body.length),
    items: starts.map((s, k) => ({ label: s.label, body: body.slice(s.contentAt, starts[k + 1]?.at ?? body.length) })),
  };
}
