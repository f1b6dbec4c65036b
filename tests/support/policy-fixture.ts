/**
 * The solutions-policy fixture (tests/fixtures/policy-course) and what its policy must keep from students:
 * read from the notes themselves with plain patterns, not with lib/policy/withhold.ts, so a test that uses
 * it checks the policy's code rather than repeating it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { listItems } from "@/lib/course/items";
import { loadCourse } from "@/lib/course/load-course";

export const POLICY_COURSE = fileURLToPath(new URL("../fixtures/policy-course", import.meta.url));
export const POLICY_COURSE_ID = "policy-demo";

/** Prose runs of a block (its math taken out) long enough to be unmistakable: what must never be shown. */
export function fragmentsOf(block: string): string[] {
  return block
    .replace(/\\(begin|end)\{[a-z]+\}|^:::+\s*[a-z]*\s*$/gm, "")
    .split(/\$[^$]*\$/)
    .map((s) => s.replace(/\s+/g, " ").trim().replace(/^[,;.:]\s*/, ""))
    .filter((s) => s.length >= 25);
}

function blocks(text: string, names: string): string[] {
  const env = new RegExp(String.raw`\\begin\{(?:${names})\}([\s\S]*?)\\end\{(?:${names})\}`, "g");
  const box = new RegExp(String.raw`^:::(?:${names})\s*\n([\s\S]*?)\n:::\s*$`, "gm");
  return [...text.matchAll(env), ...text.matchAll(box)].map((m) => m[1]);
}

export interface FixtureExercise {
  label: string;
  /** The prose of its worked solutions. */
  solution: string[];
  /** The prose of its hints. */
  hint: string[];
}

/** Each exercise of the fixture with the prose of its solution and hint blocks, as the notes have them. */
export function fixtureExercises(): Map<string, FixtureExercise> {
  const doc = loadCourse({ path: POLICY_COURSE });
  const out = new Map<string, FixtureExercise>();
  for (const item of listItems(doc)) {
    if (item.kind !== "exercise") continue;
    out.set(item.label, { label: item.label, solution: blocks(item.text, "solution").flatMap(fragmentsOf), hint: blocks(item.text, "hint").flatMap(fragmentsOf) });
  }
  // Exercise 1.6's solution is a "Solution." paragraph after the exercise, in the section's text.
  const notes = readFileSync(path.join(POLICY_COURSE, "notes/01-sets.txt"), "utf8");
  const para = /^Solution\. (.*)$/m.exec(notes);
  if (!para) throw new Error("the fixture lost its 'Solution.' paragraph");
  out.get("Exercise 1.6")!.solution.push(...fragmentsOf(para[1]));
  for (const e of out.values()) if (!e.solution.length && e.label !== "Exercise 1.6") throw new Error(`${e.label} has no solution prose in the fixture`);
  return out;
}

/** The exercises course.json withholds today (Exercise 1.5's release date, 2026-01-15, has passed) and how. */
export const WITHHELD_TODAY: Record<string, "hints-only" | "hidden"> = {
  "Exercise 1.2": "hints-only",
  "Exercise 1.4": "hints-only",
  "Exercise 1.6": "hidden",
  "Exercise 2.1": "hints-only",
};
/** Exercises whose solutions students may read today. */
export const OPEN_TODAY = ["Exercise 1.3", "Exercise 1.5", "Exercise 2.2"];

/** What must not be shown today: every withheld solution, and the hints of hidden exercises. */
export function forbiddenToday(): { label: string; fragment: string }[] {
  const ex = fixtureExercises();
  return Object.entries(WITHHELD_TODAY).flatMap(([label, mode]) => {
    const e = ex.get(label)!;
    return [...e.solution, ...(mode === "hidden" ? e.hint : [])].map((fragment) => ({ label, fragment }));
  });
}

/** The fragments of `forbidden` that occur in `text` (whitespace runs compared as one space). */
export function leaks(text: string, forbidden: { label: string; fragment: string }[]): string[] {
  const flat = text.replace(/\s+/g, " ");
  return forbidden.filter((f) => flat.includes(f.fragment)).map((f) => `${f.label}: "${f.fragment}"`);
}
