import { distance } from "fastest-levenshtein";
import { suggestLabels } from "../cite/lookup";
import { extractRefs, kindOfAlias, KNOWN_REF_KINDS, normaliseRefText, refAliases, refLabel, type Ref } from "../cite/refs";
import type { ItemRow } from "../store/schema";
import { countsSomethingElse, joinChapterSection, titleConfirmedItem } from "./bare-refs";
import { findLetteredRefs } from "./lettered-refs";
import { EXERCISE_KINDS, EXERCISE_ONLY, exerciseKinds, exerciseName, TYPED_EXERCISE_KIND } from "./exercise-kinds";
import { containedFirst } from "./ref-order";

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
/** A number as printed: "2.1.6", and lettered parts ("4.E", "0.E.1") for a book that letters headings in a chapter. */
const NUM = String.raw`\d+(?:\.(?:\d+|[A-Z](?![\p{L}\d]))){0,3}`;
const PART = String.raw`(?:\s*\(\s*([a-h])\s*\)|([a-h])(?![\p{L}]))?`;
/** The same, in named groups (`pp`, `pb`), for the patterns built per course. */
const NAMED_PART = String.raw`(?:\s*\(\s*(?<pp>[a-h])\s*\)|(?<pb>[a-h])(?![\p{L}]))?`;
/** "exercise five in section 2.1", "chapter three": an item's or heading's number written as a word. */
const NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
const NUMBER_WORD = String.raw`(?:${[...NUMBER_WORDS].sort((a, b) => b.length - a.length).join("|")})(?![\p{L}])`;
/** "5" or "five" → "5". */
const numeral = (n: string) => (/^\d+$/.test(n) ? n : String(NUMBER_WORDS.indexOf(n.toLowerCase()) + 1));
/** Words for an exercise that may be followed by a number word ("no one", "# one" are not exercises). */
const WORDED_EXERCISE = /^(?:exercises?|exerc|ex|problems?|prob|questions?|opgaver?)$/i;
/**
 * Between an item and its place: "in/of/from section 2.1", or a comma or bracket before a heading word
 * ("question 1, chapter 1", "example 3 (section 1.2)").
 */
const PLACE_JOIN = String.raw`(?:\s+(?:in|of|from|at|for|i|fra)\s+(?:the\s+)?(?:${SECTION_WORD}\.?\s*)?|\s*[,(]\s*${SECTION_WORD}\.?\s*)`;
/**
 * "2.1 #6", "§2.1 #6", "section 2.1 problem 6", "2.1 no. 6(b)", "chapter 2 exercise 1": a section or chapter
 * number, then the exercise's number within it. Without a heading word the number needs a dot, so "ex 6" alone
 * or "3 problems" is not read as one.
 */
const SECTION_THEN_EXERCISE = new RegExp(
  String.raw`(?<![\p{L}\d.])(?:${SECTION_WORD}\.?\s*(?<worded>${NUM})|(?<dotted>\d+\.\d+(?:\.\d+)?))\s*(?:,\s*)?(?<xw>${EXERCISE_WORD})\.?\s*#?\s*(?<n>\d+|${NUMBER_WORD})${PART}(?![\d.]*\d|\.[A-Z](?![\p{L}]))`,
  "giu",
);
/** "problem 6 in section 2.1", "exercise 6 of 2.1", "#6 from §2.1", "q6 in chapter 3", "question 1, chapter 1", "exercise five in section 2.1". */
const EXERCISE_THEN_SECTION = new RegExp(
  String.raw`(?<![\p{L}\d.])(${EXERCISE_WORD})\.?\s*#?\s*(\d+|${NUMBER_WORD})${PART}${PLACE_JOIN}(${NUM})(?![\d.]*\d|\.[A-Z](?![\p{L}]))`,
  "giu",
);
const ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"];
const ORDINAL = String.raw`(?:(?<ordNum>\d+)(?:st|nd|rd|th)|(?<ordWord>${ORDINAL_WORDS.join("|")}|last))`;

/**
 * Place forms for the course's other kinds ("example 3 in section 2.1", "section 2.1 theorem 2", "the 3rd
 * example of chapter 2") and ordinals for every kind, exercises included ("the 6th exercise in section 2.1").
 * Stricter than the exercise forms: the place is introduced by "in/of/from" or a heading word, so "theorem 3
 * for 2 variables" is not Theorem 2.3.
 */
interface PlacePatterns {
  ordinal: RegExp;
  sectionThenItem: RegExp;
  itemThenSection: RegExp;
}
const placeCache = new WeakMap<ItemRow[], PlacePatterns>();
function placePatterns(items: ItemRow[]): PlacePatterns {
  let p = placeCache.get(items);
  if (!p) {
    const own = ownKindWords(items);
    const words = [...new Set([...refAliases(new Set(["exercise", "section", "subsection", "chapter"])).filter((a) => a.length > 1 && !a.startsWith("§")), ...own])]
      .sort((a, b) => b.length - a.length)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+"));
    const item = String.raw`(?<word>${words.join("|")})s?`;
    const counted = String.raw`(?<word>exercises?|problems?|questions?|ex|${words.join("|")})s?`;
    const place = String.raw`(?:the\s+)?(?:${SECTION_WORD}\.?\s*(?<container>${NUM})|(?<dotted>\d+\.\d+(?:\.\d+)?))(?![\d.]*\d|\.[A-Z](?![\p{L}]))`;
    // After a comma or bracket the place needs its heading word ("example 3, section 1.2", "example 3 (section 1.2)").
    const worded = String.raw`${SECTION_WORD}\.?\s*(?<container2>${NUM})(?![\d.]*\d|\.[A-Z](?![\p{L}]))`;
    const n = String.raw`(?<n>\d+|${NUMBER_WORD})`;
    p = {
      ordinal: new RegExp(String.raw`(?<![\p{L}\d.])${ORDINAL}\s+${counted}\.?\s+(?:in|of|from|at|for)\s+${place}`, "giu"),
      // "section 1.2 example 3", "§1.2, example 3", and "1.2 example 3" (a bare two- or three-part number: read only when the item exists).
      sectionThenItem: new RegExp(String.raw`(?<![\p{L}\d.])(?:${SECTION_WORD}\.?\s*(?<container>${NUM})|(?<dotted>\d+\.\d+(?:\.\d+)?))\s*(?:,\s*)?${item}\.?\s*#?\s*${n}${NAMED_PART}(?![\d.]*\d|\.[A-Z](?![\p{L}]))`, "giu"),
      itemThenSection: new RegExp(String.raw`(?<![\p{L}\d.])${item}\.?\s*#?\s*${n}${NAMED_PART}(?:\s+(?:in|of|from)\s+${place}|\s*[,(]\s*${worded})`, "giu"),
    };
    placeCache.set(items, p);
  }
  for (const re of Object.values(p)) re.lastIndex = 0;
  return p;
}

/** The kinds a word of a place form names: "problem" an exercise, "thm" a theorem, "method" the course's Method. */
function kindsOfWord(word: string, items: ItemRow[]): Set<string> {
  const typed = word.toLowerCase().replace(/\s+/g, " ");
  const w = ABBREVIATION_OF.get(typed) ?? ABBREVIATION_OF.get(typed.replace(/s$/, "")) ?? typed;
  if (/^(?:exercises?|problems?|questions?|ex)$/.test(w)) return exerciseKinds(w, items);
  const known = kindOfAlias(w) ?? kindOfAlias(w.replace(/s$/, ""));
  if (known) return new Set([known]);
  // A kind named as typed first ("axioms" is the course's "Axioms" when it has one), then a plural of one ("Axiom").
  const own = items.find((i) => i.kind.toLowerCase() === w) ?? items.find((i) => `${i.kind.toLowerCase()}s` === w);
  return new Set(own ? [own.kind] : []);
}

/**
 * "Appendix B", "Section A", "§C", "appendix A.2": a heading numbered with a letter. The letter must be a
 * capital (so "section a student…" is not one) and the course must have that heading: a lone letter after
 * "section" is too often prose ("in this section I…") to report as absent.
 */
const LETTER_HEADING = new RegExp(String.raw`(?<![\p{L}\d.])(appendix|appendices|${SECTION_WORD})\.?\s*([A-Za-z](?:\.\d+){0,3})(?:(?=['’]s(?![\p{L}]))|(?![\p{L}\d'’]|\.\d))`, "giu");

/** "chapter three", "section two": a heading word, then its number as a word. */
const HEADING_NUMBER_WORD = new RegExp(String.raw`(?<![\p{L}\d.])(chapter|chap|ch|kapitel|section|sect|sec|§)\.?\s*(${NUMBER_WORD})`, "giu");

/**
 * Short names of kinds a course may define itself (the fixed kinds' are in lib/cite/refs.ts): "fig 2.1" is the
 * course's Figure 2.1, "tbl 3" its Table 3. Read only for a course that has the kind.
 */
const OWN_KIND_ABBREVIATIONS: Record<string, string[]> = {
  figure: ["fig"],
  table: ["tab", "tbl"],
  algorithm: ["alg", "algo"],
  conjecture: ["conj"],
  observation: ["obs"],
  notation: ["notn"],
};
const ABBREVIATION_OF = new Map(Object.entries(OWN_KIND_ABBREVIATIONS).flatMap(([kind, abbrs]) => abbrs.map((a) => [a, kind] as const)));

/** The course's own kinds (lower case) and the short names of them it may be typed with ("figure", "fig"). */
function ownKindWords(items: ItemRow[]): string[] {
  const own = [...new Set(items.map((i) => i.kind.toLowerCase()).filter((k) => !KNOWN_REF_KINDS.has(k)))];
  return [...own, ...own.flatMap((k) => OWN_KIND_ABBREVIATIONS[k] ?? [])];
}

const EXAMPLE_KIND = new Set(["example"]);


/**
 * The labels a question names, resolved against the course's items: forms `extractRefs` reads ("ex 2.1.5",
 * "thm 3.2", "§2.3") and the place forms students use for exercises ("2.1 #6", "problem 6 in section 2.1").
 * A place form means the exercise numbered `<section>.<n>` when the course numbers exercises that way, else
 * the n-th exercise printed in that section or chapter. A named label the course lacks is reported as absent
 * with the nearest real labels — never silently dropped.
 */
export function resolveQuestionRefs(question: string, items: ItemRow[]): QuestionRefs {
  const byLabel = new Map(items.map((i) => [i.label, i]));
  // Found labels with where the question names them: they are returned in the question's order, whichever pass read them.
  // `bare`: read from a number alone ("2.1.6", "(3.1.2)"), which may be math: it never goes ahead of a heading.
  const found: { label: string; part?: string; at: number; bare?: boolean }[] = [];
  const absent: AbsentLabel[] = [];
  const addFound = (item: ItemRow, at: number, part?: string, bare?: boolean) => {
    if (!found.some((e) => e.label === item.label)) found.push({ label: item.label, at, ...(part ? { part } : {}), ...(bare ? { bare } : {}) });
  };
  const addAbsent = (ref: Ref, label: string) => {
    if (absent.some((a) => a.label === label)) return;
    // A course's own kind ("Question 4.99") is near its own labels, as a fixed kind is.
    const word = label.slice(0, label.lastIndexOf(" ")).toLowerCase();
    const kind = ref.kind ?? items.find((i) => i.kind.toLowerCase() === word)?.kind;
    absent.push({ label, nearest: suggestLabels(items, { number: ref.number, kind }) });
  };

  let text = joinChapterSection(dropNumberWords(normaliseRefText(question), items), items);
  // "exercise 11A", "part A of chapter 11's exercises": a lettered exercise, before "12B" can be read as part (b) of 12
  for (const r of findLetteredRefs(text, items)) {
    addFound(r.item, r.index, r.part);
    text = blank(text, r.index, r.length);
  }
  // `loose`: read from a bare number ("1.2 example 3"), so kept only when the item exists — never reported absent.
  // `ex`: typed "ex", which is also short for "example" (taken when the place has no such exercise).
  const placeForms: { index: number; length: number; kinds: Set<string>; exercise?: boolean; container: string; n: string; part?: string; counted?: boolean; loose?: boolean; ex?: boolean }[] = [];
  const overlaps = (m: RegExpMatchArray) => placeForms.some((f) => m.index! < f.index + f.length && f.index < m.index! + m[0].length);
  const place = placePatterns(items);
  for (const m of text.matchAll(place.ordinal)) {
    const g = m.groups!;
    const n = g.ordNum ?? (g.ordWord.toLowerCase() === "last" ? "last" : String(ORDINAL_WORDS.indexOf(g.ordWord.toLowerCase()) + 1));
    placeForms.push({ index: m.index!, length: m[0].length, kinds: kindsOfWord(g.word, items), container: g.container ?? g.dotted, n, counted: true });
  }
  for (const m of text.matchAll(SECTION_THEN_EXERCISE)) {
    const g = m.groups!;
    if (!overlaps(m)) placeForms.push({ index: m.index!, length: m[0].length, kinds: exerciseKinds(g.xw, items), exercise: true, container: g.worded ?? g.dotted, n: numeral(g.n), part: (m[5] ?? m[6])?.toLowerCase(), ex: /^ex$/i.test(g.xw) });
  }
  for (const m of text.matchAll(EXERCISE_THEN_SECTION)) {
    // "no one in chapter 3" is not an exercise: a number word needs a word that names one.
    if (/^\d/.test(m[2]) || WORDED_EXERCISE.test(m[1])) {
      if (!overlaps(m)) placeForms.push({ index: m.index!, length: m[0].length, kinds: exerciseKinds(m[1], items), exercise: true, container: m[5], n: numeral(m[2]), part: (m[3] ?? m[4])?.toLowerCase(), ex: /^ex$/i.test(m[1]) });
    }
  }
  for (const re of [place.sectionThenItem, place.itemThenSection]) {
    for (const m of text.matchAll(re)) {
      const g = m.groups!;
      // "theorem 2.3 example 1" names Theorem 2.3 first: a bare number after a kind word is that kind's.
      const loose = re === place.sectionThenItem && !!g.dotted;
      if (loose && isKindWord(/([\p{L}]+)\.?\s*$/u.exec(text.slice(0, m.index))?.[1] ?? "", items)) continue;
      const part = (g.pp ?? g.pb)?.toLowerCase();
      if (!overlaps(m)) placeForms.push({ index: m.index!, length: m[0].length, kinds: kindsOfWord(g.word, items), container: g.container ?? g.dotted ?? g.container2, n: numeral(g.n), part, loose });
    }
  }
  for (const f of [...placeForms].sort((a, b) => a.index - b.index)) {
    const item = itemAt(items, f.kinds, f.container, f.n, f.counted) ?? (f.ex ? itemAt(items, EXAMPLE_KIND, f.container, f.n) : undefined);
    const exercise = f.exercise || f.kinds === EXERCISE_KINDS;
    const kind = exercise ? "exercise" : [...f.kinds][0];
    if (item) addFound(item, f.index, f.part);
    else if (f.loose) placeForms.splice(placeForms.indexOf(f), 1);
    // Named as the course names its exercises ("Problem 12.7" in a course of Problems).
    else if (f.n !== "last" && kind) addAbsent({ kind: KNOWN_REF_KINDS.has(kind) ? (kind as Ref["kind"]) : undefined, number: `${f.container}.${f.n}` }, `${exercise ? exerciseName(items, [...f.kinds].length === 1 ? [...f.kinds][0] : "") : titleCase(kind)} ${f.container}.${f.n}`);
  }
  // Blank out the place forms so "section 2.1" inside "problem 6 in section 2.1" is not read again on its own.
  for (const f of placeForms) text = blank(text, f.index, f.length);

  // "chapter three", "section two": a heading's number as a word (read only when the heading exists).
  for (const m of text.matchAll(HEADING_NUMBER_WORD)) {
    const word = m[1].toLowerCase();
    const number = numeral(m[2]);
    const chapterWord = /^(?:chapter|chap|ch|kapitel)$/.test(word);
    const heading = items.find((i) => HEADING_KINDS.has(i.kind) && i.number === number && (chapterWord ? i.kind === "chapter" : i.kind !== "chapter" || /^section\b/i.test(i.label)));
    if (!heading) continue;
    addFound(heading, m.index!);
    text = blank(text, m.index!, m[0].length);
  }

  // "eq (3.1.2)", "eqn 3.1.2", "equation (3.1.2)": a numbered display, in a course that numbers them.
  if (items.some((i) => i.kind.toLowerCase() === "equation")) {
    for (const m of text.matchAll(EQUATION_REF)) {
      const number = m[1] ?? m[2];
      const item = items.find((i) => i.kind.toLowerCase() === "equation" && i.number === number);
      if (item) addFound(item, m.index!);
      else addAbsent({ number }, `Equation ${number}`);
      text = blank(text, m.index!, m[0].length);
    }
    // "(3.1.2)" alone, as the notes print a display's number: that equation, when the course has it.
    for (const m of text.matchAll(BRACKETED_NUMBER)) {
      const item = items.find((i) => i.kind.toLowerCase() === "equation" && i.number === m[1]);
      if (!item) continue;
      addFound(item, m.index!, undefined, true);
      text = blank(text, m.index!, m[0].length);
    }
  }

  for (const m of text.matchAll(LETTER_HEADING)) {
    const number = m[2];
    if (!/^[A-Z]/.test(number)) continue;
    const heading = items.find((i) => HEADING_KINDS.has(i.kind) && i.number === number);
    if (!heading) continue;
    addFound(heading, m.index!);
    text = blank(text, m.index!, m[0].length);
  }

  // Kinds this course names itself ("Method 6.3", "Key Idea 4") and "problem 42" / "question 42" for a course
  // that calls them exercises: the fixed aliases of extractRefs do not know them.
  for (const m of text.matchAll(courseKindPattern(items))) {
    const written = m[1].toLowerCase().replace(/\s+/g, " ");
    const typed = ABBREVIATION_OF.get(written) ?? written;
    const number = m[2];
    // A kind whose own name ends in "s" ("Axioms 5.1", beside "Axiom 3.43") is that kind, not a plural.
    const name = items.some((i) => i.kind.toLowerCase() === typed && i.number === number) ? typed : typed.replace(/s$/, "");
    const part = (m[3] ?? m[4])?.toLowerCase();
    const kinds = OWN_KIND_WORDS.has(name) ? EXERCISE_KINDS : new Set([name]);
    // The kind as typed first ("question 4.1" is the book's Question 4.1 when it also has an Exercise 4.1).
    const asTyped = TYPED_EXERCISE_KIND[name];
    const item = (asTyped ? items.find((i) => i.kind.toLowerCase() === asTyped && i.number === number) : undefined) ?? items.find((i) => kinds.has(i.kind.toLowerCase()) && i.number === number);
    const sibling = item ? undefined : statementSibling(items, name, number);
    if (item ?? sibling) addFound((item ?? sibling)!, m.index!, part);
    if (!item) addAbsent({ number }, `${OWN_KIND_WORDS.has(name) ? exerciseName(items, name) : titleCase(name)} ${number}`);
    let end = m.index! + m[0].length;
    for (const next of listedAfter(text, end, number)) {
      const listed = items.find((i) => kinds.has(i.kind.toLowerCase()) && i.number === next.number);
      if (listed) addFound(listed, next.at, next.part);
      end = next.end;
    }
    text = blank(text, m.index!, end - m.index!);
  }

  // "the 2.1.5 exercise", "in the 1.3 section": the number before a singular kind word (read only when the item exists).
  for (const m of text.matchAll(NUMBER_THEN_KIND)) {
    const [, number, first, second] = m;
    // A kind of two words ("the 2.54 skeleton proof") or of one ("the 1.3 section, why").
    const two = second && isKindWord(`${first} ${second}`, items);
    const typed = (two ? `${first} ${second}` : first).toLowerCase();
    const whole = two ? m[0] : /^the\s+\S+\s+[\p{L}]+/iu.exec(m[0])![0];
    if (!isKindWord(typed, items) || (/s$/.test(typed) && !items.some((i) => i.kind.toLowerCase() === typed))) continue;
    const kinds = kindsOfWord(typed, items);
    const named = ABBREVIATION_OF.get(typed) ?? kindOfAlias(typed) ?? typed;
    const item = items.find((i) => i.number === number && (kinds.has(i.kind) || kinds.has(i.kind.toLowerCase()))) ?? items.find((i) => i.number === number && i.label.toLowerCase().startsWith(`${named} `));
    if (!item) continue;
    addFound(item, m.index!);
    text = blank(text, m.index!, whole.length);
  }

  // Misspelt kind words ("excercise 2.1.6", "therom 3.2") and bare numbers that name one item ("2.1.6", "#2.1.6"):
  // read only when the label exists — a guess is never reported absent.
  for (const m of text.matchAll(LOOSE_REF)) {
    const [whole, word, afterWord, bare, partParen, partBare] = m;
    const known = !!word && isKindWord(word, items);
    if (known) continue; // "Example 2.1.6" is extractRefs' to read, or to report absent
    // "exerciseA.1.4": a kind word glued to an appendix letter is that kind's A.1.4, never a typo for the kind.
    const glued = word ? /^(\p{Ll}+)(\p{Lu})$/u.exec(word) : null;
    if (glued && isKindWord(glued[1], items)) {
      const kinds = kindsOfWord(glued[1], items);
      const item = items.find((i) => (kinds.has(i.kind) || kinds.has(i.kind.toLowerCase())) && i.number === `${glued[2]}.${afterWord}`);
      if (item) {
        addFound(item, m.index!, (partParen ?? partBare)?.toLowerCase());
        text = blank(text, m.index!, whole.length);
      }
      continue;
    }
    // A number after a short kind word or "§" ("sec 3.4.8", "§3.4.8") is named by that word: extractRefs reads it
    // (Subsection 3.4.8, not the one example that shares its number).
    const before = bare ? /(§|[\p{L}]+)\.?\s*$/u.exec(text.slice(0, m.index))?.[1] : undefined;
    if (before && (before === "§" || isKindWord(before, items))) continue;
    const item =
      (word ? misspeltKindItem(items, word, afterWord) : undefined) ??
      (bare && !countsSomethingElse(before) ? titleConfirmedItem(items, bare, question) : undefined) ??
      (word && !/^\d+\.\d+\.\d+$/.test(afterWord) ? undefined : bareNumberItem(items, word ? afterWord : bare));
    if (!item) continue;
    addFound(item, m.index!, (partParen ?? partBare)?.toLowerCase(), !!bare);
    text = blank(text, m.index!, whole.length);
  }

  // "5.4 conditional – why…": a two-part number alone is a label when a word of the question is of its title.
  for (const m of text.matchAll(BARE_TWO_PART)) {
    // After a kind word ("exercise 14.1: … lognormal …") the number is that kind's, read below.
    const before = /(§|[\p{L}]+)\.?\s*$/u.exec(text.slice(0, m.index))?.[1];
    if (before && (before === "§" || isKindWord(before, items) || countsSomethingElse(before))) continue;
    const item = titleConfirmedItem(items, m[1], question);
    if (!item) continue;
    addFound(item, m.index!, undefined, true);
    text = blank(text, m.index!, m[0].length);
  }

  // "part (b) of 2.12", "part b of problem 2.12": a two-part number right after "part … of" is a label when one item has it.
  const partOf: { end: number; part: string }[] = [];
  for (const m of text.matchAll(PART_OF)) {
    const end = m.index! + m[0].length;
    partOf.push({ end, part: m[1].toLowerCase() });
    const bare = /^\s*#?\s*(\d+\.\d+(?:\.\d+)?)(?![\d\p{L}%]|\.\d)/u.exec(text.slice(end));
    const item = bare && bareNumberItem(items, bare[1]);
    if (!item) continue;
    addFound(item, end, m[1].toLowerCase(), true);
    text = blank(text, end, bare[0].length);
  }
  // A question that is a bare number and nothing else to search ("2.57?", "help with 4.24"): the one item numbered so.
  const lone = LONE_NUMBER.exec(text);
  if (lone && !found.length && text.replace(lone[0], " ").split(/[^\p{L}\p{N}']+/u).every((w) => !w || ASKING_WORDS.has(w.toLowerCase()))) {
    const item = bareNumberItem(items, lone[1]);
    if (item) {
      addFound(item, lone.index!, undefined, true);
      text = blank(text, lone.index!, lone[0].length);
    }
  }

  const lookup = (ref: Ref & { match?: string }, label: string) =>
    byLabel.get(label) ??
    // "Section 1.6.2" typed for a subsection, "Problem 2.3" for a course that calls them exercises.
    (ref.kind === "section" ? byLabel.get(`Subsection ${ref.number}`) : undefined) ??
    (ref.kind === "subsection" ? byLabel.get(`Section ${ref.number}`) : undefined) ??
    (ref.appendix ? byLabel.get(`Chapter ${ref.number}`) : undefined) ??
    (ref.kind === "exercise" ? items.find((i) => EXERCISE_ONLY.has(i.kind.toLowerCase()) && i.number === ref.number) : undefined) ??
    // "ex 1.2.3" is also short for "example": the example numbered so, when no exercise is.
    (ref.kind === "exercise" && /^ex(?![a-z])/i.test(ref.match ?? "") ? items.find((i) => i.kind === "example" && i.number === ref.number) : undefined) ??
    // A book's chapter-end "Question 4.17", asked for as "exercise 4.17".
    (ref.kind === "exercise" ? items.find((i) => EXERCISE_KINDS.has(i.kind.toLowerCase()) && i.number === ref.number) : undefined);
  // "section 2.I think…": a lettered part ("4.E") is a label only in a course that letters some of its numbers.
  const lettered = items.some((i) => /\d\.[A-Z]/.test(i.number));
  for (const found of extractRefs(text)) {
    const ref = lettered ? found : { ...found, number: found.number.replace(/\.[A-Z].*$/, "") };
    const label = refLabel(ref);
    if (!label) continue;
    const item = lookup(ref, label);
    const sibling = item ? undefined : statementSibling(items, ref.kind!, ref.number);
    if (item ?? sibling) addFound((item ?? sibling)!, ref.index, ref.part);
    if (!item) addAbsent(ref, label);
    // "theorem 4.2 and 4.9", "examples 3.2.1, 3.2.2": the numbers listed after it are of its kind (read only when they exist).
    for (const next of listedAfter(text, ref.index + ref.match.length, ref.number)) {
      const r = { ...ref, number: next.number, part: next.part };
      const l = refLabel(r);
      const listed = l ? (lookup(r, l) ?? statementSibling(items, ref.kind!, next.number)) : undefined;
      if (listed) addFound(listed, next.at, next.part);
    }
  }
  for (const p of partOf) {
    const named = found.find((e) => e.at >= p.end && !/\S/.test(text.slice(p.end, e.at)));
    if (named && !named.part) named.part = p.part;
  }
  const explicit = containedFirst(found.sort((a, b) => a.at - b.at), items).map(({ at: _at, bare: _bare, ...e }) => e);
  return { explicit, absent };
}


/** Words students use for an exercise that the fixed aliases do not cover. */
const OWN_KIND_WORDS = new Set(["problem", "prob", "question", "q"]);
const patternCache = new WeakMap<ItemRow[], RegExp>();

/**
 * "method 6.3", "key idea 4", "problem 42": the kinds of this course that are not fixed aliases of
 * lib/cite/refs.ts, then a number and maybe a part.
 */
function courseKindPattern(items: ItemRow[]): RegExp {
  let re = patternCache.get(items);
  if (!re) {
    const own = new Set([...ownKindWords(items), ...OWN_KIND_WORDS]);
    const names = [...own].sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+"));
    re = new RegExp(String.raw`(?<![\p{L}\d.])(${names.join("|")})s?\.?\s*#?\s*(\d+(?:\.(?:\d+|[A-Z](?![\p{L}\d]))){0,3}|[A-Z](?:\.\d+){1,3})${PART}(?![\d]|\.\d)`, "giu");
    patternCache.set(items, re);
  }
  re.lastIndex = 0;
  return re;
}


function titleCase(kind: string): string {
  return kind.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}

const HEADING_KINDS = new Set(["chapter", "section", "subsection"]);

/**
 * A word then a number ("excercise 2.1.6"), or a number of three parts or after "#"/"no." ("2.1.6", "#2.1.6").
 * The number may not be followed by more digits, a letter or a percent sign; a bare one may carry a part ("2.1.6b", "2.1.6(b)").
 */
const LOOSE_REF = new RegExp(String.raw`(?<![\p{L}\d.#])(?:([\p{L}]{5,})\.?\s*(\d+(?:\.(?:\d+|[A-Z](?![\p{L}\d]))){0,3}|[A-Z](?:\.\d+){0,3})|(?:#|no\.\s*|nr\.\s*)?(?<!\d)(\d+\.\d+\.\d+|(?<=#|no\.\s*|nr\.\s*)\d+\.\d+)(?:\(\s*([a-h])\s*\)|([a-h]))?)(?![\d\p{L}%]|\.\d)`, "giu");

/** "eq (3.1.2)", "eqn. 3.1.2", "equation (A.2.3)", "eqs. (2.1)": a display's number (an appendix's starts with its letter), with or without its parentheses. */
const EQUATION_REF = /(?<![\p{L}\d.])(?:[Ee][Qq][NnSs]?|[Ee][Qq][Uu][Aa][Tt][Ii][Oo][Nn][Ss]?)\.?\s*(?:\(\s*((?:\d+|[A-Z])(?:\.\d+){0,3})\s*\)|((?:\d+|[A-Z])(?:\.\d+){0,3})(?![\d\p{L}]|\.\d))/gu;

/** "(3.1.2)", "(A.2.3)" not after a letter, digit or operator (so "f(2.5)", "2*(1.5)" are math). */
const BRACKETED_NUMBER = /(?<![\p{L}\d.)^*/+\-=])\(\s*((?:\d+|[A-Z])(?:\.\d+){1,3})\s*\)/gu;

/** ", 4.9", " and 4.9(b)", " & 4.9", " vs 4.9", " or 4.9": a further number in a list after a label. */
const LISTED = /^\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or|&|vs\.?|versus)\s+|\s*&\s*)(\d+(?:\.\d+){0,3})(?:\s*\(\s*([a-h])\s*\)|([a-h])(?![\p{L}]))?(?![\d%]|\.\d)/iu;

/**
 * The numbers listed right after a label ("theorem 4.2 and 4.9", "examples 3.2.1, 3.2.2 and 3.2.4"), shaped like
 * its number (as many dots: "lemma 2.1 and 3 others" lists nothing), with where each starts and ends.
 */
function listedAfter(text: string, from: number, first: string): { number: string; part?: string; at: number; end: number }[] {
  const out: { number: string; part?: string; at: number; end: number }[] = [];
  const dots = first.split(".").length;
  let at = from;
  for (let m = LISTED.exec(text.slice(at)); m && m[1].split(".").length === dots && out.length < 6; m = LISTED.exec(text.slice(at))) {
    const part = (m[2] ?? m[3])?.toLowerCase();
    out.push({ number: m[1], ...(part ? { part } : {}), at: at + m[0].indexOf(m[1]), end: at + m[0].length });
    at += m[0].length;
  }
  return out;
}

/** A two-part number not next to a letter, digit or operator ("5.4 conditional", not "x=5.4" or "5.4%"). */
const BARE_TWO_PART = /(?<![\p{L}\d.,=+\-*/^<>§$])(\d+\.\d+)(?![\d\p{L}%=+\-*/^<>]|\.\d)/gu;

/** "part (b) of", "part b in": the part of the label that follows. */
const PART_OF = /(?<![\p{L}])part\s*\(?\s*([a-h])\s*\)?\s+(?:of|in|from)\s(?:the\s)?/giu;

/** A two- or three-part number standing alone (no other digit, no operator around it in the question). */
const LONE_NUMBER = /(?<![\p{L}\d.,=+\-*/^<>§]|§\s+)#?\s*(\d+\.\d+(?:\.\d+)?)(?![\d\p{L}%=+\-*/^<>]|\.\d)/u;

/** Words that ask about a label without saying anything of its content ("help with 4.24", "what does 2.57 say"). */
const ASKING_WORDS = new Set([
  "help", "hint", "hints", "for", "on", "with", "in", "stuck", "what", "whats", "does", "do", "say", "says", "explain", "can", "could",
  "you", "me", "to", "i", "i'm", "im", "the", "proof", "prove", "of", "about", "please", "pls", "is", "a", "an", "how", "solve", "solution", "answer", "mean", "means", "get",
]);

/** "the 2.1.5 exercise", "the 1.3 section": "the", a number, then a word (a kind's name, checked by the caller). */
const NUMBER_THEN_KIND = /(?<![\p{L}])the\s+((?:\d+|[A-Z])(?:\.(?:\d+|[A-Z](?![\p{L}\d]))){0,3})\s+([\p{L}]+)(?:\s+([\p{L}]+))?(?![\p{L}])/giu;

/** "example number 1.2.3", "thm no. 3.2", "exercise #5", "sec nr 2.1": the word between a kind and its number. */
const NUMBER_WORD_AFTER_KIND = /(?<![\p{L}\d])([\p{L}]+)(\.?(?:\s+(?:number|num\.?|no\.?|nr\.?)\s*|\s*#\s*))(?=\d|[A-Z](?![\p{L}]))/giu;

/**
 * The text with "number", "no.", "#" after a kind word made spaces ("example number 1.2.3" reads as "example 1.2.3"),
 * offsets kept. Only after a word that names a kind of the course or a fixed one.
 */
function dropNumberWords(text: string, items: ItemRow[]): string {
  let out = text;
  for (const m of text.matchAll(NUMBER_WORD_AFTER_KIND)) {
    const previous = /([\p{L}]+)\s+$/u.exec(text.slice(0, m.index))?.[1];
    if (!isKindWord(m[1], items) && !(previous && isKindWord(`${previous} ${m[1]}`, items))) continue;
    out = blank(out, m.index! + m[1].length, m[2].length);
  }
  return out;
}

/** Full kind names of the course and the fixed ones, lower case, for matching a misspelt word. */
const KIND_NAMES_LOWER = ["exercise", "problem", "theorem", "definition", "proposition", "corollary", "example", "lemma", "remark", "section", "subsection", "chapter", "appendix"];

/** A kind's name or alias, or a course's own kind ("exercises", "thm", "method"). */
function isKindWord(word: string, items: ItemRow[]): boolean {
  const w = word.toLowerCase();
  const names = kindWordsOf(items);
  return names.has(w) || names.has(w.replace(/s$/, "")) || names.has(w.replace(/es$/, ""));
}

const kindWordCache = new WeakMap<ItemRow[], { all: Set<string>; names: string[] }>();
function kindWordCacheOf(items: ItemRow[]) {
  let c = kindWordCache.get(items);
  if (!c) {
    const names = [...new Set([...KIND_NAMES_LOWER, ...items.map((i) => i.kind.toLowerCase())])];
    c = { all: new Set([...names, ...refAliases(), ...OWN_KIND_WORDS, ...ownKindWords(items)]), names };
    kindWordCache.set(items, c);
  }
  return c;
}
const kindWordsOf = (items: ItemRow[]) => kindWordCacheOf(items).all;

/** The item named by a misspelt kind word (one or two edits from a kind name, never an English word's exact form). */
function misspeltKindItem(items: ItemRow[], word: string, number: string): ItemRow | undefined {
  const typed = word.toLowerCase();
  const names = kindWordCacheOf(items).names;
  // Two edits for a long name ("therom" for "theorem"), one for a short one ("lema"); as typed or without a plural s.
  const near = names.filter((n) =>
    [typed, typed.replace(/s$/, "")].some((w) => {
      const max = Math.max(n.length, w.length) >= 7 ? 2 : 1;
      return Math.abs(n.length - w.length) <= max && (distance(n, w) <= max || isSwap(n, w));
    }),
  );
  // By kind, or by the printed word (an article's top-level "Section 7" is stored as a chapter). Several near names
  // ("axoims": "axiom" and "axioms") are a guess only when exactly one of them has an item of that number.
  const named = near.flatMap((name) => {
    const kinds = name === "problem" || name === "exercise" ? EXERCISE_KINDS : new Set([name]);
    const item = items.find((i) => i.number === number && (kinds.has(i.kind.toLowerCase()) || i.label.toLowerCase() === `${name} ${number}`.toLowerCase()));
    return item ? [item] : [];
  });
  return named.length === 1 ? named[0] : undefined;
}

/** Two adjacent letters swapped ("reamrk" for "remark"): one slip of the fingers. */
function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}

/** The one item (headings last) numbered like a bare "2.1.6"; none when several kinds share the number. */
function bareNumberItem(items: ItemRow[], number: string): ItemRow | undefined {
  const same = items.filter((i) => i.number === number);
  const nonHeading = same.filter((i) => !HEADING_KINDS.has(i.kind));
  if (nonHeading.length === 1) return nonHeading[0];
  return nonHeading.length === 0 && same.length === 1 ? same[0] : undefined;
}

/** Names of stated results, which students mix up ("Proposition 3.2" for the notes' "Theorem 3.2"). */
const STATEMENT_KINDS = new Set(["theorem", "lemma", "proposition", "corollary", "conjecture", "claim", "fact", "principle", "law", "rule", "criterion", "result"]);

/**
 * For a stated result the course lacks ("Proposition 3.2.1"), the one stated result of another name with that
 * number ("Theorem 3.2.1"): it is ranked first, and the label as typed is still reported absent, with it nearest.
 */
function statementSibling(items: ItemRow[], kind: string, number: string): ItemRow | undefined {
  if (!STATEMENT_KINDS.has(kind.toLowerCase())) return undefined;
  const same = items.filter((i) => i.number === number && STATEMENT_KINDS.has(i.kind.toLowerCase()));
  return same.length === 1 ? same[0] : undefined;
}

/** The text with `length` characters at `index` made spaces (offsets of later matches stay valid). */
function blank(text: string, index: number, length: number): string {
  return text.slice(0, index) + " ".repeat(length) + text.slice(index + length);
}

/**
 * The item a place form points at: of one of `kinds`, numbered `<container>.<n>`, else numbered `<n>` and printed
 * under that heading (a course numbering exercises 1, 2, 3… through the whole book), else the n-th of them under
 * that heading. `counted` ("the 6th exercise in section 2.1", "the last …") means the n-th only.
 */
function itemAt(items: ItemRow[], kinds: ReadonlySet<string>, container: string, n: string, counted = false): ItemRow | undefined {
  const heading = items.find((i) => HEADING_KINDS.has(i.kind) && i.number === container);
  // A course's own kinds keep their printed case ("Problem", "Skeleton Proof"); a place form's word is lower case.
  const ofKind = (i: ItemRow) => kinds.has(i.kind) || kinds.has(i.kind.toLowerCase());
  const under = (i: ItemRow) =>
    !!heading && (heading.kind === "chapter" ? i.chapter === heading.number : i.section === heading.label || i.path.split(" › ").some((p) => p === heading.label || p.startsWith(`${heading.label}:`)));
  if (!counted) {
    const direct = items.find((i) => ofKind(i) && i.number === `${container}.${n}`) ?? items.find((i) => ofKind(i) && i.number === n && under(i));
    if (direct) return direct;
  }
  if (!heading) return undefined;
  const inside = items.filter((i) => ofKind(i) && under(i)).sort((a, b) => a.ord - b.ord);
  return n === "last" ? inside.at(-1) : inside[Number(n) - 1];
}
