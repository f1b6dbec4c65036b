/**
 * The exercise solutions policy at read time (issue 16 part 4): which exercises' solutions (and, for
 * `hidden`, hints) are withheld now, what a student is told instead, and the course text with those blocks
 * taken out. Pure and client-safe: the store's readers apply it (lib/store/read.ts), the tutor words its
 * notice and prompt rule with it (lib/tutor/answer.ts).
 *
 * The policy travels in the store as the per-exercise result of course.json's `solutions` (lib/policy/
 * solutions.ts resolves chapter/section/default rules at ingest); only the release dates are decided here,
 * at each read, so a solution appears on its day without a new ingest.
 */

/** What the instructor lets students see of an exercise's worked solution. */
export const SOLUTION_MODES = ["open", "hints-only", "hidden"] as const;
export type SolutionMode = (typeof SOLUTION_MODES)[number];

/** One exercise's effective rule, as stored (open exercises are not stored). */
export interface ExerciseRule {
  solutions: Exclude<SolutionMode, "open">;
  /** ISO date (YYYY-MM-DD, UTC): from that day on the exercise is open. */
  release?: string;
  /** The course.json key the rule came from ("Section 2.1", "default"), for `ingest --check`. */
  from: string;
}

/** Exercise label → its rule, for every exercise whose solutions are not open. */
export type ExercisePolicies = Record<string, ExerciseRule>;

/** The rules still in force at `now`: those without a release date or whose date has not come. */
export function activeRules(policies: ExercisePolicies | null | undefined, now: Date = new Date()): Map<string, ExerciseRule> {
  const out = new Map<string, ExerciseRule>();
  for (const [label, rule] of Object.entries(policies ?? {})) if (!isReleased(rule, now)) out.set(label, rule);
  return out;
}

/** True once the rule's release day (UTC) has begun. */
export function isReleased(rule: Pick<ExerciseRule, "release">, now: Date = new Date()): boolean {
  if (!rule.release) return false;
  const at = Date.parse(`${rule.release}T00:00:00Z`);
  return Number.isFinite(at) && now.getTime() >= at;
}

/** The stored column (JSON) → policies; anything unreadable is no policy. */
export function parseExercisePolicies(json: string | null | undefined): ExercisePolicies {
  if (!json) return {};
  try {
    const value = JSON.parse(json) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    const out: ExercisePolicies = {};
    for (const [label, r] of Object.entries(value as Record<string, Partial<ExerciseRule>>)) {
      if (r && (r.solutions === "hints-only" || r.solutions === "hidden")) {
        out[label] = { solutions: r.solutions, from: typeof r.from === "string" ? r.from : "", ...(typeof r.release === "string" ? { release: r.release } : {}) };
      }
    }
    return out;
  } catch {
    return {};
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "12 Dec" (this year), "12 Dec 2027" (another year). */
export function formatRelease(release: string, now: Date = new Date()): string {
  const [y, m, d] = release.split("-").map(Number);
  return `${d} ${MONTHS[m - 1]}${y === now.getUTCFullYear() ? "" : ` ${y}`}`;
}

/**
 * What the student is told: "Your instructor releases the solution to Exercise 1.41 on 12 Dec." (hints-only),
 * "… the hints and the solution …" (hidden), "… has not released …" without a date.
 */
export function withheldSentence(label: string, rule: ExerciseRule, now: Date = new Date()): string {
  const what = rule.solutions === "hidden" ? "the hints and the solution" : "the solution";
  return rule.release
    ? `Your instructor releases ${what} to ${label} on ${formatRelease(rule.release, now)}.`
    : `Your instructor has not released ${what} to ${label}.`;
}

/** Environments and Markdown boxes that hold a worked solution; a proof under an exercise is one too. */
const SOLUTION_NAMES = "solutions?|answers?|sol|proof";
const HINT_NAMES = "hints?";

function blockPatterns(names: string): RegExp[] {
  return [
    // \begin{solution} … \end{solution} (starred too), with the line end after it
    new RegExp(String.raw`\\begin\{(${names})(\*?)\}[\s\S]*?\\end\{\1\2\}[ \t]*\n?`, "gi"),
    // :::solution … ::: (a nested box's closing fence has the opening fence's length)
    new RegExp(String.raw`^(:{3,})[ \t]*(?:${names})\b[^\n]*\n[\s\S]*?^\1[ \t]*$\n?`, "gim"),
    // a paragraph that opens "Solution." / "**Answer:**" / "\textbf{Solution.}" (to the blank line after it)
    new RegExp(String.raw`^[ \t]*(?:\*\*|__|\\(?:textbf|emph|textit|paragraph)\{)?(?:${names})[ \t]*(?:\*\*|__|\})?[ \t]*[.:][\s\S]*?(?=\n[ \t]*\n|(?![\s\S]))\n?`, "gim"),
  ];
}
const SOLUTION_BLOCKS = blockPatterns(SOLUTION_NAMES);
const HINT_BLOCKS = blockPatterns(HINT_NAMES);

/** A numbered item's or heading's opener at a line start, as passages and section texts print them: "Exercise 1.41 (Title): …". */
const OPENER_RE = /^([\p{Lu}][\p{L}]*(?: [\p{L}]+)* [0-9A-Z]+(?:\.[0-9A-Za-z]+)*)(?: \([^\n]*?\))?:/gmu;

/** The withholding view of one course at one moment: applies the rules in force to any text of its notes. */
export interface WithholdView {
  /** The rules in force, by exercise label. */
  rules: Map<string, ExerciseRule>;
  /**
   * The text without the withheld blocks, each exercise's replaced once by its notice line. `itemLabel`: the
   * text is that item's own body (no opener); otherwise exercises are found by their openers in the text.
   */
  text(text: string, itemLabel?: string): string;
  /** A key that changes exactly when the rules in force (or the wording of their dates) change. */
  key: string;
}

/**
 * The view for a course's policies at `now`. `labels` are the course's citable labels: an exercise's part of
 * a passage runs from its opener to the next label's opener (a solution box after `\end{exercise}` belongs
 * to it too).
 */
export function withholdView(policies: ExercisePolicies | null | undefined, labels: Iterable<string>, now: Date = new Date()): WithholdView {
  const rules = activeRules(policies, now);
  const known = new Set(labels);
  const key = rules.size ? `${now.getUTCFullYear()}|${[...rules.keys()].sort().join("|")}` : "";
  const redactSpan = (span: string, label: string): string => {
    const rule = rules.get(label)!;
    let placed = false;
    let out = span;
    for (const re of rule.solutions === "hidden" ? [...SOLUTION_BLOCKS, ...HINT_BLOCKS] : SOLUTION_BLOCKS) {
      out = out.replace(re, () => {
        if (placed) return "";
        placed = true;
        return "\u0001\n";
      });
    }
    if (!placed) return span;
    // One notice where a withheld block stood; the others leave no trace (nor the blank lines around them).
    const trail = /\s*$/.exec(span)![0];
    const body = out
      .trimEnd()
      .replace(/[ \t]*\u0001\n?/, `\n\nSolution withheld: ${withheldSentence(label, rule, now)}\n\n`)
      .replace(/\n{3,}/g, "\n\n")
      .trim();
    return body + trail;
  };
  return {
    rules,
    key,
    text(text, itemLabel) {
      if (!rules.size) return text;
      if (itemLabel) return rules.has(itemLabel) ? redactSpan(text, itemLabel) : text;
      const cuts: { at: number; label: string }[] = [];
      for (const m of text.matchAll(OPENER_RE)) if (known.has(m[1]) || rules.has(m[1])) cuts.push({ at: m.index!, label: m[1] });
      if (!cuts.some((c) => rules.has(c.label))) return text;
      let out = text.slice(0, cuts[0].at);
      cuts.forEach((c, i) => {
        const span = text.slice(c.at, cuts[i + 1]?.at ?? text.length);
        out += rules.has(c.label) ? redactSpan(span, c.label) : span;
      });
      return out;
    },
  };
}
