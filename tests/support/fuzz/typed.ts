/** Fuzz targets: what people and models type — references, the labels a question names, citations in an answer. */
import fc from "fast-check";
import { extractRefs, normaliseRefText, parseRef } from "../../../lib/cite/refs";
import { formatLabel } from "../../../lib/course/labels";
import { resolveQuestionRefs } from "../../../lib/retrieve/question-refs";
import type { ItemRow } from "../../../lib/store/schema";
import { extractCitations } from "../../../lib/tutor/citations";
import { describeThrown as describe, fail, PropertyViolation, type FuzzTarget } from "./property";

const KINDS = ["Exercise", "exercise", "Ex.", "ex", "opg", "Opgave", "Def.", "Thm", "theorem", "Lemma", "Prop.", "cor", "Section", "§", "§§", "sec", "Chapter", "ch", "Example", "eks", "Remark", "problem", "#", "q", "no.", "Key Idea", "Method"];
const NUMBERS = ["1", "1.41", "1.41(b)", "1.41b", "2.1.6", "A.2", "0", "99999999999999999999", "1.2.3.4.5.6", "1..2", ".5", "1.", "1.41–1.43", "1.41-1.45", "3(a)", "Ⅻ", "１．４１"];
const GLUE = [" ", "", ".", ", ", " and ", " to ", "–", "—", " in section ", " of ", " from §", "(", ")", "[", "]", "\u00a0", "\u200b", "\u202e", "\u00ad", "\n", " og ", " through "];

/** Free text built of kind words, numbers and glue, mixed with anything. */
const refText = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...KINDS), fc.constantFrom(...NUMBERS), fc.constantFrom(...GLUE), fc.string({ maxLength: 6 })), { maxLength: 40 }).map((p) => p.join("")) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: "binary" }) },
  // Long runs, where a backtracking pattern would show.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...KINDS, ...NUMBERS, ...GLUE, "1", " ", "(", "a"), fc.integer({ min: 100, max: 3000 })).map(([s, n]) => s.repeat(n).slice(0, 4000)) },
);

/** The demo course's labels (chapter 1 and 2 items, sections), as rows. */
const ITEMS: ItemRow[] = (() => {
  const rows: [string, string][] = [["chapter", "1"], ["chapter", "2"], ["section", "1.6"], ["section", "2.1"], ["subsection", "1.6.1"], ["theorem", "1.40"], ["exercise", "1.41"], ["definition", "1.42"], ["exercise", "2.1.6"], ["Key Idea", "4"], ["Method", "6.3"]];
  return rows.map(([kind, number], ord) => {
    const label = formatLabel(kind, number);
    return { id: `demo/${label}`, course: "demo", kind, number, label, title: "", text: label, chapter: "Chapter 1", chapter_title: "", section: "", section_title: "", path: "", parts: kind === "exercise" ? "a,b" : "", passage_id: "demo/p", file: "notes.txt", line: 1, end_line: 1, ord, hash: "" };
  });
})();
const LABELS = new Set(ITEMS.map((i) => i.label));

const refs: FuzzTarget<string> = {
  name: "refs",
  what: "a reference as typed (parseRef) and references in free text (extractRefs)",
  arbitrary: refText,
  check: (s) => {
    try {
      const one = parseRef(s);
      if (one && (typeof one.number !== "string" || !one.number)) fail(`parseRef gave an empty number for ${JSON.stringify(s)}`);
      const norm = normaliseRefText(s);
      for (const r of extractRefs(s)) {
        if (norm.slice(r.index, r.index + r.match.length) !== r.match) fail(`extractRefs offset ${r.index} does not hold its match "${r.match}"`);
        if (!r.kind) fail(`extractRefs found "${r.match}" without a kind`);
      }
    } catch (e) {
      if (e instanceof PropertyViolation) throw e;
      fail(`threw ${describe(e)}`);
    }
  },
};

const questionRefs: FuzzTarget<string> = {
  name: "question-refs",
  what: "the labels a question names, resolved against a course (resolveQuestionRefs)",
  arbitrary: refText,
  check: (q) => {
    let r;
    try {
      r = resolveQuestionRefs(q, ITEMS);
    } catch (e) {
      fail(`threw ${describe(e)}`);
    }
    for (const e of r.explicit) if (!LABELS.has(e.label)) fail(`"${e.label}" reported as found, but the course has no such label`);
    for (const a of r.absent) {
      if (LABELS.has(a.label)) fail(`"${a.label}" reported absent, but the course has it`);
      for (const n of a.nearest) if (!LABELS.has(n)) fail(`nearest label "${n}" is not the course's`);
    }
  },
};

const citations: FuzzTarget<string> = {
  name: "citations",
  what: "citations in an answer ([Exercise 1.41], ranges, lists) — extractCitations",
  arbitrary: fc.oneof(refText, fc.array(fc.oneof(refText, fc.constantFrom("[", "]", "[Exercise 1.41]", "[Section 1.6, Exercise 1.41]", "Exercises 1.41–1.43")), { maxLength: 8 }).map((p) => p.join(" "))),
  check: (answer) => {
    let cs;
    try {
      cs = extractCitations(answer);
    } catch (e) {
      fail(`threw ${describe(e)}`);
    }
    const len = normaliseRefText(answer).length;
    for (const c of cs) {
      if (!parseRef(c.label)?.kind) fail(`citation label "${c.label}" is not a label`);
      if (c.index < 0 || c.index > len) fail(`citation offset ${c.index} outside the answer (${len})`);
    }
  },
};

export const TYPED_TARGETS = [refs, questionRefs, citations];
