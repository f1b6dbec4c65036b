/**
 * A small character-level pre-pass over LaTeX source, run before the real parser. It does the few
 * things a grammar cannot: TeX conditionals (`\iffalse`, `\newif\ifsolutions` + `\solutionsfalse`)
 * are skipped at the token level regardless of environment nesting, and it finds line starts where
 * the file can be cut into chunks that are parsed separately (the PEG parser's packrat cache makes
 * one big parse super-linear in practice).
 */

/** Environments whose bodies TeX does not tokenise normally; nothing inside them is markup. */
export const VERBATIM_ENVS = new Set([
  "verbatim",
  "verbatim*",
  "Verbatim",
  "Verbatim*",
  "BVerbatim",
  "LVerbatim",
  "lstlisting",
  "minted",
  "comment",
  "filecontents",
  "filecontents*",
  "sageblock",
  "sagesilent",
  "sagecommandline",
  "sageexample",
  "sageverbatim",
  "pycode",
  "pyblock",
  "pyverbatim",
  "pyconsole",
]);

/** TeX primitives that open a conditional; `\fi` closes each of them. */
const IF_PRIMITIVES = new Set([
  "if",
  "ifcat",
  "ifnum",
  "ifdim",
  "ifodd",
  "ifvmode",
  "ifhmode",
  "ifmmode",
  "ifinner",
  "ifvoid",
  "ifhbox",
  "ifvbox",
  "ifx",
  "ifeof",
  "iftrue",
  "iffalse",
  "ifcase",
  "ifdefined",
  "ifcsname",
  "iffontchar",
  "ifincsname",
  "ifpdf",
]);

/** Commands named `\if…` that are macros with arguments (ifthen, etoolbox), not TeX conditionals. */
const NOT_CONDITIONALS = new Set(["iff", "ifthenelse", "iftoggle", "nottoggle", "ifbool", "notbool", "ifdef", "ifundef", "ifcsdef", "ifcsundef", "ifdefempty", "ifstrequal", "ifstrempty", "ifnumcomp", "ifdimcomp", "ifblank", "ifdefstring", "ifpackageloaded", "ifclassloaded", "iflanguage"]);

/**
 * Conditionals of packages a course loads but may not ship, whose value under pdflatex/lualatex is fixed by the
 * package itself: latexml.sty's `\newif\iflatexml` is false unless LaTeXML (not TeX) reads the document.
 */
const PACKAGE_CONDITIONALS = new Map([["latexml", false]]);

/** Commands that define the control sequence after them (`\newcommand*{\ifeff}{iff}`): a macro, not a `\newif`. */
const DEFINER_BEFORE = /\\(?:(?:re|provide)?newcommand|DeclareRobustCommand|(?:New|Renew|Provide|Declare)DocumentCommand)\*?\s*\{?\s*$|\\(?:[gex]?def|let)\s*$/;

/** A half-open character range `[start, end)`. */
export interface Range {
  start: number;
  end: number;
}

/** Truth values of `\newif` conditionals, carried from file to file in document order. */
export type Conditionals = Map<string, boolean>;

export interface LexResult {
  /** The source with skipped conditional branches blanked out (same length, same line breaks). */
  masked: string;
  /** Ranges removed from the masked text (false conditional branches and their `\if…`/`\fi` tokens). */
  skipped: Range[];
  /** Offsets of line starts where the file may be cut into independently parsed chunks. */
  splits: number[];
  /** Offsets of `\iffalse`-like conditionals that never reach their `\fi`. */
  unterminatedIfs: number[];
  /** Conditionals that could not be decided (both branches kept), with the offset of their first use. */
  undecided: { name: string; offset: number }[];
}

/** Whether a control sequence is defined, for `\ifdefined`: true, false, or undefined when it cannot be known. */
export type IsDefined = (name: string) => boolean | undefined;

// Parse cost grows faster than linearly with input size (packrat cache + GC); ~30 lines is the sweet spot.
const CHUNK_MIN_LINES = 30;
const SECTIONING = /^[ \t]*\\(?:part|chapter|section|subsection)\b/;

function isLetter(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "@";
}

/**
 * Scans `src` once. Conditionals: `\iffalse`, `\iftrue`, and `\ifX` declared by `\newif\ifX` with a
 * known state are evaluated; every other `\if…` keeps both branches (we cannot evaluate it).
 */
export function lexLatex(src: string, conditionals: Conditionals, isDefined: IsDefined = () => undefined): LexResult {
  // macros whose names start with "if" (\ifeff printing "iff"), defined in this file before their use
  const ifMacros = new Set<string>();
  const n = src.length;
  const undecided: { name: string; offset: number }[] = [];
  const skipped: Range[] = [];
  const splits: number[] = [];
  const unterminatedIfs: number[] = [];
  // Conditional frames: "live" = evaluated true (its \else branch is skipped), "unknown" = not evaluated.
  const ifStack: ("live" | "unknown")[] = [];
  const envStack: string[] = [];
  let braces = 0;
  let lineStart = 0;
  let lastSplitLine = 0;
  let line = 0;
  let prevLineBlank = true;
  let i = 0;

  const readName = (from: number): { name: string; end: number } => {
    let j = from;
    if (j >= n) return { name: "", end: j };
    if (!isLetter(src[j])) return { name: src[j], end: j + 1 };
    while (j < n && isLetter(src[j])) j++;
    return { name: src.slice(from, j), end: j };
  };
  const readBraced = (from: number): { text: string; end: number } | null => {
    let j = from;
    while (j < n && (src[j] === " " || src[j] === "\t")) j++;
    if (src[j] !== "{") return null;
    const close = src.indexOf("}", j);
    if (close < 0 || close - j > 200) return null;
    return { text: src.slice(j + 1, close).trim(), end: close + 1 };
  };
  // TeX skips the spaces after a control word, so they go with a removed \if…, \else or \fi.
  const eatSpaces = (from: number): number => {
    let j = from;
    while (j < n && (src[j] === " " || src[j] === "\t")) j++;
    return j;
  };
  const lineEnd = (from: number): number => {
    const k = src.indexOf("\n", from);
    return k < 0 ? n : k;
  };

  /** Skips a false branch starting at `from`; returns where live text resumes and whether an `\else` ended it. */
  const skipBranch = (from: number): { end: number; byElse: boolean; closed: boolean } => {
    let depth = 0;
    let j = from;
    while (j < n) {
      const c = src[j];
      if (c === "%") {
        j = lineEnd(j);
        continue;
      }
      if (c === "\\") {
        const { name, end } = readName(j + 1);
        if (name === "fi") {
          if (depth === 0) return { end, byElse: false, closed: true };
          depth--;
        } else if (name === "else" && depth === 0) {
          return { end, byElse: true, closed: true };
        } else if (name.startsWith("if") && (IF_PRIMITIVES.has(name) || conditionals.has(name.slice(2)) || PACKAGE_CONDITIONALS.has(name.slice(2)))) {
          depth++;
        } else if (name === "begin") {
          const env = readBraced(end);
          if (env && VERBATIM_ENVS.has(env.text)) {
            const close = src.indexOf(`\\end{${env.text}}`, env.end);
            j = close < 0 ? n : close + env.text.length + 6;
            continue;
          }
        }
        j = end;
        continue;
      }
      j++;
    }
    return { end: n, byElse: false, closed: false };
  };

  while (i < n) {
    const c = src[i];
    if (c === "\n") {
      const blank = src.slice(lineStart, i).trim() === "";
      prevLineBlank = blank;
      line++;
      lineStart = i + 1;
      if (
        envStack.length === 0 &&
        braces === 0 &&
        ifStack.length === 0 &&
        line - lastSplitLine >= CHUNK_MIN_LINES &&
        (prevLineBlank || SECTIONING.test(src.slice(lineStart, lineStart + 40)))
      ) {
        splits.push(lineStart);
        lastSplitLine = line;
      }
      i++;
      continue;
    }
    if (c === "%") {
      i = lineEnd(i);
      continue;
    }
    if (c === "{") {
      braces++;
      i++;
      continue;
    }
    if (c === "}") {
      if (braces > 0) braces--;
      i++;
      continue;
    }
    if (c !== "\\") {
      i++;
      continue;
    }
    const start = i;
    const { name, end } = readName(i + 1);
    i = end;
    if (name === "begin" || name === "end") {
      const env = readBraced(end);
      if (!env) continue;
      i = env.end;
      if (name === "begin" && VERBATIM_ENVS.has(env.text)) {
        const close = src.indexOf(`\\end{${env.text}}`, env.end);
        i = close < 0 ? n : close + env.text.length + 6;
        continue;
      }
      if (env.text === "document") continue;
      if (name === "begin") envStack.push(env.text);
      else {
        // Pop only on a match, so a stray \end (e.g. in a macro definition) cannot open a false split point.
        const at = envStack.lastIndexOf(env.text);
        if (at >= 0) envStack.length = at;
      }
      continue;
    }
    if (name === "verb" || name === "lstinline" || name === "Verb") {
      let j = i;
      if (src[j] === "*") j++;
      if (name !== "verb" && src[j] === "[") {
        const close = src.indexOf("]", j);
        if (close > 0) j = close + 1;
      }
      const delim = src[j];
      if (delim === undefined || delim === "\n") continue;
      const closeCh = delim === "{" ? "}" : delim;
      const close = src.indexOf(closeCh, j + 1);
      const eol = lineEnd(j);
      i = close < 0 || close > eol ? eol : close + 1;
      continue;
    }
    if (name === "newif") {
      const m = /^\s*\\if([A-Za-z@]+)/.exec(src.slice(i, i + 80));
      if (m) {
        conditionals.set(m[1], false);
        i += m[0].length;
      }
      continue;
    }
    if (name === "let") {
      const m = /^\s*\\if([A-Za-z@]+)\s*=?\s*\\if(true|false)(?![A-Za-z@])/.exec(src.slice(i, i + 80));
      if (m) {
        conditionals.set(m[1], m[2] === "true");
        i += m[0].length;
      }
      continue;
    }
    if (name === "fi") {
      const frame = ifStack.pop();
      if (frame === "live") skipped.push({ start, end: eatSpaces(i) });
      continue;
    }
    if (name === "else") {
      if (ifStack[ifStack.length - 1] === "live") {
        ifStack.pop();
        const r = skipBranch(i);
        skipped.push({ start, end: eatSpaces(r.end) });
        i = r.end;
      }
      continue;
    }
    if (name.startsWith("if")) {
      const flag = name.slice(2);
      if (!conditionals.has(flag) && !IF_PRIMITIVES.has(name)) {
        // `\newcommand*{\ifeff}{iff}` defines a macro that prints something; its uses open no conditional
        if (DEFINER_BEFORE.test(src.slice(Math.max(0, start - 40), start))) {
          ifMacros.add(name);
          continue;
        }
        if (ifMacros.has(name) || (isDefined(name) === true && !PACKAGE_CONDITIONALS.has(flag))) continue;
      }
      let known = name === "iffalse" ? false : name === "iftrue" ? true : (conditionals.get(flag) ?? PACKAGE_CONDITIONALS.get(flag));
      let end = i;
      if (name === "ifdefined") {
        // \ifdefined\X: decided when the course defines X (or it is a kernel command) — or plainly does not.
        const m = /^\s*\\([A-Za-z@]+)/.exec(src.slice(i, i + 80));
        if (m) {
          known = isDefined(m[1]);
          end = i + m[0].length;
          if (known === undefined) undecided.push({ name: `ifdefined\\${m[1]}`, offset: start });
        }
      }
      if (known === undefined) {
        if (IF_PRIMITIVES.has(name)) ifStack.push("unknown");
        else if (!/@/.test(name) && !NOT_CONDITIONALS.has(name)) undecided.push({ name, offset: start });
        continue;
      }
      i = end;
      if (known) {
        ifStack.push("live");
        skipped.push({ start, end: eatSpaces(i) });
        continue;
      }
      const r = skipBranch(i);
      if (!r.closed) unterminatedIfs.push(start);
      // After "\iffalse A \else B \fi", B is live and its \fi must still be dropped.
      if (r.byElse) ifStack.push("live");
      skipped.push({ start, end: eatSpaces(r.end) });
      i = r.end;
      continue;
    }
    // \solutionstrue / \solutionsfalse toggle a \newif conditional.
    const toggle = /^([A-Za-z@]+)(true|false)$/.exec(name);
    if (toggle && conditionals.has(toggle[1])) {
      conditionals.set(toggle[1], toggle[2] === "true");
    }
  }

  return { masked: maskRanges(src, skipped), skipped, splits, unterminatedIfs, undecided };
}

/**
 * Blanks `ranges` out of `src` keeping every offset and line break. A blanked stretch that runs to
 * the end of its line becomes a `%` comment, so removed lines do not turn into blank lines (which
 * the parser would read as paragraph breaks that TeX never saw).
 */
function maskRanges(src: string, ranges: Range[]): string {
  if (ranges.length === 0) return src;
  const out = src.split("");
  for (const r of ranges) {
    let segStart = r.start;
    for (let k = r.start; k <= r.end; k++) {
      const atEnd = k === r.end;
      if (!atEnd && src[k] !== "\n") continue;
      // Segment [segStart, k) lies on one line.
      let restBlank = true;
      if (atEnd) {
        const eol = src.indexOf("\n", k);
        restBlank = src.slice(k, eol < 0 ? src.length : eol).trim() === "";
      }
      for (let m = segStart; m < k; m++) out[m] = " ";
      if (k > segStart && (!atEnd || restBlank)) out[segStart] = "%";
      segStart = k + 1;
    }
  }
  return out.join("");
}
