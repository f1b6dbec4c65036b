import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { TruthRow } from "./latex-eval";

/**
 * Ground truth for the LaTeX numbering evaluation (issue 12), made from the printed book and independent of the
 * tutor's parser: numbers come from the compiled book (the PDF's text, the .aux labels or the .toc), begin lines
 * from a plain line scan of the sources for the book's own openers (`\begin{thm}`, `\eoce{`), and the two are
 * paired in order, per printed name. Every count must agree, and each paired item that carries a `\label` is
 * checked against the number the .aux gives that label. The per-book recipe is truth-config.json.
 */
export const truthConfigSchema = z
  .object({
    /** The file pdflatex compiles, relative to the book folder. */
    main: z.string().min(1),
    compiler: z.enum(["pdflatex", "lualatex", "xelatex"]).default("pdflatex"),
    passes: z.number().int().min(1).max(5).default(2),
    /**
     * How the book pulls files in beyond `\input{x}` / `\include{x}` (handled always): a regex over a source line
     * and the files it stands for, `$1`… replaced by the groups and `$dir` by the folder of the file read. E.g.
     * `\includechapter{1}{ch_x}` → `ch_x/TeX/ch_x.tex` and `ch_x/TeX/review_exercises.tex`;
     * `\input{book/ch\currentchapter-sets/intro.tex}` in book/ch02-sets/_sets.tex → `$dir/intro.tex`.
     */
    includes: z.array(z.object({ re: z.string(), files: z.array(z.string()) })).default([]),
    /** Files never scanned (a cover page the main file inputs, an index). */
    skipFiles: z.array(z.string()).default([]),
    /** Line ranges never scanned: start regex → end regex (`\begin{comment}` … `\end{comment}`, `\iffalse` … `\fi`). */
    skipBlocks: z.array(z.object({ start: z.string(), end: z.string() })).default([]),
    /** Removed from .aux numbers before they are compared (Napkin's \theproblem adds $^{\star}$ after "1D"). */
    auxStrip: z.string().optional(),
    /** Whether the PDF text is taken with `pdftotext -layout` (one column books) or in reading order. */
    pdfLayout: z.boolean().default(true),
    items: z.array(
      z.object({
        /** Printed name: "Theorem", "Guided Practice", "Exercise" (the label is `${name} ${number}`). */
        name: z.string().min(1),
        /** Kind as the tutor names it: the lowercased printed name unless it maps onto a known kind. */
        kind: z.string().min(1),
        /** Regex over a comment-stripped source line where such an item begins; the first group, if any, is the opener's name. */
        begin: z.string(),
        /** The opener as the source writes it, for reports ("\\begin{thm}", "\\eoce"). */
        opener: z.string(),
        /** Files where this opener prints no number (a \chapter in the front matter): not counted there. */
        notIn: z.array(z.string()).default([]),
        /**
         * Where the printed numbers come from, in document order: a regex over the PDF's text lines whose first group
         * is the number, or a regex over the .aux label keys (every item labels itself, as OpenIntro's \eoce does),
         * or the .toc entries of a sectioning level.
         */
        numbers: z.union([
          /** `until`: stop at the first PDF line matching it (an appendix that repeats the numbers: hints, solutions). */
          /**
           * `sorted`: the heads are numbers alone ("2.1." in a two-column list of questions), which pdftotext may give
           * out of order: every distinct match, sorted, instead of the longest increasing run.
           */
          z.object({ pdf: z.string(), until: z.string().optional(), sorted: z.boolean().optional() }),
          z.object({ auxLabel: z.string() }),
          z.object({ toc: z.string() }),
        ]),
      }),
    ),
  })
  .strict();
export type TruthConfig = z.infer<typeof truthConfigSchema>;

export interface BeginPoint {
  name: string;
  file: string;
  line: number;
  /** The first `\label{…}` key of the item, when one follows within the item's first lines. */
  labelKey?: string;
}

/** Drops a TeX comment: from the first `%` not escaped by a backslash to the end of the line. */
export function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== "%") continue;
    let slashes = 0;
    for (let j = i - 1; j >= 0 && line[j] === "\\"; j--) slashes++;
    if (slashes % 2 === 0) return line.slice(0, i);
  }
  return line;
}

const INPUT_RE = /\\(?:input|include)\s*\{([^}]+)\}/g;

/** TeX looks a name up relative to the directory it runs in (the main file's), with `.tex` added when absent. */
function resolveTex(root: string, name: string): string | null {
  for (const c of [`${name}.tex`, name]) {
    const norm = path.posix.normalize(c);
    const full = path.join(root, norm);
    if (existsSync(full) && statSync(full).isFile()) return norm;
  }
  return null;
}

/**
 * Scans the book as TeX reads it — the main file, descending into `\input`/`\include` and the configured include
 * macros where they stand — and returns every line where an item (per `config.items`) begins, in reading order,
 * plus the order files were first opened (to compare with pdflatex's own `-recorder` list).
 */
export function scanBeginPoints(root: string, config: TruthConfig): { points: BeginPoint[]; fileOrder: string[] } {
  const points: BeginPoint[] = [];
  const fileOrder: string[] = [];
  const itemRes = config.items.map((it) => ({ name: it.name, re: new RegExp(it.begin), notIn: it.notIn }));
  const includeRes = config.includes.map((inc) => ({ re: new RegExp(inc.re, "g"), files: inc.files }));
  const skipBlocks = config.skipBlocks.map((b) => ({ start: new RegExp(b.start), end: new RegExp(b.end) }));
  const visit = (file: string, depth: number) => {
    if (depth > 20) throw new Error(`${file}: include depth over 20`);
    fileOrder.push(file);
    if (config.skipFiles.includes(file)) return;
    const lines = readFileSync(path.join(root, file), "utf8").split(/\r?\n/);
    let skipping: RegExp | null = null;
    for (let i = 0; i < lines.length; i++) {
      const line = stripComment(lines[i]);
      if (skipping) {
        if (skipping.test(line)) skipping = null;
        continue;
      }
      const block = skipBlocks.find((b) => b.start.test(line));
      if (block) {
        if (!block.end.test(line.replace(block.start, ""))) skipping = block.end;
        continue;
      }
      // Openers and includes on one line are taken in the order they stand.
      const events: { at: number; run: () => void }[] = [];
      for (const { name, re, notIn } of itemRes) {
        const m = notIn.includes(file) ? null : re.exec(line);
        if (m) events.push({ at: m.index, run: () => points.push({ name, file, line: i + 1, labelKey: findLabel(lines, i) }) });
      }
      for (const m of line.matchAll(INPUT_RE)) {
        const target = resolveTex(root, m[1].trim());
        if (target) events.push({ at: m.index, run: () => visit(target, depth + 1) });
      }
      for (const inc of includeRes) {
        for (const m of line.matchAll(inc.re)) {
          for (const pattern of inc.files) {
            const named = pattern.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? "").replace(/\$dir\b/g, path.posix.dirname(file));
            const target = resolveTex(root, named);
            if (target) events.push({ at: m.index + 0.5, run: () => visit(target, depth + 1) });
          }
        }
      }
      events.sort((a, b) => a.at - b.at).forEach((e) => e.run());
      // TeX stops reading the file at the end of the line that says \endinput.
      if (/\\endinput(?![A-Za-z])/.test(line)) break;
    }
  };
  visit(config.main, 0);
  return { points, fileOrder };
}

/**
 * The item's own `\label{key}`: the first one in its head (4 lines), unless a display or list comes first —
 * a label after `\begin{equation}` or `\item` names that, not the item.
 */
function findLabel(lines: string[], start: number): string | undefined {
  for (let i = start; i < Math.min(lines.length, start + 4); i++) {
    let line = stripComment(lines[i]);
    const inner = line.search(/\\begin\s*\{|\\\[|\\item\b|\$\$/);
    const label = /\\label\s*\{([^}]+)\}/.exec(line);
    if (i === start) {
      // On the opener's own line, skip the opener itself.
      const rest = line.replace(/^.*?\\begin\s*\{[^}]*\}/, "");
      const innerRest = rest.search(/\\begin\s*\{|\\\[|\\item\b|\$\$/);
      const labelRest = /\\label\s*\{([^}]+)\}/.exec(rest);
      if (labelRest && (innerRest < 0 || labelRest.index < innerRest)) return labelRest[1];
      if (innerRest >= 0) return undefined;
      continue;
    }
    if (label && (inner < 0 || label.index < inner)) return label[1];
    if (inner >= 0) return undefined;
    line = "";
  }
  return undefined;
}

/** `\newlabel{key}{{number}{page}…}` of every .aux file, in the order given. */
export function readAuxLabels(auxTexts: string[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const text of auxTexts) {
    for (const m of text.matchAll(/^\\newlabel\{([^}]+)\}\{\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/gm)) labels.set(m[1], m[2]);
  }
  return labels;
}

/** `\contentsline {level}{\numberline {number}…` of the .toc, in order. */
export function readTocNumbers(toc: string, level: string): string[] {
  const out: string[] = [];
  // \numberline{2.1} (book, report, KOMA) or \tocsection{}{2}{Title} (amsart and classes built on it).
  const re = /\\contentsline\s*\{(\w+)\}\{(?:\\numberline\s*\{([^}]*)\}|\\toc\w+\s*\{[^}]*\}\{([^}]+)\})/g;
  // An entry with an empty \numberline{} (a \chapter* added to the contents by hand) has no printed number.
  for (const m of toc.matchAll(re)) if (m[1] === level && (m[2] ?? m[3]).trim()) out.push(m[2] ?? m[3]);
  return out;
}

/** Number parts compared as printed: "2.10" after "2.9", "A.1" after "9.3", "1B" after "1A". */
export function compareNumbers(a: string, b: string): number {
  const parts = (s: string) => s.split(".").map((p) => {
    const m = /^(\d*)([A-Za-z]*)$/.exec(p);
    if (!m) return [Number.MAX_SAFE_INTEGER, p] as const;
    // An appendix letter alone ("A") sorts after every number.
    return m[1] === "" ? ([1_000_000 + m[2].charCodeAt(0), ""] as const) : ([Number(m[1]), m[2]] as const);
  });
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    if (pa[i][0] !== pb[i][0]) return pa[i][0] - pb[i][0];
    if (pa[i][1] !== pb[i][1]) return pa[i][1] < pb[i][1] ? -1 : 1;
  }
  return 0;
}

/**
 * The longest strictly increasing run of numbers in document order: what is left when a cross-reference that
 * happens to start a PDF line ("Lemma 2.1.4. Then …" in running text) is dropped. Heads of one printed name
 * increase through the book; references to earlier or later items break the order.
 */
export function longestIncreasing(numbers: string[]): string[] {
  const n = numbers.length;
  const len = new Array<number>(n).fill(1);
  const prev = new Array<number>(n).fill(-1);
  // O(n²) is fine: a few thousand heads per name at most.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (compareNumbers(numbers[j], numbers[i]) < 0 && len[j] + 1 > len[i]) {
        len[i] = len[j] + 1;
        prev[i] = j;
      }
    }
  }
  let best = 0;
  for (let i = 1; i < n; i++) if (len[i] > len[best]) best = i;
  const out: string[] = [];
  for (let i = n ? best : -1; i >= 0; i = prev[i]) out.push(numbers[i]);
  return out.reverse();
}

/**
 * Rejoins heads that pdftotext split over lines: a line that is only a printed name ("Question", "Problem")
 is glued to the next one, so "Question" + "32.3.4. Verify…" reads as one head.
 */
export function joinSplitHeads(lines: string[], names: string[]): string[] {
  const bare = new Set(names);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    while (bare.has(line.trim()) && i + 1 < lines.length) line = `${line.trim()} ${lines[++i].trim()}`;
    out.push(line);
  }
  return out;
}

/** The printed numbers of one item type, in document order, from the PDF text, the .aux or the .toc. */
export function printedNumbers(
  item: TruthConfig["items"][number],
  sources: { pdfLines: string[]; auxInOrder: [string, string][]; toc: string },
): string[] {
  const spec = item.numbers;
  if ("pdf" in spec) {
    const re = new RegExp(spec.pdf);
    const until = spec.until === undefined ? null : new RegExp(spec.until);
    const found: string[] = [];
    for (const line of sources.pdfLines) {
      if (until?.test(line)) break;
      const m = re.exec(line);
      if (m) found.push(m[1]);
    }
    return spec.sorted ? [...new Set(found)].sort(compareNumbers) : longestIncreasing(found);
  }
  if ("auxLabel" in spec) {
    const re = new RegExp(spec.auxLabel);
    return sources.auxInOrder.filter(([key]) => re.test(key)).map(([, number]) => number);
  }
  return readTocNumbers(sources.toc, spec.toc);
}

/** Pairs begin points with printed numbers per printed name; a count that differs is an error naming both counts. */
export function pairTruth(config: TruthConfig, points: BeginPoint[], numbersByName: Map<string, string[]>): { rows: TruthRow[]; problems: string[] } {
  const problems: string[] = [];
  const rows: TruthRow[] = [];
  const cursor = new Map<string, number>();
  for (const item of config.items) {
    const have = points.filter((p) => p.name === item.name).length;
    const printed = numbersByName.get(item.name) ?? [];
    if (have !== printed.length) problems.push(`${item.name}: ${have} begin points in the sources, ${printed.length} printed numbers`);
  }
  for (const p of points) {
    const item = config.items.find((it) => it.name === p.name)!;
    const k = cursor.get(p.name) ?? 0;
    cursor.set(p.name, k + 1);
    const number = numbersByName.get(p.name)?.[k];
    if (number === undefined) continue;
    // A chapter lettered A, B, … comes after \appendix, which prints it (and hyperref and cleveref name it) "Appendix A".
    const name = item.kind === "chapter" && /^[A-Z]$/.test(number) ? "Appendix" : item.name;
    rows.push({ label: `${name} ${number}`, kind: item.kind, name: item.name, number, file: p.file, line: p.line, opener: item.opener });
  }
  return { rows, problems };
}

/**
 * The .aux labels in document order: the main .aux, descending into `\@input{chapter.aux}` where it stands
 * (`\include` writes one .aux per file).
 */
export function readAuxInOrder(buildDir: string, mainAux: string): [string, string][] {
  const out: [string, string][] = [];
  const visit = (file: string) => {
    const full = path.join(buildDir, file);
    if (!existsSync(full)) return;
    for (const line of readFileSync(full, "utf8").split("\n")) {
      const inc = /^\\@input\{([^}]+)\}/.exec(line);
      if (inc) visit(inc[1]);
      else for (const [key, number] of readAuxLabels([line])) out.push([key, number]);
    }
  };
  visit(mainAux);
  return out;
}

/** Each paired item with a `\label` in its head, checked against the number the .aux gives that label. */
export function checkAgainstAux(rows: TruthRow[], points: BeginPoint[], aux: Map<string, string>, strip?: string): { checked: number; disagree: string[] } {
  const decoration = strip === undefined ? null : new RegExp(strip, "g");
  const byPlace = new Map(points.map((p) => [`${p.file}:${p.line}:${p.name}`, p]));
  let checked = 0;
  const disagree: string[] = [];
  for (const row of rows) {
    const key = byPlace.get(`${row.file}:${row.line}:${row.name}`)?.labelKey;
    const raw = key === undefined ? undefined : aux.get(key);
    const number = raw === undefined || !decoration ? raw : raw.replace(decoration, "");
    if (number === undefined) continue;
    checked++;
    if (number !== row.number) disagree.push(`${row.file}:${row.line} ${row.label}: its \\label{${key}} is ${number} in the .aux`);
  }
  return { checked, disagree };
}
