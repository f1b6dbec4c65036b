/**
 * TeX primitives a course's macros use in prose that print nothing or choose what prints, for the printed-text
 * pass (`latex-printed.ts`): register assignments (`\itemsep1pt`, `\parskip=0pt plus 1pt`), register arithmetic
 * (`\global\advance\issuesD by 1`), and `\if` comparing two characters (CLP-1's
 * `\def\showissues{n}` … `\if\showissues y …\else…\fi`, which hides the authors' margin notes).
 * Each reads the source after the command and says where it ends; none throws.
 */

/** Length and skip parameters LaTeX's lists and paragraphs set in place (`\itemsep1pt \parsep0pt`). */
const LENGTHS = new Set([
  "itemsep", "parskip", "parsep", "topsep", "partopsep", "itemindent", "leftmargin", "rightmargin", "labelwidth",
  "labelsep", "listparindent", "parindent", "baselineskip", "lineskip", "lineskiplimit", "abovedisplayskip",
  "belowdisplayskip", "abovedisplayshortskip", "belowdisplayshortskip", "tabcolsep", "arraycolsep", "fboxsep",
  "fboxrule", "columnsep", "jot", "textfloatsep", "floatsep", "intextsep", "emergencystretch", "hangindent",
  "parfillskip", "leftskip", "rightskip", "mathsurround",
]);
/** Integer parameters set the same way (`\clubpenalty=10000`). */
const INTEGERS = new Set([
  "clubpenalty", "widowpenalty", "displaywidowpenalty", "tolerance", "pretolerance", "hyphenpenalty", "exhyphenpenalty",
  "interlinepenalty", "brokenpenalty", "linepenalty", "looseness", "hangafter", "predisplaypenalty", "postdisplaypenalty",
]);

const NUMBER = String.raw`[-+]?\s*(?:\d+(?:\.\d*)?|\.\d+|\d*)`;
/** A unit, or a length register as one (`0.5\linewidth`); a count register's `1\fi` is a number and a command. */
const UNIT = String.raw`(?:true\s*)?(?:pt|em|ex|in|cm|mm|bp|sp|pc|dd|cc|mu|fil{1,3}|\\(?:[A-Za-z@]*(?:width|height|depth|skip|sep|indent|margin|size|unit|length|len)|[pz]@)(?![A-Za-z@]))`;
const DIMEN = `${NUMBER}\\s*${UNIT}`;
const GLUE_RE = new RegExp(String.raw`^\s*=?\s*${DIMEN}(?:\s*plus\s*${DIMEN})?(?:\s*minus\s*${DIMEN})?`);
const INT_RE = /^\s*=?\s*[-+]?\s*(?:\d+|\\[A-Za-z@]+)/;
const ARITH_RE = new RegExp(String.raw`^\s*\\[A-Za-z@]+\s*(?:by\s*)?(?:${DIMEN}|[-+]?\s*\d+|\\[A-Za-z@]+)`);

/**
 * Where a command that prints nothing but sets or changes a register ends (`end` is just after its name), or
 * undefined when `name` is not one. `\itemsep` alone (no value after it) ends at once.
 */
export function registerCommandEnd(name: string, src: string, end: number): number | undefined {
  const rest = () => src.slice(end, end + 200);
  if (LENGTHS.has(name)) return end + (GLUE_RE.exec(rest())?.[0].length ?? 0);
  if (INTEGERS.has(name)) return end + (INT_RE.exec(rest())?.[0].length ?? 0);
  if (name === "advance" || name === "multiply" || name === "divide") return end + (ARITH_RE.exec(rest())?.[0].length ?? 0);
  if (name === "global") return end;
  return undefined;
}

/** A token as `\if` compares it: a character, or a command that does not expand further (all of them equal). */
type Token = { char: string } | { cs: string };

/**
 * `\if A B yes\else no\fi` where A and B are characters, or commands that expand to one (`\def\showissues{n}`):
 * the branch TeX takes and where the conditional ends. `expand(name)` is the body of a course macro without
 * arguments, or undefined. Undefined when the conditional is not closed by `\fi`.
 */
export function ifBranch(src: string, end: number, expand: (name: string) => string | undefined): { branch: string; end: number } | undefined {
  let i = end;
  // A command expands to its body when that is one token (`\def\showissues{n}`); anything longer is not followed.
  const resolve = (tok: string, depth: number): Token | undefined => {
    if (!tok.startsWith("\\")) return { char: tok };
    const body = depth < 10 ? expand(tok.slice(1)) : undefined;
    if (body === undefined) return { cs: tok.slice(1) };
    const only = /^\s*(\\[A-Za-z@]+|\\.|[^\s])\s*$/s.exec(body);
    return only ? resolve(only[1], depth + 1) : undefined;
  };
  // Spaces after a control word are skipped; after a character, a run of them is one space token.
  let afterWord = true;
  const read = (): Token | undefined => {
    const ws = /^[ \t\n]+/.exec(src.slice(i, i + 200))?.[0] ?? "";
    i += ws.length;
    if (ws && !afterWord) return { char: " " };
    if (i >= src.length) return undefined;
    const m = /^\\([A-Za-z@]+|.)/s.exec(src.slice(i, i + 64));
    const tok = m ? m[0] : src[i];
    i += tok.length;
    afterWord = /^\\[A-Za-z@]/.test(tok);
    return resolve(tok, 0);
  };
  const a = read();
  const b = read();
  if (!a || !b) return undefined;
  const equal = "char" in a ? "char" in b && a.char === b.char : "cs" in b;
  // The branches: `\else` and `\fi` at this level (nested `\if…` counted).
  let depth = 0;
  let elseAt = -1;
  let elseEnd = -1;
  const re = /\\([A-Za-z@]+)/g;
  re.lastIndex = i;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const w = m[1];
    if (/^if/.test(w) && w !== "iff") depth++;
    else if (w === "else" && depth === 0 && elseAt < 0) {
      elseAt = m.index;
      elseEnd = re.lastIndex;
    } else if (w === "fi") {
      if (depth === 0) {
        // Spaces after a control word (`\else`, a compared `\relax`) are skipped; after a compared character they are a space.
        const skip = (t: string) => t.replace(/^[ \t\n]+/, "");
        const yes = src.slice(i, elseAt >= 0 ? elseAt : m.index);
        const branch = equal ? (afterWord ? skip(yes) : yes) : elseAt >= 0 ? skip(src.slice(elseEnd, m.index)) : "";
        return { branch, end: re.lastIndex };
      }
      depth--;
    }
  }
  return undefined;
}
