import type { ItemRow } from "../store/schema";

/**
 * The kinds a student's word for an exercise means in a course ("problem 6", "q2.12", "the 3rd question in chapter 4"):
 * books call them Exercises, Problems or Questions, and some have two of these at once (Newstead's in-section
 * Exercises and chapter-end Questions).
 */

/** Kinds a student's "problem"/"exercise"/"question" may mean (a book's chapter-end "Question 4.17" too). */
export const EXERCISE_KINDS = new Set(["exercise", "problem", "question"]);
/** Exercises by name ("ex 0.7" is an Exercise or Problem, then an Example, and only then a Question). */
export const EXERCISE_ONLY = new Set(["exercise", "problem"]);
/** The kind a student's word for an exercise names as typed: "q2.12" a Question, "prob 3" a Problem. */
export const TYPED_EXERCISE_KIND: Record<string, string> = { q: "question", question: "question", prob: "problem", pb: "problem", problem: "problem", exercise: "exercise", ex: "exercise", exerc: "exercise" };
const typedKindCache = new WeakMap<ItemRow[], Map<string, Set<string>>>();

/**
 * The kinds a word for an exercise means in this course: the kind as typed when the course has it ("the 3rd question
 * in chapter 4" counts a book's Questions, not its Exercises too), else every exercise kind.
 */
export function exerciseKinds(word: string, items: ItemRow[]): Set<string> {
  const typed = TYPED_EXERCISE_KIND[word.toLowerCase().replace(/s$/, "")];
  if (!typed) return EXERCISE_KINDS;
  let cache = typedKindCache.get(items);
  if (!cache) typedKindCache.set(items, (cache = new Map()));
  let kinds = cache.get(typed);
  if (!kinds) cache.set(typed, (kinds = items.some((i) => i.kind.toLowerCase() === typed) ? new Set([typed]) : EXERCISE_KINDS));
  return kinds;
}

/** What the course calls its exercises, for a label it lacks: "Problem 4.99" in a book of Problems, else "Exercise". */
export function exerciseName(items: ItemRow[], typed: string): string {
  const kinds = new Set(items.map((i) => i.kind.toLowerCase()));
  if (kinds.has("question") && typed.startsWith("q") && !/^\d/.test(typed)) return "Question";
  return kinds.has("problem") && (typed.startsWith("prob") || !kinds.has("exercise")) ? "Problem" : "Exercise";
}
