import { suggestLabels } from "../cite/lookup";
import { extractRefs, KNOWN_REF_KINDS, normaliseRefText, refLabel, type Ref } from "../cite/refs";
import type { ItemRow } from "../store/schema";

/** A label the question names that the course does not have, with the nearest labels it does have. */
export interface AbsentLabel {
  label: string;
  nearest: string[];
}

export interface QuestionRefs {
  /** Labels the question names that exist in the course, in order (with the part asked for). */
  explicit: { label: string; part?: string }[];
  /** Labels the question names that the course does not have. */
  absent: AbsentLabel[];
}

/** What students call an exercise when they point at it by its place ("problem 6", "#6", "q6", "opgave 6"). */
const EXERCISE_WORD = String.raw`(?:exercises?|exerc|ex|problems?|prob|pb|questions?|q|opgaver?|opg|no|nr|number|#)`;
const SECTION_WORD = String.raw`(?:§|sections?|sect|sec|chapter|chap|ch|afsnit|kapitel)`;
const NUM = String.raw`\d+(?:\.\d+){0,3}`;
const PART = String.raw`(?:\s*\(\s*([a-h])\s*\)|([a-h])(?![\p{L}]))?`;
/**
 * "2.1 #6", "§2.1 #6", "section 2.1 problem 6", "2.1 no. 6(b)", "2.1.6": a section number, then the exercise's
 * number within it. The section number needs a dot, so "ex 6" alone is not read as one.
 */
const SECTION_THEN_EXERCISE = new RegExp(
  String.raw`(?<![\p{L}\d.])(?:${SECTION_WORD}\.?\s*)?(\d+\.\d+(?:\.\d+)?)\s*(?:,\s*)?${EXERCISE_WORD}\.?\s*#?\s*(\d+)${PART}(?![\d.]*\d)`,
  "giu",
);
/** "problem 6 in section 2.1", "exercise 6 of 2.1", "#6 from §2.1", "q6 in chapter 3". */
const EXERCISE_THEN_SECTION = new RegExp(
  String.raw`(?<![\p{L}\d.])${EXERCISE_WORD}\.?\s*#?\s*(\d+)${PART}\s+(?:in|of|from|at|for|i|fra)\s+(?:the\s+)?(?:${SECTION_WORD}\.?\s*)?(${NUM})(?![\d.]*\d)`,
  "giu",
);

/** Kinds a student's "problem"/"exercise" may mean, in the order tried. */
const EXERCISE_KINDS = new Set(["exercise", "problem"]);

/**
 * The labels a question names, resolved against the course's items: forms `extractRefs` reads ("ex 2.1.5",
 * "thm 3.2", "§2.3") and the place forms students use for exercises ("2.1 #6", "problem 6 in section 2.1").
 * A place form means the exercise numbered `<section>.<n>` when the course numbers exercises that way, else
 * the n-th exercise printed in that section or chapter. A named label the course lacks is reported as absent
 * with the nearest real labels — never silently dropped.
 */
export function resolveQuestionRefs(question: string, items: ItemRow[]): QuestionRefs {
  const byLabel = new Map(items.map((i) => [i.label, i]));
  const explicit: QuestionRefs["explicit"] = [];
  const absent: AbsentLabel[] = [];
  const addFound = (item: ItemRow, part?: string) => {
    if (!explicit.some((e) => e.label === item.label)) explicit.push({ label: item.label, ...(part ? { part } : {}) });
  };
  const addAbsent = (ref: Ref, label: string) => {
    if (!absent.some((a) => a.label === label)) absent.push({ label, nearest: suggestLabels(items, ref) });
  };

  let text = normaliseRefText(question);
  const placeForms: { index: number; length: number; container: string; n: string; part?: string }[] = [];
  for (const re of [SECTION_THEN_EXERCISE, EXERCISE_THEN_SECTION]) {
    for (const m of text.matchAll(re)) {
      const sectionFirst = re === SECTION_THEN_EXERCISE;
      const container = sectionFirst ? m[1] : m[4];
      const n = sectionFirst ? m[2] : m[1];
      const part = (sectionFirst ? m[3] ?? m[4] : m[2] ?? m[3])?.toLowerCase();
      if (!placeForms.some((f) => m.index! < f.index + f.length && f.index < m.index! + m[0].length)) {
        placeForms.push({ index: m.index!, length: m[0].length, container, n, part });
      }
    }
  }
  for (const f of placeForms.sort((a, b) => a.index - b.index)) {
    const item = exerciseAt(items, f.container, f.n);
    if (item) addFound(item, f.part);
    else addAbsent({ kind: "exercise", number: `${f.container}.${f.n}` }, `Exercise ${f.container}.${f.n}`);
  }
  // Blank out the place forms so "section 2.1" inside "problem 6 in section 2.1" is not read again on its own.
  for (const f of placeForms) text = text.slice(0, f.index) + " ".repeat(f.length) + text.slice(f.index + f.length);

  // Kinds this course names itself ("Method 6.3", "Key Idea 4") and "problem 42" / "question 42" for a course
  // that calls them exercises: the fixed aliases of extractRefs do not know them.
  for (const m of text.matchAll(courseKindPattern(items))) {
    const name = m[1].toLowerCase().replace(/s$/, "");
    const number = m[2];
    const part = (m[3] ?? m[4])?.toLowerCase();
    const kinds = OWN_KIND_WORDS.has(name) ? EXERCISE_KINDS : new Set([name]);
    const item = items.find((i) => kinds.has(i.kind.toLowerCase()) && i.number === number);
    if (item) addFound(item, part);
    else addAbsent({ number }, `${OWN_KIND_WORDS.has(name) ? "Exercise" : titleCase(name)} ${number}`);
    text = text.slice(0, m.index) + " ".repeat(m[0].length) + text.slice(m.index! + m[0].length);
  }

  for (const ref of extractRefs(text)) {
    const label = refLabel(ref);
    if (!label) continue;
    const item =
      byLabel.get(label) ??
      // "Section 1.6.2" typed for a subsection, "Problem 2.3" for a course that calls them exercises.
      (ref.kind === "section" ? byLabel.get(`Subsection ${ref.number}`) : undefined) ??
      (ref.kind === "subsection" ? byLabel.get(`Section ${ref.number}`) : undefined) ??
      (ref.appendix ? byLabel.get(`Chapter ${ref.number}`) : undefined) ??
      (ref.kind === "exercise" ? items.find((i) => EXERCISE_KINDS.has(i.kind) && i.number === ref.number) : undefined);
    if (item) addFound(item, ref.part);
    else addAbsent(ref, label);
  }
  return { explicit, absent };
}

/** Words students use for an exercise that the fixed aliases do not cover. */
const OWN_KIND_WORDS = new Set(["problem", "prob", "question"]);
const patternCache = new WeakMap<ItemRow[], RegExp>();

/**
 * "method 6.3", "key idea 4", "problem 42": the kinds of this course that are not fixed aliases of
 * lib/cite/refs.ts, then a number and maybe a part.
 */
function courseKindPattern(items: ItemRow[]): RegExp {
  let re = patternCache.get(items);
  if (!re) {
    const own = new Set([...items.map((i) => i.kind.toLowerCase()).filter((k) => !KNOWN_REF_KINDS.has(k)), ...OWN_KIND_WORDS]);
    const names = [...own].sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+"));
    re = new RegExp(String.raw`(?<![\p{L}\d.])(${names.join("|")})s?\.?\s*#?\s*(\d+(?:\.\d+){0,3}|[A-Z](?:\.\d+){1,3})${PART}(?![\d]|\.\d)`, "giu");
    patternCache.set(items, re);
  }
  re.lastIndex = 0;
  return re;
}

function titleCase(kind: string): string {
  return kind.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}

/** The exercise a place form points at: numbered `<container>.<n>`, else the n-th exercise under that heading. */
function exerciseAt(items: ItemRow[], container: string, n: string): ItemRow | undefined {
  const number = `${container}.${n}`;
  const direct = items.find((i) => EXERCISE_KINDS.has(i.kind) && i.number === number);
  if (direct) return direct;
  const heading = items.find((i) => (i.kind === "section" || i.kind === "subsection" || i.kind === "chapter") && i.number === container);
  if (!heading) return undefined;
  const inside = items
    .filter((i) => EXERCISE_KINDS.has(i.kind) && (heading.kind === "chapter" ? i.chapter === heading.number : i.section === heading.label || i.path.split(" › ").some((p) => p === heading.label || p.startsWith(`${heading.label}:`))))
    .sort((a, b) => a.ord - b.ord);
  return inside[Number(n) - 1];
}
