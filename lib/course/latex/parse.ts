/**
 * The LaTeX path, pass by pass (each a module of this folder):
 *
 * 1. files (`files.ts`) — the main file and what it `\input`s, each file read once, in TeX's order;
 * 2. macros and conditionals (`macros.ts`, `conditionals.ts`) — applied to each file's text as it is
 *    read: false `\if…` branches blanked, the course's structural macros expanded;
 * 3. numbers (`numbering.ts`) — the derived counters, or the engine's trace where there is one
 *    (`settleNumbers`); what the trace numbered and the walk did not find becomes a block
 *    (`traced-blocks.ts`);
 * 4. blocks (`tree.ts` ← `environments.ts` ← `lists.ts` ← `blocks.ts`) — headings, items, lists,
 *    proofs, code, paragraphs, labels;
 * 5. text (`text.ts`) — references resolved, each block's text read from its source range.
 *
 * Whatever the passes could not follow is a diagnostic with file:line (`diagnostics.ts`).
 */
import { toKatexMacros, type KatexMacros } from "../latex-macros";
import { PrintedContext } from "../latex-text";
import type { ParsedFile, ParseInput, SectionNode } from "../types";
import { BlockPass } from "./blocks";
import { Diagnostics } from "./diagnostics";
import { SourceSet } from "./files";
import { MacroTable } from "./macros";
import { DerivedNumbering, settleNumbers, type LatexLabel, type NumberedItem, type TracedNumber } from "./numbering";
import { finishText } from "./text";
import { TracedBlocks } from "./traced-blocks";

export type { LatexLabel, NumberedItem, TracedNumber };

/** `ParsedFile` plus the document's label table (what pdflatex writes to the .aux files). */
export interface LatexParseResult extends ParsedFile {
  labels: Record<string, LatexLabel>;
  /** Every numbered item with the counter that numbered it and where (what a trace is matched against). */
  numbered: NumberedItem[];
  /** How the numbers were settled: "derived", or "engine" when a trace was given. */
  numbers: "derived" | "engine";
  /** The document's own math macros for KaTeX. */
  macros: KatexMacros;
  /** Image files the document shows, relative to the course root. */
  figures: string[];
}

export interface LatexParseOptions {
  /** Counter steps recorded by a real TeX run; when given, they settle the printed numbers. */
  trace?: TracedNumber[];
  /** The page of each `\label` in that TeX run (what `\pageref` prints; "??" without it, as TeX's first run). */
  labelPages?: Map<string, string>;
}

/**
 * Parses a LaTeX course from its main file (`input.file`), following `\input`/`\include`/
 * `\subfile`/`\import` in order, and returns chapters with LaTeX's own numbering, diagnostics and
 * the label table. Never throws for bad input.
 */
export function parseLatexDetailed(input: ParseInput, options: LatexParseOptions = {}): LatexParseResult {
  const diags = new Diagnostics();
  const macros = new MacroTable();
  const num = new DerivedNumbering(diags);
  if (options.labelPages) num.labelPages = options.labelPages;
  const printed = new PrintedContext(input.file.includes("/") ? input.file.slice(0, input.file.lastIndexOf("/")) : "", input.fileExists, num.userEnvs);
  const sources = new SourceSet(input.readText, macros, diags, printed);
  const pass = new BlockPass(input, sources, num, diags, macros);
  try {
    pass.run();
  } catch (e) {
    diags.add("error", input.file, 1, `internal error while parsing LaTeX: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    pass.finishFlow();
    const traced = new TracedBlocks(pass, sources, num, macros);
    const settled = settleNumbers(num.numbered, options.trace, diags, num.labels, (t) => traced.adopt(t));
    traced.finish(diags);
    finishText(pass, diags);
    checkMissing(pass.chapters, input.file, diags, options.trace ? settled.unplaced : undefined);
  } catch (e) {
    diags.add("error", input.file, 1, `internal error while finishing LaTeX parse: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const [key, u] of macros.undecided) {
    diags.add("warning", u.file, u.line, `${key}: the test is not one of the known booleans (\\newboolean, \\newtoggle, \\newbool); both branches are read as text (${u.uses} use${u.uses === 1 ? "" : "s"})`, false);
  }
  checkOutcome(pass.chapters, input.file, diags);
  const labels: Record<string, LatexLabel> = {};
  for (const [k, v] of num.labels) labels[k] = v;
  const files = sources.files.length ? sources.files : [input.file];
  let diagnostics = diags.sorted(files);
  // With the engine's numbers in, what the source parse could not follow costs no numbers any more.
  if (options.trace) diagnostics = diagnostics.map((d) => ({ ...d, message: d.message.replace(/ — install TeX for (exact numbers|the branch it takes)$/, " (numbers from the TeX run)") }));
  return {
    chapters: pass.chapters,
    diagnostics,
    files,
    labels,
    numbered: num.numbered,
    numbers: options.trace ? "engine" : "derived",
    macros: toKatexMacros(printed.macros.values()),
    figures: printed.figures.files(),
  };
}

/**
 * Loud warnings for a parse that looks lost: headings but no numbered items, or numbers that start
 * at 0 (the chapters were never seen, so every section is "0.x").
 */
function checkOutcome(chapters: SectionNode[], main: string, diags: Diagnostics): void {
  let headings = 0;
  let chaptersNumbered = 0;
  let items = 0;
  let zero: { file: string; line: number; label: string } | undefined;
  let zeros = 0;
  const visit = (n: SectionNode) => {
    if (n.number) headings++;
    if (n.number && n.kind === "chapter") chaptersNumbered++;
    if (/^0(\.|$)/.test(n.number)) {
      zeros++;
      zero ??= { file: n.source.file, line: n.source.line, label: n.label };
    }
    for (const b of n.blocks) {
      if (!b.number) continue;
      items++;
      if (/^0\./.test(b.number)) {
        zeros++;
        zero ??= { file: b.source.file, line: b.source.line, label: b.label ?? b.number };
      }
    }
    n.children.forEach(visit);
  };
  chapters.forEach(visit);
  // A handful of headings without items is a short text; a book-sized outline without any is a parse that lost them.
  if (headings >= 5 && items === 0) {
    // lost only when something that numbers items was not followed (a box, an environment, a \read loop); notes
    // that declare no theorem-like environment or numbered exercise simply number their headings
    const unread = ["box:", "env:", "read:"].flatMap((k) => diags.unknownsOf(k));
    if (unread.length) diags.add("warning", main, 1, `NO NUMBERED ITEMS: ${headings} numbered headings were read but not one definition, theorem, example or exercise — the notes' own environments or macros were not understood (see the warnings above); install TeX for exact numbers`, false);
    else diags.add("warning", main, 1, `${headings} numbered headings and no numbered definition, theorem, example or exercise: the notes declare none (no \\newtheorem, no environment or command that steps a counter), so students cite their headings, figures, tables and equations`, false);
  }
  // A section in an unnumbered chapter is "0.1" in LaTeX too (a preface); lost chapters leave nothing else.
  if (zero && zeros >= 3 && chaptersNumbered === 0) {
    diags.add("warning", zero.file, zero.line, `NUMBERS START AT 0: ${zeros} labels like "${zero.label}" — the chapters (or sections) they belong to were not seen, so their numbers are wrong; check how chapters begin (a macro, a \\chapter inside a conditional)`, false);
  }
}

/**
 * One loud warning for the course when many numbered items may be missing: the box macros and environments
 * the parser could not follow (each already reported once with its cost) and `\read` loops, against what was
 * found — or, with TeX, the items TeX numbered that could not be placed in the text.
 */
function checkMissing(chapters: SectionNode[], main: string, diags: Diagnostics, unplaced: number | undefined): void {
  let items = 0;
  const visit = (n: SectionNode) => {
    items += n.blocks.filter((b) => b.number).length;
    n.children.forEach(visit);
  };
  chapters.forEach(visit);
  if (unplaced !== undefined) {
    // with TeX the numbers are the engine's: only what it numbered and the text could not hold is missing
    if (unplaced >= 5 && unplaced >= 0.02 * (items + unplaced)) {
      diags.add("warning", main, 1, `ITEMS NOT PLACED: TeX numbered ${unplaced} items in files or at lines the source parse did not read (see the warnings "TeX numbered … here"); they cannot be cited`, false);
    }
    return;
  }
  const costs = [...diags.unknownsOf("box:"), ...diags.unknownsOf("env:")].sort((a, b) => b.uses - a.uses);
  const reads = diags.unknownsOf("read:");
  const missing = costs.reduce((n, c) => n + c.uses, 0);
  const name = (key: string) => (key.startsWith("env:") ? `\\begin{${key.slice(4)}}` : `\\${key.slice(4)}`);
  if ((missing >= 5 && missing >= 0.1 * items) || reads.length) {
    const what = [
      ...costs.slice(0, 4).map((c) => `${name(c.key)} (${c.uses} use${c.uses === 1 ? "" : "s"})`),
      ...reads.map((r) => `${name(r.key.replace(/^read:/, "box:"))} (a \\read loop, ${r.uses} use${r.uses === 1 ? "" : "s"})`),
    ];
    if (!missing && items >= 20 * reads.length) return; // a small \read loop beside a book of found items
    diags.add("warning", main, 1, `ITEMS MAY BE MISSING: ${items} numbered items found, but the parser could not follow ${what.join(", ")}${costs.length > 4 ? " and more" : ""} — each is a warning at its definition; install TeX (pdflatex) for exact numbers`, false);
  }
}

/** Parses a LaTeX course main file into the common `ParsedFile` shape (see `parseLatexDetailed`). */
export function parseLatex(input: ParseInput): ParsedFile {
  const { chapters, diagnostics, files, macros, figures } = parseLatexDetailed(input);
  return { chapters, diagnostics, files, ...(Object.keys(macros).length ? { macros } : {}), ...(figures.length ? { figures } : {}) };
}
