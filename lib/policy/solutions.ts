/**
 * course.json's `solutions` policy (issue 16 part 4): read and checked with the other keys (errors at
 * line:column, "did you mean"), then resolved over the parsed notes into one rule per exercise — the most
 * specific key wins: the exercise, then its subsection, section, chapter, then `default`.
 *
 *   "solutions": {
 *     "default": "open",
 *     "Exercise 1.41": "hints-only",
 *     "Section 2.1": { "policy": "hidden", "release": "2026-12-12" }
 *   }
 *
 * What a rule does to the text students see is lib/policy/withhold.ts.
 */
import { closest, distance } from "fastest-levenshtein";
import type { Node as JsonNode } from "jsonc-parser";
import { parseRef, refLabel } from "../cite/refs";
import type { Block, SectionNode } from "../course/types";
import { SOLUTION_MODES, type ExercisePolicies, type ExerciseRule, type SolutionMode } from "./withhold";

/** One key of `solutions` as written, checked. */
export interface SolutionsRule {
  /** The key as written ("Ex 1.41"). */
  key: string;
  /** The label it names, in the notes' form ("Exercise 1.41"); "default" for the default. */
  label: string;
  solutions: SolutionMode;
  release?: string;
  /** Where the key is in course.json (1-based), for warnings about labels the notes lack. */
  line: number;
  column: number;
}

export interface SolutionsConfig {
  rules: SolutionsRule[];
}

/** A problem in the `solutions` value, at an offset of course.json. */
export interface JsonProblem {
  offset: number;
  severity: "error" | "warning";
  message: string;
}

/** Kinds a key may name: an exercise, or a heading whose exercises it covers. */
const KEY_KINDS = new Set(["exercise", "section", "subsection", "chapter"]);
const KEY_WORDS = ["default", "Exercise", "Section", "Subsection", "Chapter", "Appendix"];
const RULE_KEYS = ["policy", "release"];

function didYouMean(word: string, choices: string[]): string {
  const guess = closest(word, choices);
  return distance(word.toLowerCase(), guess.toLowerCase()) <= Math.max(1, Math.floor(guess.length / 3)) ? ` — did you mean "${guess}"?` : "";
}

/** A calendar date written YYYY-MM-DD that exists (no 2026-02-30). */
function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() + 1 === Number(m[2]) && d.getUTCDate() === Number(m[3]);
}

/**
 * Checks the `solutions` node of course.json. `position` turns an offset into line and column. Returns the
 * rules when there is no error (problems are reported either way).
 */
export function checkSolutionsJson(node: JsonNode, position: (offset: number) => { line: number; column: number }): { config?: SolutionsConfig; problems: JsonProblem[] } {
  const problems: JsonProblem[] = [];
  const error = (offset: number, message: string) => problems.push({ offset, severity: "error", message: `solutions: ${message}` });
  const warn = (offset: number, message: string) => problems.push({ offset, severity: "warning", message: `solutions: ${message}` });
  if (node.type !== "object") {
    error(node.offset, `must be an object: { "default": "open", "Exercise 1.41": "hints-only", "Section 2.1": { "policy": "hidden", "release": "2026-12-12" } }`);
    return { problems };
  }
  const rules: SolutionsRule[] = [];
  const seen = new Map<string, string>();
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    let label: string | null;
    if (key === "default") label = "default";
    else {
      const ref = parseRef(key);
      label = ref ? refLabel(ref) : null;
      if (!ref || !label) {
        const [, word, number] = /^(.*?)\s*([\dA-Z][\d.]*)?\s*$/.exec(key)!;
        const guess = didYouMean(word, KEY_WORDS);
        error(keyNode.offset, `"${key}" is not "default" or a label such as "Exercise 1.41", "Section 2.1" or "Chapter 3"${guess && number ? guess.replace(/"\?$/, ` ${number}"?`) : guess}`);
        continue;
      }
      if (!ref.appendix && !KEY_KINDS.has(ref.kind!)) {
        error(keyNode.offset, `"${key}": a policy applies to an exercise, or to the exercises of a chapter, section or subsection — not to a ${ref.kind}`);
        continue;
      }
    }
    if (seen.has(label)) {
      error(keyNode.offset, `"${key}" names ${label} again (already given as "${seen.get(label)}")`);
      continue;
    }
    seen.set(label, key);
    const rule = checkRuleValue(valueNode, key, error, warn);
    if (rule) rules.push({ key, label, ...rule, ...position(keyNode.offset) });
  }
  return problems.some((p) => p.severity === "error") ? { problems } : { config: { rules }, problems };
}

function checkRuleValue(
  node: JsonNode,
  key: string,
  error: (offset: number, message: string) => void,
  warn: (offset: number, message: string) => void,
): { solutions: SolutionMode; release?: string } | null {
  const mode = (n: JsonNode): SolutionMode | null => {
    if (n.type === "string" && (SOLUTION_MODES as readonly string[]).includes(n.value)) return n.value as SolutionMode;
    const written = n.type === "string" ? `"${n.value}"` : String(n.value ?? n.type);
    error(n.offset, `"${key}": ${written} is not a policy (${SOLUTION_MODES.map((m) => `"${m}"`).join(", ")})${n.type === "string" ? didYouMean(String(n.value), [...SOLUTION_MODES]) : ""}`);
    return null;
  };
  if (node.type === "string") {
    const m = mode(node);
    return m ? { solutions: m } : null;
  }
  if (node.type !== "object") {
    error(node.offset, `"${key}": give a policy ("hints-only") or { "policy": "hidden", "release": "2026-12-12" }`);
    return null;
  }
  let solutions: SolutionMode | null = null;
  let release: string | undefined;
  let ok = true;
  let policyGiven = false;
  for (const prop of node.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (!k || !v) continue;
    const name = String(k.value);
    if (name === "policy") {
      policyGiven = true;
      solutions = mode(v);
      ok &&= !!solutions;
    } else if (name === "release") {
      if (v.type === "string" && isIsoDate(v.value)) release = v.value;
      else {
        error(v.offset, `"${key}": release must be a date written YYYY-MM-DD (e.g. "2026-12-12"), not ${v.type === "string" ? `"${v.value}"` : String(v.value)}`);
        ok = false;
      }
    } else {
      error(k.offset, `"${key}": unknown key "${name}"${didYouMean(name, RULE_KEYS)} (a rule knows ${RULE_KEYS.join(", ")})`);
      ok = false;
    }
  }
  if (!policyGiven) {
    error(node.offset, `"${key}": the rule names no "policy" (${SOLUTION_MODES.map((m) => `"${m}"`).join(", ")})`);
    return null;
  }
  if (!ok || !solutions) return null;
  if (release && solutions === "open") warn(node.offset, `"${key}": a release date does nothing for an "open" policy`);
  return { solutions, ...(release ? { release } : {}) };
}

/** One exercise and the policy that applies to it, for `ingest --check`. */
export interface ExercisePolicyLine {
  label: string;
  solutions: SolutionMode;
  release?: string;
  /** The key that decided it ("Section 2.1", "default", or "" when course.json says nothing). */
  from: string;
}

export interface ResolvedSolutions {
  /** Exercises whose solutions are not open (what the store keeps). */
  policies: ExercisePolicies;
  /** Every exercise of the notes in order, with its policy. */
  exercises: ExercisePolicyLine[];
  /** Keys naming labels the notes do not have, with the nearest labels. */
  unknown: { rule: SolutionsRule; nearest: string[] }[];
}

/** The rule for each exercise of the notes: the exercise's own key, else its nearest heading's, else `default`. */
export function resolveSolutions(chapters: SectionNode[], config: SolutionsConfig | undefined): ResolvedSolutions {
  const byLabel = new Map((config?.rules ?? []).map((r) => [r.label, r]));
  const used = new Set<string>();
  const labels: { label: string; kind: string; number: string }[] = [];
  const exercises: ExercisePolicyLine[] = [];
  const policies: ExercisePolicies = {};
  const fallback = byLabel.get("default");
  if (fallback) used.add("default");
  const visit = (node: SectionNode, inherited: SolutionsRule | undefined) => {
    const own = node.number ? byLabel.get(node.label) : undefined;
    if (node.number) labels.push({ label: node.label, kind: node.kind, number: node.number });
    if (own) used.add(own.label);
    const rule = own ?? inherited;
    for (const b of node.blocks) visitBlock(b, rule);
    for (const c of node.children) visit(c, rule);
  };
  const visitBlock = (b: Block, inherited: SolutionsRule | undefined) => {
    if (!b.label || !b.number) return;
    labels.push({ label: b.label, kind: String(b.kind), number: b.number });
    if (b.kind !== "exercise") return;
    const own = byLabel.get(b.label);
    if (own) used.add(own.label);
    const rule = own ?? inherited;
    const line: ExercisePolicyLine = { label: b.label, solutions: rule?.solutions ?? "open", from: rule ? rule.label : "", ...(rule?.release ? { release: rule.release } : {}) };
    exercises.push(line);
    if (line.solutions !== "open") {
      const stored: ExerciseRule = { solutions: line.solutions, from: line.from, ...(line.release ? { release: line.release } : {}) };
      policies[b.label] = stored;
    }
  };
  for (const ch of chapters) visit(ch, fallback);
  const unknown = (config?.rules ?? []).filter((r) => !used.has(r.label)).map((rule) => ({ rule, nearest: nearestLabels(labels, rule.label) }));
  return { policies, exercises, unknown };
}

/** Labels of the same kind with the closest numbers ("Exercise 1.49" → Exercise 1.48, Exercise 1.47…). */
function nearestLabels(labels: { label: string; kind: string; number: string }[], label: string): string[] {
  const ref = parseRef(label);
  if (!ref) return [];
  const key = (n: string) => n.split(".").reduce((acc, p, i) => acc + (/^\d+$/.test(p) ? Number(p) : p.charCodeAt(0) + 1000) * Math.pow(1000, -i), 0);
  const target = key(ref.number);
  return labels
    .filter((l) => l.kind === ref.kind && l.number.split(".").length === ref.number.split(".").length)
    .map((l) => ({ label: l.label, d: Math.abs(key(l.number) - target) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((l) => l.label);
}
