import { z } from "zod";

/**
 * Scores what the tutor's ingest found in a LaTeX book against the book's printed truth
 * (tests/eval/latex-books/<name>/truth.jsonl, made by scripts/latex-books-truth.ts from the compiled PDF).
 * Issue 12's targets: ≥ 99 % of numbered items with the printed number and the begin line within 3 (with TeX),
 * ≥ 90 % without TeX and every miss covered by a warning that names its cause.
 */
export const truthRowSchema = z.object({
  label: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().min(1),
  number: z.string().min(1),
  file: z.string().min(1),
  line: z.number().int().positive(),
  opener: z.string().min(1),
});
export type TruthRow = z.infer<typeof truthRowSchema>;

/** One numbered thing the ingest produced (a heading or an item), as `listItems` flattens it. */
export interface FoundItem {
  kind: string;
  label: string;
  number: string;
  file: string;
  line: number;
}

export interface FoundDiagnostic {
  severity: "warning" | "error";
  file: string;
  line: number;
  message: string;
}

export const HEADING_KINDS = new Set(["chapter", "section", "subsection"]);
/** How far the found begin line may be from the printed item's begin line. */
export const LINE_TOLERANCE = 3;

export type Verdict = "exact" | "far" | "wrong-number" | "missing";

export interface RowResult {
  row: TruthRow;
  verdict: Verdict;
  /** For "far": where the item was found; for "wrong-number": what was found at the place. */
  found?: FoundItem;
  /** A miss (anything but exact) that a diagnostic names: at the item's place, or naming its opener. */
  covered: boolean;
  coveredBy?: FoundDiagnostic;
}

export interface Tally {
  truth: number;
  /** Found under the printed label. */
  rightNumber: number;
  /** Found under the printed label with the begin line within LINE_TOLERANCE in the same file. */
  exact: number;
  /** An item at the place (file, line ± tolerance) under another label. */
  wrongNumber: number;
  missing: number;
  /** Found labels the book does not print (other than those counted as a wrong number). */
  extra: number;
  /** Misses (truth − exact) that a diagnostic covers. */
  missesCovered: number;
}

export interface BookScore {
  items: Tally;
  headings: Tally;
  byName: Record<string, { truth: number; exact: number }>;
  rows: RowResult[];
  extras: FoundItem[];
}

/**
 * "Exercise  2.1.6" / "exercise 2.1.6" / "Exercise 2–1" compare equal when printed alike; a decoration after the
 * number (Napkin's "Problem 1D⋆", "1F†", or as TeX writes it, "1D$^{\star }$") is not part of it.
 */
export function normalizeLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/\$\^\{\\(?:star|dagger)\s*\}\$|[⋆†*]+$/g, "")
    .replace(/[\u2013\u2014]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

/** The name a warning would use for an opener: `\begin{thm}` → "thm", `\eoce` → "eoce". */
export function openerName(opener: string): string {
  const env = /\\begin\s*\{([^}]+)\}/.exec(opener);
  return (env ? env[1] : opener.replace(/^\\/, "")).trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function emptyTally(): Tally {
  return { truth: 0, rightNumber: 0, exact: 0, wrongNumber: 0, missing: 0, extra: 0, missesCovered: 0 };
}

/**
 * Compares truth rows with what was found. A row is exact when an item carries its printed label and begins
 * within LINE_TOLERANCE lines of it in the same file; "far" when the label is found elsewhere; "wrong-number"
 * when something numbered sits at its place under another label; else missing. A miss is covered when a
 * diagnostic sits at its place or names its opener (`thm`, `\eoce`) — the cause a reader needs.
 */
export function scoreBook(truth: TruthRow[], found: FoundItem[], diagnostics: FoundDiagnostic[]): BookScore {
  const byLabel = new Map<string, FoundItem[]>();
  for (const f of found) {
    const key = normalizeLabel(f.label);
    byLabel.set(key, [...(byLabel.get(key) ?? []), f]);
  }
  const near = (a: { file: string; line: number }, b: { file: string; line: number }) =>
    a.file === b.file && Math.abs(a.line - b.line) <= LINE_TOLERANCE;
  const rows: RowResult[] = [];
  const score: BookScore = { items: emptyTally(), headings: emptyTally(), byName: {}, rows, extras: [] };
  for (const row of truth) {
    const tally = HEADING_KINDS.has(row.kind) ? score.headings : score.items;
    tally.truth++;
    const named = byLabel.get(normalizeLabel(row.label)) ?? [];
    let result: RowResult;
    const at = named.find((f) => near(f, row));
    if (at) result = { row, verdict: "exact", found: at, covered: false };
    else if (named.length) result = { row, verdict: "far", found: named[0], covered: false };
    else {
      const here = found.find((f) => near(f, row) && HEADING_KINDS.has(f.kind) === HEADING_KINDS.has(row.kind));
      result = here ? { row, verdict: "wrong-number", found: here, covered: false } : { row, verdict: "missing", covered: false };
    }
    if (result.verdict !== "exact") {
      // The opener named as such — \eoce, "rmk", {thm}, `lem` — not a word that merely contains it ("topology-definition-x").
      const name = new RegExp(`(\\\\|["'{\`])${escapeRegExp(openerName(row.opener))}(["'}\`]|(?![A-Za-z*]))`);
      const by = diagnostics.find((d) => near(d, row)) ?? diagnostics.find((d) => name.test(d.message));
      if (by) Object.assign(result, { covered: true, coveredBy: by });
    }
    rows.push(result);
    if (result.verdict === "exact" || result.verdict === "far") tally.rightNumber++;
    if (result.verdict === "exact") tally.exact++;
    if (result.verdict === "wrong-number") tally.wrongNumber++;
    if (result.verdict === "missing") tally.missing++;
    if (result.verdict !== "exact" && result.covered) tally.missesCovered++;
    const byName = (score.byName[row.name] ??= { truth: 0, exact: 0 });
    byName.truth++;
    if (result.verdict === "exact") byName.exact++;
  }
  const printed = new Set(truth.map((r) => normalizeLabel(r.label)));
  // An item counted as a wrong number is not counted again as an extra.
  const misnumbered = new Set(rows.filter((r) => r.verdict === "wrong-number").map((r) => r.found));
  const truthKinds = new Set(truth.map((r) => r.kind));
  for (const f of found) {
    // Subsections are counted only when the truth lists them (the truth covers chapters and sections).
    if (HEADING_KINDS.has(f.kind) && !truthKinds.has(f.kind)) continue;
    // An unnumbered chapter (Preface) is not a numbered thing the book could print differently.
    if (!f.number) continue;
    if (printed.has(normalizeLabel(f.label)) || misnumbered.has(f)) continue;
    score.extras.push(f);
    (HEADING_KINDS.has(f.kind) ? score.headings : score.items).extra++;
  }
  return score;
}

/** Parses a truth.jsonl; a bad line is an error naming it. */
export function parseTruth(text: string, file: string): TruthRow[] {
  return text
    .split("\n")
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim())
    .map(({ line, i }) => {
      let data: unknown;
      try {
        data = JSON.parse(line);
      } catch (e) {
        throw new Error(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
      }
      const r = truthRowSchema.safeParse(data);
      if (!r.success) throw new Error(`${file}:${i + 1}: ${r.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
      return r.data;
    });
}

export function percent(part: number, whole: number): string {
  return whole ? `${((100 * part) / whole).toFixed(1)} %` : "–";
}
