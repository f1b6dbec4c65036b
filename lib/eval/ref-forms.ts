import { contentStems } from "../retrieve/bare-refs";
import type { ItemRow } from "../store/schema";

/**
 * The explicit-reference stress check (`npm run eval:refs`): for every numbered label of a course, the ways
 * students type it ("Exercise 2.1.6", "ex 2.1.6", "2.1 #6", "problem 6 in section 2.1", "Thm. 3.2", "§2.1"),
 * each inside a short question, with the label the first result must hold. Only forms that fit the course's
 * numbering are made: place forms ("#6 of 2.1") only where a section's or chapter's exercises are numbered
 * 1, 2, 3… within it (not for a counter shared with theorems, as in "Exercise 1.41").
 */
export interface RefProbe {
  /** Which form ("abbrev", "section #n"…): the check reports acc@1 per form. */
  form: string;
  /** The label the question names, as the course prints it. */
  label: string;
  /** The label's kind ("exercise", "section", a course's own "Method"): the check also reports acc@1 per kind. */
  kind: string;
  question: string;
}

/** Short names students type, per kind (lower case; the printed name is always a form of its own). */
const ABBREVIATIONS: Record<string, string[]> = {
  exercise: ["ex"],
  theorem: ["thm"],
  proposition: ["prop"],
  definition: ["def", "defn"],
  lemma: ["lem"],
  corollary: ["cor"],
  remark: ["rem"],
  section: ["sec", "§"],
  subsection: ["sec", "§"],
  chapter: ["ch", "chap"],
  problem: ["prob"],
  // Kinds a course may define itself (lib/retrieve/question-refs.ts reads their short names).
  figure: ["fig"],
  table: ["tab"],
};

/** Kinds a student asks about part of ("part (b) of problem 2.12"). */
const PARTED_KINDS = new Set(["exercise", "problem"]);
/** Stated results whose proof a student asks about ("thm 2.26's proof"). */
const PROVED_KINDS = new Set(["theorem", "lemma", "proposition", "corollary"]);

/** Questions the references are put in, taken in turn so no form is measured in one wording only. */
const CARRIERS = ["{ref}", "hint for {ref}?", "I'm stuck on {ref}, can you help?", "what does {ref} say", "can you explain {ref} to me"];

const HEADING_KINDS = new Set(["chapter", "section", "subsection"]);

/** The name a student may mistakenly give each kind of stated result. */
const STATEMENT_SIBLING: Record<string, string> = { theorem: "proposition", proposition: "theorem", lemma: "theorem", corollary: "theorem" };

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${s}`;
}

/** The word a label is printed with ("Section" for an article's top-level "Section 6" stored as a chapter). */
function printedWord(item: ItemRow): string {
  return item.label.slice(0, item.label.length - item.number.length).trim();
}

/**
 * Containers (sections, chapters) whose items of `kind` are numbered `<container>.1`, `<container>.2`, … in order:
 * there a student may say "problem 6 in section 2.1", "2.1 #6" or "example 3 of section 2.1". Keyed by the
 * container's number.
 */
export function perContainerItems(items: ItemRow[], kind: string): Map<string, { heading: ItemRow; exercises: ItemRow[] }> {
  const out = new Map<string, { heading: ItemRow; exercises: ItemRow[] }>();
  const headings = items.filter((i) => HEADING_KINDS.has(i.kind));
  const exercises = items.filter((i) => i.kind === kind && /^\d+(\.\d+)+$/.test(i.number)).sort((a, b) => a.ord - b.ord);
  const byPrefix = new Map<string, ItemRow[]>();
  for (const e of exercises) {
    const prefix = e.number.slice(0, e.number.lastIndexOf("."));
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), e]);
  }
  for (const [prefix, list] of byPrefix) {
    const heading = headings.find((h) => h.number === prefix && printedWord(h).toLowerCase() !== "subsection") ?? headings.find((h) => h.number === prefix);
    if (!heading) continue;
    if (list.every((e, i) => e.number === `${prefix}.${i + 1}`)) out.set(prefix, { heading, exercises: list });
  }
  return out;
}

/** Every probe for a course's items (deterministic: the same store gives the same probes). */
export function refProbes(items: ItemRow[]): RefProbe[] {
  const probes: { form: string; label: string; kind: string; ref: string }[] = [];
  const kindOf = new Map(items.map((i) => [i.label, i.kind]));
  const add = (form: string, label: string, ref: string) => probes.push({ form, label, kind: kindOf.get(label) ?? "", ref });
  const sorted = [...items].sort((a, b) => a.ord - b.ord);
  const seen = new Set<string>();
  for (const item of sorted) {
    if (!item.number || seen.has(item.label)) continue;
    seen.add(item.label);
    const word = printedWord(item);
    if (!word) continue;
    const lower = word.toLowerCase();
    add("printed label", item.label, item.label);
    add("lower case", item.label, `${lower} ${item.number}`);
    // The abbreviations of the word the label is printed with (an article's "Section 6" is a section to a student).
    const kindOfWord = Object.keys(ABBREVIATIONS).find((k) => k === lower);
    for (const abbr of kindOfWord ? ABBREVIATIONS[kindOfWord] : []) {
      if (abbr === "§") add("§n", item.label, `§${item.number}`);
      else {
        add("abbrev", item.label, `${abbr} ${item.number}`);
        add("Abbrev.", item.label, `${abbr[0].toUpperCase()}${abbr.slice(1)}. ${item.number}`);
      }
    }
    add("UPPER CASE", item.label, item.label.toUpperCase());
    const abbr = (kindOfWord ? ABBREVIATIONS[kindOfWord] : []).find((a) => a !== "§");
    // Typed without the space ("thm2.3", "sec4.1", "prob4.30").
    if (abbr) add("abbrev, no space", item.label, `${abbr}${item.number}`);
    if (PROVED_KINDS.has(item.kind)) add("<abbrev> n's proof", item.label, `${abbr ?? lower} ${item.number}'s proof`);
    if (PARTED_KINDS.has(lower) || PARTED_KINDS.has(item.kind)) add("part (b) of <label>", item.label, `part (b) of ${lower} ${item.number}`);
    if (item.kind === "chapter" && /^\d+$/.test(item.number)) add("chapter n review", item.label, `${lower} ${item.number} review`);
    if (lower === "equation") {
      add("eq (n)", item.label, `eq (${item.number})`);
      add("equation (n)", item.label, `equation (${item.number})`);
    }
    // A bare number alone, when it names one item: "2.57?", "help with 4.24".
    if (!HEADING_KINDS.has(item.kind) && /^\d+\.\d+(\.\d+)?$/.test(item.number) && items.filter((i) => i.number === item.number).length === 1) add("bare number alone", item.label, item.number);
    if (lower === "subsection") add("subsection as section", item.label, `section ${item.number}`);
    if (HEADING_KINDS.has(item.kind) && /^[A-Z](\.\d+)*$/.test(item.number)) add("appendix X", item.label, `appendix ${item.number}`);
    if (item.kind === "exercise") add("problem n", item.label, `problem ${item.number}`);
    // Two letters swapped in the kind word ("exrecise", "thoerem"), for names long enough to tell apart.
    if (lower.length >= 6 && /^[a-z]+$/.test(lower)) add("typo in kind word", item.label, `${lower.slice(0, 2)}${lower[3]}${lower[2]}${lower.slice(4)} ${item.number}`);
    // A three-part number that only this item (of the non-headings) has: "2.1.6", "#2.1.6".
    if (/^\d+\.\d+\.\d+$/.test(item.number) && (HEADING_KINDS.has(item.kind) ? items.filter((i) => i.number === item.number).length === 1 : items.filter((i) => i.number === item.number && !HEADING_KINDS.has(i.kind)).length === 1)) {
      add("bare number x.y.z", item.label, item.number);
      add("#x.y.z", item.label, `#${item.number}`);
    }
  }
  // A stated result under a sibling name the course does not use for that number ("proposition 3.2.1" for Theorem 3.2.1).
  const labels = new Set(items.map((i) => i.label));
  for (const item of sorted) {
    const sibling = STATEMENT_SIBLING[item.kind];
    if (sibling && !labels.has(`${sibling[0].toUpperCase()}${sibling.slice(1)} ${item.number}`) && items.filter((i) => i.number === item.number && STATEMENT_SIBLING[i.kind]).length === 1) {
      add("sibling statement name", item.label, `${sibling} ${item.number}`);
    }
  }
  // Numbered <chapter>.<n> through a chapter: "problem 8 in chapter 2" (Problem 2.8), and the first items of each kind
  // in a section by their order there ("the 2nd theorem of section 6.3").
  const chapters = new Map(items.filter((i) => i.kind === "chapter").map((c) => [c.number, c]));
  const ordinals = new Map<string, number>();
  const placed = new Set<string>();
  for (const item of sorted) {
    if (HEADING_KINDS.has(item.kind) || !item.number || placed.has(item.label)) continue;
    placed.add(item.label);
    const word = printedWord(item).toLowerCase();
    const m = /^(\d+)\.(\d+)$/.exec(item.number);
    if (m && chapters.has(m[1]) && item.chapter === m[1]) add("<kind> n in chapter C", item.label, `${word} ${m[2]} in chapter ${m[1]}`);
    const section = items.find((h) => h.kind === "section" && h.label === item.section);
    if (!section || !word || !/^\d+(\.\d+)*$/.test(section.number)) continue;
    const key = `${section.label}|${item.kind}`;
    const n = (ordinals.get(key) ?? 0) + 1;
    ordinals.set(key, n);
    if (n <= 2) add("nth <kind> of section S", item.label, `the ${ordinal(n)} ${word} of section ${section.number}`);
  }
  for (const kind of new Set(items.map((i) => i.kind))) {
    if (kind === "exercise" || HEADING_KINDS.has(kind)) continue;
    for (const [prefix, { heading, exercises: list }] of perContainerItems(items, kind)) {
      const where = printedWord(heading).toLowerCase();
      const word = printedWord(list[0]).toLowerCase();
      list.forEach((e, i) => {
        const n = i + 1;
        add("<kind> n in <heading> S", e.label, `${word} ${n} in ${where} ${prefix}`);
        add("nth <kind> in <heading> S", e.label, `the ${ordinal(n)} ${word} in ${where} ${prefix}`);
        if (prefix.includes(".")) add("nth <kind> in S", e.label, `the ${ordinal(n)} ${word} in ${prefix}`);
      });
    }
  }
  for (const [prefix, { heading, exercises }] of perContainerItems(items, "exercise")) {
    const where = printedWord(heading).toLowerCase();
    const dotted = prefix.includes(".");
    exercises.forEach((e, i) => {
      const n = i + 1;
      if (dotted) {
        add("S #n", e.label, `${prefix} #${n}`);
        add("exercise S #n", e.label, `exercise ${prefix} #${n}`);
        add("question n of S", e.label, `question ${n} of ${prefix}`);
        add("ex. n of §S", e.label, `ex. ${n} of §${prefix}`);
        add("qn from S", e.label, `q${n} from ${prefix}`);
        add("nth exercise in S", e.label, `the ${ordinal(n)} exercise in ${prefix}`);
      } else add("question n of S", e.label, `question ${n} of ${where} ${prefix}`);
      add("problem n in <heading> S", e.label, `problem ${n} in ${where} ${prefix}`);
      add("<heading> S exercise n", e.label, `${where} ${prefix} exercise ${n}`);
      add("nth exercise in <heading> S", e.label, `the ${ordinal(n)} exercise in ${where} ${prefix}`);
      if (n === exercises.length) add("last exercise in <heading> S", e.label, `the last exercise in ${where} ${prefix}`);
    });
  }
  return [...probes.map((p, i) => ({ form: p.form, label: p.label, kind: p.kind, question: CARRIERS[i % CARRIERS.length].replace("{ref}", p.ref) })), ...contextProbes(items)];
}

const isExerciseKind = (i: ItemRow) => PARTED_KINDS.has(i.kind.toLowerCase());
const NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
const ORDINAL_WORDS = ["first", "second", "third"];

/**
 * Whole questions around a label, as students type them: the label then a question full of other numbers and math
 * ("Example 2.3.4: why is f(2.5) = 1.25?"), the label mid-sentence or at the end, two labels (the first named is the
 * subject), punctuation and emoji around it, its title after it, parts ("ex 2.1.6 b", "2.1.6b"), number words
 * ("exercise five in section 2.1", "chapter two"), a place after a comma or in brackets ("question 1, chapter 1").
 * Each form's wordings are taken in turn over the labels, so a form is measured in all of them without one probe each.
 */
export function contextProbes(items: ItemRow[]): RefProbe[] {
  const out: RefProbe[] = [];
  const turn = new Map<string, number>();
  /** One of a form's wordings, the next in turn. */
  const add = (form: string, item: ItemRow, questions: string[]) => {
    const i = turn.get(form) ?? 0;
    turn.set(form, i + 1);
    out.push({ form, label: item.label, kind: item.kind, question: questions[i % questions.length] });
  };
  const sorted = [...items].sort((a, b) => a.ord - b.ord);
  const seen = new Set<string>();
  const numbered = sorted.filter((i) => i.number && printedWord(i) && !seen.has(i.label) && !!seen.add(i.label));
  // Numbers that really are some item's number, put in math, where a careless reading takes them for a label.
  const twoPart = [...new Set(sorted.map((i) => i.number).filter((n) => /^\d+\.\d+$/.test(n)))];
  numbered.forEach((item, idx) => {
    const word = printedWord(item);
    const lower = word.toLowerCase();
    const abbr = (ABBREVIATIONS[lower] ?? []).find((a) => a !== "§") ?? lower;
    const ref = `${lower} ${item.number}`;
    const mathNumber = twoPart.length ? twoPart[(idx * 7) % twoPart.length] : "2.5";
    add("<label> then math", item, [
      `${item.label}: why is f(2.5) = 1.25?`,
      `in ${abbr} ${item.number} where does the 1/2 come from`,
      `${item.label} says x > 0.5, why?`,
      `${ref}: why is x = ${mathNumber} here?`,
      `in ${ref}, why does 2^3.1 = 8.57 and not 1.2.3?`,
      ...(lower === "section" || lower === "subsection" ? [`§${item.number}: is 3.14 rational?`] : []),
    ]);
    add("<label> mid-sentence or at the end", item, [`I don't get the squeeze step in ${ref}`, `can someone explain the last line of ${abbr} ${item.number}`, `why is f(2.5) = 1.25 in ${ref}?`, `${ref}'s second line, why 2.5?`]);
    const other = numbered[(idx + 7) % numbered.length];
    // Two items, or two headings neither holding the other: a heading named with an item it holds gives way to the item.
    const holds = (h: ItemRow, i: ItemRow) =>
      HEADING_KINDS.has(h.kind) &&
      (i.section === h.label || (h.kind === "chapter" && i.chapter === h.number) || i.number.startsWith(`${h.number}.`) || i.path.split(" › ").some((p) => p === h.label || p.startsWith(`${h.label}:`)));
    if (other.label !== item.label && !holds(item, other) && !holds(other, item)) {
      add("two labels, the first leads", item, [`does ${ref} need ${printedWord(other).toLowerCase()} ${other.number}?`, `the proof of ${ref} uses ${other.number}?`]);
    }
    // Its section or chapter named first, as a place: "in section 2.3, example 2.3.4: why …" asks about the example.
    const section = items.find((h) => h.kind === "section" && h.label === item.section && h.label !== item.label);
    const chapter = items.find((h) => h.kind === "chapter" && h.number === item.chapter && h.label !== item.label);
    if (!HEADING_KINDS.has(item.kind) && (section || chapter)) {
      const where = [...(section ? [`in ${section.label.toLowerCase()}, ${ref}: why is it 0.5?`, `${section.label} ${item.label}?`] : []), ...(chapter && /^\d+$/.test(chapter.number) ? [`chapter ${chapter.number}, ${ref} — I don't get it`] : [])];
      if (where.length) add("its section or chapter, then <label>", item, where);
    }
    add("punctuation, emoji", item, [`${item.label}?!`, `help (${ref})`, `what does "${item.label}" mean`, `${ref} 🙏`, `stuck on ${ref}...`, `${ref}, I don't get it.`, `re: ${ref} - the 3.5 at the end?`]);
    add("<kind> number/no./# n, the n <kind>", item, [`${lower} number ${item.number}`, `${abbr} no. ${item.number}?`, `${lower} #${item.number}`, `in the ${item.number} ${lower}, why 0.5?`]);
    add("Abbrev.n, ABBREVn", item, [`${abbr[0].toUpperCase()}${abbr.slice(1)}.${item.number} ?`, `${abbr.toUpperCase()}${item.number}`, `${lower}${item.number}`]);
    if (item.title && !/[\\$]/.test(item.title) && item.title.length < 40) add("<Label> (title)", item, [`${item.label} (${item.title.toLowerCase()}): why?`]);
    if (PARTED_KINDS.has(lower) || PARTED_KINDS.has(item.kind)) {
      const bare = /^\d+\.\d+\.\d+$/.test(item.number) && items.filter((i) => i.number === item.number && !HEADING_KINDS.has(i.kind)).length === 1;
      add("parts: ex n b, n(b), nb", item, [`${abbr} ${item.number} b`, `${ref}(b)`, `${ref}b`, `${ref} (b) please`, `${ref} part b`, ...(bare ? [`${item.number}(b)`, `help with ${item.number} b`, `${item.number}b?`] : [])]);
    }
    if (lower === "equation") add("eq. (n), equation n, (n)", item, [`eq. (${item.number})`, `where does equation ${item.number} come from`, `eqn ${item.number}`, `where does (${item.number}) come from?`]);
    // "ex" is short for "example" too, where no exercise has the number.
    if (lower === "example" && !items.some((i) => isExerciseKind(i) && i.number === item.number)) add("ex n for an example", item, [`ex ${item.number}`, `Ex. ${item.number}: why is it 0.5?`, `in ex${/^\d/.test(item.number) ? "" : " "}${item.number} where does the 1/2 come from`]);
    if (lower === "figure") add("fig n", item, [`fig ${item.number}`, `what does Fig. ${item.number} show`]);
    if (lower === "table") add("table n", item, [`table ${item.number}`, `what is in tab. ${item.number}?`]);
    if (item.kind === "chapter" && /^\d+$/.test(item.number) && Number(item.number) >= 1 && Number(item.number) <= NUMBER_WORDS.length) {
      add("chapter <number word>", item, [`what is chapter ${NUMBER_WORDS[Number(item.number) - 1]} about`]);
    }
  });
  // Numbered <chapter>.<n> through a chapter (a counter shared by every kind, too): "chapter 3 example 5" for Example 3.5.
  const chapters = new Set(items.filter((i) => i.kind === "chapter").map((c) => c.number));
  for (const item of numbered) {
    const m = /^(\d+)\.(\d+)$/.exec(item.number);
    if (HEADING_KINDS.has(item.kind) || !m || !chapters.has(m[1]) || item.chapter !== m[1]) continue;
    const word = printedWord(item).toLowerCase();
    add("chapter C <kind> n", item, [`chapter ${m[1]} ${word} ${m[2]}`, `ch ${m[1]}, ${word} ${m[2]}?`, `${word} ${m[2]} (chapter ${m[1]})`, `${word} ${m[2]}, chapter ${m[1]}: why 0.5?`]);
  }
  // "ch.5 sec 1", "chapter 5, section 1": a section numbered <chapter>.<n>, named by its chapter and its place there.
  for (const item of numbered) {
    const m = /^(\d+)\.(\d+)$/.exec(item.number);
    if (item.kind !== "section" || !m || !chapters.has(m[1])) continue;
    add("chapter C section n", item, [`ch.${m[1]} sec ${m[2]}: why 0.5?`, `chapter ${m[1]}, section ${m[2]}`, `in chapter ${m[1]} section ${m[2]} I don't get the 2nd line`]);
  }
  // A number without a kind word, with words of its title: "5.4 conditional – why…", "what's in 3.6.5, the checklist?".
  for (const item of numbered) {
    if (!/^\d+\.\d+(\.\d+)?$/.test(item.number) || !item.title || /[\\$]/.test(item.title)) continue;
    const own = contentStems(item.title);
    const shared = items.filter((i) => i.number === item.number && i.label !== item.label).some((i) => [...contentStems(i.title)].some((w) => own.has(w)));
    if (!own.size || shared) continue;
    const title = item.title.toLowerCase();
    add("n then title words", item, [`${item.number} ${title} - why is it 0.5?`, `what's in ${item.number}, the ${title}?`]);
  }
  // "the third example of section 1.4": ordinal words for the first items of each kind in a section.
  const counts = new Map<string, number>();
  for (const item of sorted) {
    if (HEADING_KINDS.has(item.kind) || !item.number) continue;
    const section = items.find((h) => h.kind === "section" && h.label === item.section);
    const word = printedWord(item).toLowerCase();
    if (!section || !word || !/^\d+(\.\d+)*$/.test(section.number)) continue;
    const key = `${section.label}|${item.kind}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n <= ORDINAL_WORDS.length) add("the <ordinal word> <kind> of section S", item, [`the ${ORDINAL_WORDS[n - 1]} ${word} of section ${section.number}`]);
  }
  // Where a section or chapter numbers its items 1, 2, 3…: number words, "Q5", a place after a comma or in brackets.
  for (const kind of new Set(sorted.map((i) => i.kind))) {
    if (HEADING_KINDS.has(kind)) continue;
    for (const [prefix, { heading, exercises: list }] of perContainerItems(sorted, kind)) {
      const where = printedWord(heading).toLowerCase();
      const word = printedWord(list[0]).toLowerCase();
      const exercise = PARTED_KINDS.has(word) || PARTED_KINDS.has(kind);
      list.forEach((e, i) => {
        const n = i + 1;
        if (n <= NUMBER_WORDS.length) add("<kind> <number word> in <heading> S", e, [`${word} ${NUMBER_WORDS[n - 1]} in ${where} ${prefix}`]);
        add("<heading> S <kind> n, S <kind> n", e, [`${where} ${prefix} ${word} ${n}`, `${where} ${prefix}, ${word} ${n}: why 0.5?`, `§${prefix} ${word} ${n}`, ...(prefix.includes(".") ? [`${prefix} ${word} ${n}?`] : [])]);
        add("<kind> n, <heading> S / (<heading> S)", e, [`${word} ${n} (${where} ${prefix})`, `${word} ${n}, ${where} ${prefix}`]);
        const exercisesThere = items.some((i) => isExerciseKind(i) && (i.number.startsWith(`${prefix}.`) || i.section === heading.label || (heading.kind === "chapter" && i.chapter === heading.number)));
        if (word === "example" && !exercisesThere) add("ex n in <heading> S for an example", e, [`ex ${n} in ${where} ${prefix}`, `${where} ${prefix} ex ${n}`]);
        if (exercise) {
          add("Qn, q.n, question n of S", e, [`Q${n} of ${where} ${prefix}`, `q.${n} of ${prefix}`, `question ${n}, ${where} ${prefix}`, `${where} ${prefix} Q${n}`]);
          add("S #n(b)", e, [prefix.includes(".") ? `${prefix} #${n}(b)` : `${where} ${prefix} #${n}(b)`]);
        }
      });
    }
  }
  return out;
}
