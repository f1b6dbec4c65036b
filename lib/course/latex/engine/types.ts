/**
 * The TeX engine's view of a LaTeX course — the shapes an integrator needs (read this file, not the modules).
 *
 *   traceLatex({ root, main, timeoutMs })           → TraceResult    (trace-latex.ts)
 *   numberedItemsFromTrace(result.records)          → NumberedItem[] (numbered-items.ts)
 *   findTexEngine()                                 → { engine } | { engine: null, reason } (find-engine.ts)
 *
 * `traceLatex` compiles the course's main file in a temporary copy with the real engine (no shell escape,
 * nonstop, graphics in draft mode, a hard time limit; a second run for cross-references only when asked: the
 * trace resolves them itself) with an
 * instrumentation layer (instrumentation.ts) that records, as TeX does it, every counter step, heading,
 * environment begin/end, box-macro definition and call, theorem head, `\label` and list `\item`, each with the
 * file and line TeX was reading. The temporary copy is always removed.
 *
 * Locations: `file` is relative to the course root (POSIX), `inCourse: true`; a step TeX made while reading a
 * file of its own (a class, a package) has `inCourse: false` and the file name as TeX found it ("book.cls").
 * `line` is TeX's `\inputlineno`: for a macro with arguments that is where TeX finished reading them — which is
 * why a box macro's call is recorded separately, where it begins.
 *
 * Text fields come in two forms: `…Tex` is the detokenised TeX exactly as the trace has it (a box macro's body,
 * a title with its macros); the other is plain printed text ("(a)", "Exercise⋆", "2.1.6").
 */

export interface TraceWhere {
  /** Position in the trace (0-based, file order = TeX's reading order). */
  seq: number;
  file: string;
  line: number;
  inCourse: boolean;
}

/**
 * One record of the trace. `type`:
 * - `step`: a counter stepped. `via` says which command: `\refstepcounter` (sets `\label` text; theorem-like
 *   environments, captions, equations, sectioning) or a bare `\stepcounter`. `value` is the counter's value,
 *   `printed` its `\the<counter>` ("2.1"), `currentLabel` what `\label` would now print (refstepcounter only,
 *   with `\p@<counter>` prefix). `env` is the innermost environment (`document` outside any), `macro` the box
 *   macro whose call led to the step (see `macro` records), or "".
 *   Resets of dependent counters and the inner steps of one command are not recorded; list counters stepped
 *   by `\item` appear as `item` records instead.
 * - `heading`: a sectioning command (`level` "chapter", "section", …; also through user wrappers such as
 *   `\Chapter`, and titlesec's), recorded before TeX numbers it: when it is numbered, the very next record is the
 *   `step` of the counter named `level`. `starred` for `\section*` (unnumbered chapters in front matter are
 *   not starred but have no step). `line` is where the command began, even when its title runs over lines.
 *   `title` is printed text with macros expanded ("Exercises \thesection" → "Exercises 2.1"), `titleTex` as written.
 * - `begin` / `end`: `\begin{env}` / `\end{env}` (also `\end {env}`), where TeX read them.
 * - `macro`: a `\newcommand` (or `\renewcommand`, `\newenvironment`'s begin code) was defined: its name and body.
 *   `steps`: the body steps a counter and the name has no @ — a box macro, whose printed name is in its body
 *   ("…\textbf {Definition \thedefinitioncounter : #1}…") or in a helper it calls (`\exampletitle{\theexample}`).
 * - `call`: a box macro was called (line = where the call begins).
 * - `envdef`: the first step inside an environment: the environment's definition (`\meaning`), for its name.
 * - `theorem`: a theorem head was typeset (kernel `\newtheorem` or amsthm): printed `name` ("Exercise⋆"),
 *   `number`, environment.
 * - `label`: `\label{key}` with `printed` = `\@currentlabel` then.
 * - `item`: a list `\item`: printed `label` ("(a)", "6."), the list environment, `depth` (1 = outermost list),
 *   `auto` when the list made the label (`\item` without `[…]`), `counter` of a numbered list ("enumi", "subexi") or "".
 * - `file-begin`: TeX starts reading a file (line 1 of it) — `file-end` when it is done (line unknown: 0).
 * - `document`: `\begin{document}` has run (the late hooks are in place). `finished`: the end of the document
 *   was reached, with the number of `pages` shipped out (the printed book's length) — absent when TeX stopped early.
 */
export type TraceRecord =
  | (TraceWhere & {
      type: "step";
      via: "refstepcounter" | "stepcounter";
      counter: string;
      value: number;
      printed: string;
      currentLabel: string;
      env: string;
      macro: string;
    })
  | (TraceWhere & { type: "heading"; level: string; starred: boolean; title: string; titleTex: string })
  | (TraceWhere & { type: "begin"; env: string })
  | (TraceWhere & { type: "end"; env: string })
  | (TraceWhere & { type: "macro"; name: string; steps: boolean; bodyTex: string })
  | (TraceWhere & { type: "call"; name: string })
  | (TraceWhere & { type: "envdef"; env: string; meaningTex: string })
  | (TraceWhere & { type: "theorem"; name: string; nameTex: string; number: string; env: string })
  | (TraceWhere & { type: "label"; key: string; printed: string })
  | (TraceWhere & { type: "item"; label: string; env: string; depth: number; auto: boolean; counter: string })
  | (TraceWhere & { type: "file-begin" })
  | (TraceWhere & { type: "file-end" })
  | (TraceWhere & { type: "document" })
  | (TraceWhere & { type: "finished"; pages?: number });

export type TraceRecordType = TraceRecord["type"];

/** A TeX error from the log, at the file and line TeX reports (`-file-line-error`). */
export interface TexError {
  /** Relative to the course root when the file is the course's; else as TeX names it; "" when TeX gave none. */
  file: string;
  line: number;
  /** "Undefined control sequence.", "LaTeX Error: File 'private.sty' not found." */
  message: string;
  /** TeX's context line: the input up to where it stopped ("\privatebox"), when it printed one. */
  context?: string;
}

export interface TraceResult {
  /**
   * True when TeX reached the end of the document within the time limit. Errors TeX went on past (a missing
   * private .sty, an undefined macro) leave `ok` true and are listed in `errors`.
   */
  ok: boolean;
  engine: { command: string; kind: "pdflatex" | "lualatex"; version: string };
  /** The trace of the last run (the second when `maxRuns: 2` and LaTeX asked to rerun for cross-references). */
  records: TraceRecord[];
  /** First error first. When `ok` is false the first one says why (a fatal TeX error, or the time limit). */
  errors: TexError[];
  /** Wall-clock seconds, all runs and the copy included. */
  seconds: number;
  /** CPU seconds TeX itself used, all runs (Linux; undefined where the OS does not say) — what load on the machine does not inflate. */
  texCpuSeconds?: number;
  /** Pages the book has (shipped out by the last run); undefined when TeX did not finish. */
  pages?: number;
  /** The page each `\label` is on (the run's .aux: what `\pageref` prints); empty when TeX wrote no .aux. */
  labelPages: Map<string, string>;
  /** How many times TeX ran (1, or 2 with `maxRuns: 2` when LaTeX asked). */
  runs: number;
  /** Trace lines that could not be read (should be 0; kept to make a format problem visible). */
  unreadLines: number;
}

/**
 * A numbered thing as the printed book shows it.
 * - `kind`: lower-case printed kind: "definition", "key idea", "exercise", "theorem", "equation", "figure", and
 *   for headings "chapter", "section", "subsection", …
 * - `name`: the printed name ("Definition", "Key Idea", "Exercise⋆"); `label` = kind capitalised as printed
 *   + number ("Key Idea 4", "Exercise 2.1.6"; a starred variant is cited as its plain kind).
 * - `number`: as printed ("14", "2.1.6", "1.1").
 * - `counter`: the LaTeX counter that was stepped ("definitioncounter"; for list exercises the list's
 *   counter, e.g. "enumi").
 * - `via`: how it was numbered — an environment (`env`), a box macro (`macro`), a sectioning command, an
 *   `\item` of an exercise list under an unnumbered heading such as "Exercises 2.1" (`heading` names it), or a
 *   bare counter step in the text.
 * - `file`, `line`: where it begins (`\begin`, the macro call, the heading, the `\item` — or line 1 of the file
 *   an item `\input`s right away, as a `\read` loop does); `endLine`: where it ends (`\end`; for a box macro the
 *   end of its arguments; for a heading the last traced line before the next heading of its level or above in
 *   the same file; for a list exercise the line before the next item or the list's end).
 * - `labels`: the `\label` keys that print this item's number.
 * - `parts`: the printed labels of its sub-items ("a", "b") when it has a list of parts.
 */
export interface NumberedItem {
  kind: string;
  name: string;
  label: string;
  number: string;
  counter: string;
  via: "environment" | "macro" | "heading" | "list-item" | "step";
  env?: string;
  macro?: string;
  /** For list exercises: the printed title of the heading they sit under ("Exercises 2.1"). */
  heading?: string;
  /** Heading titles. */
  title?: string;
  file: string;
  line: number;
  endLine: number;
  /** For an item located in a file a `\read` loop inputs: the `\item` (the macro call) that read it. */
  from?: { file: string; line: number };
  labels: string[];
  parts: string[];
}
