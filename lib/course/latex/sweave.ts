/**
 * Sweave / knitr `.Rnw` notes: LaTeX with R code chunks (`<<name, opts>>=` … `@`) and inline `\Sexpr{…}`.
 * R code is not LaTeX (`%in%` is not a comment, `x$y` opens no math), so before anything reads an .Rnw file
 * as LaTeX its chunks become `verbatim` blocks and each `\Sexpr{…}` inline code, line for line (every line
 * keeps its number, so file:line stays exact for the parser and for the TeX trace alike). A chunk the book
 * does not show (`echo=FALSE`, `include=FALSE`) prints no code: its lines are left blank. What R would
 * compute (a chunk's output, an `\Sexpr`'s value) is not known here: the code stands in for it.
 */

/** File names Sweave and knitr read as LaTeX with R chunks. */
export const SWEAVE_FILE_RE = /\.(rnw|snw|stex|rtex)$/i;

/** A chunk's opening line (knitr's `all_patterns$rnw$chunk.begin`) and its end (`chunk.end`). */
const CHUNK_BEGIN = /^\s*<<(.*)>>=.*$/;
const CHUNK_END = /^\s*@\s*(%+.*|)$/;

/** Whether `file` is read as Sweave. */
export function isSweaveFile(file: string): boolean {
  return SWEAVE_FILE_RE.test(file);
}

/** `echo=FALSE`, `include = F`: chunk options that keep the code out of the printed book. */
function hidesCode(options: string): boolean {
  return /(?:^|,)\s*(?:echo|include)\s*=\s*(?:FALSE|F)\s*(?:,|$)/.test(options);
}

/** Characters `\texttt` cannot take as they are, and how to write them. */
const TT_ESCAPES: Record<string, string> = {
  "\\": "\\textbackslash{}",
  "{": "\\{",
  "}": "\\}",
  $: "\\$",
  "&": "\\&",
  "#": "\\#",
  _: "\\_",
  "%": "\\%",
  "^": "\\^{}",
  "~": "\\~{}",
};

/** `\Sexpr{expr}` → `\texttt{expr}` (escaped); braces inside the expression are balanced as R writes them. */
function replaceSexprs(line: string): string {
  let out = "";
  let i = 0;
  for (;;) {
    const k = line.indexOf("\\Sexpr", i);
    if (k < 0) return out + line.slice(i);
    let j = k + "\\Sexpr".length;
    while (line[j] === " ") j++;
    if (line[j] !== "{") {
      out += line.slice(i, j);
      i = j;
      continue;
    }
    let depth = 0;
    let end = -1;
    for (let p = j; p < line.length; p++) {
      if (line[p] === "{") depth++;
      else if (line[p] === "}" && --depth === 0) {
        end = p;
        break;
      }
    }
    if (end < 0) return out + line.slice(i); // not closed on its line: left to the LaTeX reader to report
    const code = line.slice(j + 1, end).replace(/[\\{}$&#_%^~]/g, (c) => TT_ESCAPES[c]);
    out += `${line.slice(i, k)}\\texttt{${code}}`;
    i = end + 1;
  }
}

/**
 * The LaTeX a Sweave/knitr file stands for, line for line: code chunks as `verbatim` (hidden ones blank),
 * `\Sexpr{…}` as `\texttt{…}`, `\SweaveOpts{…}` gone (`\SweaveInput` and knitr child documents are not followed). A chunk still open at the end of
 * the file is closed there and reported (`unclosed`, 1-based line of its opening).
 */
export function sweaveToLatex(text: string): { text: string; chunks: number; unclosed?: number } {
  const lines = text.split("\n");
  let open: { line: number; hidden: boolean } | undefined;
  let chunks = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const begin = CHUNK_BEGIN.exec(line);
    if (begin) {
      // a new chunk ends the one before (Sweave's rule)
      const hidden = hidesCode(begin[1]);
      if (open && !open.hidden) lines[i] = `\\end{verbatim}${hidden ? "" : "\\begin{verbatim}"}`;
      else lines[i] = hidden ? "" : "\\begin{verbatim}";
      open = { line: i + 1, hidden };
      chunks++;
      continue;
    }
    if (open) {
      if (CHUNK_END.test(line)) {
        lines[i] = open.hidden ? "" : "\\end{verbatim}";
        open = undefined;
      } else if (open.hidden) lines[i] = "";
      // verbatim ends at the first "\end{verbatim}": R code that writes it would end the block early
      else lines[i] = line.replace(/\\end\s*\{verbatim\}/g, "\\end{verbatim }");
      continue;
    }
    lines[i] = replaceSexprs(line).replace(/\\SweaveOpts\s*\{[^{}]*\}/g, "");
  }
  let unclosed: number | undefined;
  if (open) {
    unclosed = open.line;
    if (!open.hidden) lines[lines.length - 1] = `${lines[lines.length - 1]}\\end{verbatim}`;
  }
  return { text: lines.join("\n"), chunks, ...(unclosed !== undefined ? { unclosed } : {}) };
}
