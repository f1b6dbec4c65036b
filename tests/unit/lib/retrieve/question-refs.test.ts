import { describe, expect, it } from "vitest";
import { resolveQuestionRefs } from "../../../../lib/retrieve/question-refs";
import type { ItemRow } from "../../../../lib/store/schema";

let ord = 0;
function item(kind: string, number: string, section = ""): ItemRow {
  const label = `${kind[0].toUpperCase()}${kind.slice(1)} ${number}`;
  return { id: label, course: "c", kind, number, label, title: "", text: "", chapter: number.split(".")[0], chapter_title: "", section, section_title: "", path: "", parts: "", passage_id: `p/${label}`, file: "f", line: 1, end_line: 1, ord: ord++, hash: "" };
}

// A book numbering exercises within sections (Exercise 2.1.6) and one numbering them per chapter (Exercise 1.41).
const sectioned = [item("chapter", "2"), item("section", "2.1", "Section 2.1"), ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => item("exercise", `2.1.${n}`, "Section 2.1")), item("theorem", "2.3", "Section 2.1")];
const chapterWide = [item("chapter", "1"), item("section", "1.6", "Section 1.6"), item("exercise", "1.40", "Section 1.5"), item("exercise", "1.41", "Section 1.6"), item("exercise", "1.42", "Section 1.6"), item("exercise", "1.43", "Section 1.6")];

describe("resolveQuestionRefs", () => {
  it.each([
    ["I'm stuck on 2.1 #6, what identity should I use?", "Exercise 2.1.6", undefined],
    ["problem 6 in section 2.1 makes no sense", "Exercise 2.1.6", undefined],
    ["ex 2.1.5", "Exercise 2.1.5", undefined],
    ["how do I start §2.1 no. 7(b)", "Exercise 2.1.7", "b"],
    ["exercise 3 from 2.1", "Exercise 2.1.3", undefined],
    ["opgave 2.1.4 del b?", "Exercise 2.1.4", undefined],
  ])("%s → %s", (q, label, part) => {
    const r = resolveQuestionRefs(q, sectioned);
    expect(r.explicit[0]).toEqual({ label, ...(part ? { part } : {}) });
    expect(r.absent).toEqual([]);
  });

  it("reads a place form as the n-th exercise of the section when exercises are numbered per chapter", () => {
    expect(resolveQuestionRefs("hint for 1.6 #2", chapterWide).explicit).toEqual([{ label: "Exercise 1.42" }]);
    expect(resolveQuestionRefs("problem 1 in section 1.6", chapterWide).explicit).toEqual([{ label: "Exercise 1.41" }]);
  });

  it("reports labels the course lacks, with the nearest real ones, and keeps the ones it has", () => {
    const r = resolveQuestionRefs("compare exercise 2.1.99 with theorem 2.3 and Theorem 150", sectioned);
    expect(r.explicit).toEqual([{ label: "Theorem 2.3" }]);
    expect(r.absent.map((a) => a.label)).toEqual(["Exercise 2.1.99", "Theorem 150"]);
    expect(r.absent[0].nearest[0]).toBe("Exercise 2.1.10");
    expect(resolveQuestionRefs("2.1 #40", sectioned).absent.map((a) => a.label)).toEqual(["Exercise 2.1.40"]);
  });

  it("does not read plain numbers or prose as references", () => {
    for (const q of ["is 2.5 bigger than 2", "what is 3.14 times 2", "the exercise about sets"]) expect(resolveQuestionRefs(q, sectioned)).toEqual({ explicit: [], absent: [] });
  });

  it("reads the course's own kinds ('Method 6.3', 'Key Idea 4') and 'problem 42' for an exercise", () => {
    const own = [item("Method", "6.3", "Section 6"), { ...item("Key Idea", "4"), label: "Key Idea 4" }, item("exercise", "42")];
    own[0].label = "Method 6.3";
    expect(resolveQuestionRefs("what is method 6.3", own).explicit).toEqual([{ label: "Method 6.3" }]);
    expect(resolveQuestionRefs("I don't get key idea 4", own).explicit).toEqual([{ label: "Key Idea 4" }]);
    expect(resolveQuestionRefs("problem 42(b) on the sheets", own).explicit).toEqual([{ label: "Exercise 42", part: "b" }]);
    expect(resolveQuestionRefs("method 7.1?", own).absent.map((a) => a.label)).toEqual(["Method 7.1"]);
  });
});

describe("resolveQuestionRefs: place forms with a heading word, ordinals, lettered headings", () => {
  // A book numbering exercises per chapter (Exercise 2.1, 2.2 under "Chapter 2"), one numbering them 1, 2, 3…
  // through the whole book, and appendices numbered with letters.
  const perChapter = [item("chapter", "1"), item("exercise", "1.1"), item("chapter", "2"), item("section", "2.1", "Section 2.1"), item("exercise", "2.1", "Section 2.9"), item("exercise", "2.2", "Section 2.9")];
  const global = [item("chapter", "5"), item("exercise", "11"), item("exercise", "12"), item("chapter", "6"), item("exercise", "13"), item("exercise", "14")];
  for (const e of global) e.chapter = Number(e.number) <= 12 ? "5" : "6";
  const appendices = [item("chapter", "3"), item("chapter", "A"), item("chapter", "B"), item("section", "B.2", "Section B.2"), item("theorem", "B.17", "Section B.2")];

  it.each([
    ["chapter 2 exercise 1", "Exercise 2.1"],
    ["in ch 2, problem 2(b)?", "Exercise 2.2"],
    ["question 1 of chapter 2", "Exercise 2.1"],
    ["the 2nd exercise in chapter 2", "Exercise 2.2"],
    ["the first problem of chapter 1", "Exercise 1.1"],
    ["the last exercise in chapter 2", "Exercise 2.2"],
  ])("%s → %s (exercises numbered per chapter)", (q, label) => {
    const r = resolveQuestionRefs(q, perChapter);
    expect(r.explicit[0]?.label).toBe(label);
    expect(r.absent).toEqual([]);
  });

  it("reads an ordinal as a count, never as the number: the 2nd exercise of section 1.6 is Exercise 1.42 when numbers run through the chapter", () => {
    expect(resolveQuestionRefs("the 2nd exercise in section 1.6", chapterWide).explicit).toEqual([{ label: "Exercise 1.42" }]);
    expect(resolveQuestionRefs("the 6th exercise in section 2.1", sectioned).explicit).toEqual([{ label: "Exercise 2.1.6" }]);
    expect(resolveQuestionRefs("the third problem from 2.1", sectioned).explicit).toEqual([{ label: "Exercise 2.1.3" }]);
    expect(resolveQuestionRefs("the 11th exercise in section 2.1", sectioned).explicit).toEqual([]);
  });

  it("takes the exercise printed under a heading with that number when exercises run 1, 2, 3… through the book", () => {
    expect(resolveQuestionRefs("chapter 6 exercise 13", global).explicit).toEqual([{ label: "Exercise 13" }]);
    // Not printed under chapter 6: the second exercise of that chapter.
    expect(resolveQuestionRefs("chapter 6 exercise 2", global).explicit).toEqual([{ label: "Exercise 14" }]);
  });

  it("reads headings numbered with a capital letter ('Appendix B', 'Section A', '§B.2'), and never a lower-case letter or prose", () => {
    expect(resolveQuestionRefs("what is in appendix B?", appendices).explicit).toEqual([{ label: "Chapter B" }]);
    expect(resolveQuestionRefs("hint for §A", appendices).explicit).toEqual([{ label: "Chapter A" }]);
    expect(resolveQuestionRefs("can you explain Sec. B.2 to me", appendices).explicit).toEqual([{ label: "Section B.2" }]);
    // In the question's order, though the two are read by different passes.
    expect(resolveQuestionRefs("Theorem B.17 and section A", appendices).explicit.map((e) => e.label)).toEqual(["Theorem B.17", "Chapter A"]);
    for (const q of ["in this section I got lost", "the section a student skips"]) expect(resolveQuestionRefs(q, appendices)).toEqual({ explicit: [], absent: [] });
    // An appendix the book lacks is said to be absent, under the name the student used.
    expect(resolveQuestionRefs("appendix C please", appendices)).toMatchObject({ explicit: [], absent: [{ label: "Appendix C" }] });
  });
});

describe("resolveQuestionRefs: place forms for every kind", () => {
  // Examples and theorems numbered within sections (Example 2.1.3), and a course of its own kind ("Method").
  const withExamples = [
    item("chapter", "2"),
    item("section", "2.1", "Section 2.1"),
    ...[1, 2, 3].map((n) => item("example", `2.1.${n}`, "Section 2.1")),
    item("theorem", "2.1.4", "Section 2.1"),
    item("exercise", "2.1.1", "Section 2.1"),
    { ...item("Method", "2.1.5", "Section 2.1"), label: "Method 2.1.5" },
  ];

  it.each([
    ["example 3 in section 2.1", "Example 2.1.3"],
    ["what does Example 2 of 2.1 show", "Example 2.1.2"],
    ["section 2.1 theorem 4", "Theorem 2.1.4"],
    ["the 2nd example in section 2.1", "Example 2.1.2"],
    ["the last example of section 2.1", "Example 2.1.3"],
    ["the first theorem in §2.1", "Theorem 2.1.4"],
    ["method 5 in section 2.1", "Method 2.1.5"],
  ])("%s → %s", (q, label) => {
    const r = resolveQuestionRefs(q, withExamples);
    expect(r.explicit).toEqual([{ label }]);
    expect(r.absent).toEqual([]);
  });

  it("needs 'in/of/from' and a section word or a dotted number, so a count in prose is not a place", () => {
    expect(resolveQuestionRefs("theorem 4 for 2 variables", withExamples).explicit).toEqual([]);
    expect(resolveQuestionRefs("the first example of 2 sets", withExamples).explicit).toEqual([]);
  });

  it("reports a place the section does not have as absent, named by its kind", () => {
    expect(resolveQuestionRefs("example 9 in section 2.1", withExamples).absent.map((a) => a.label)).toEqual(["Example 2.1.9"]);
  });
});

describe("resolveQuestionRefs: a stated result under another name", () => {
  const results = [item("section", "3.2", "Section 3.2"), item("theorem", "3.2.1", "Section 3.2"), { ...item("Conjecture", "3.2.4", "Section 3.2"), label: "Conjecture 3.2.4" }, item("lemma", "3.2.5"), item("corollary", "3.2.5"), item("exercise", "3.2.6")];

  it("ranks the one stated result with that number and still says the typed label does not exist", () => {
    const r = resolveQuestionRefs("can you explain proposition 3.2.1", results);
    expect(r.explicit).toEqual([{ label: "Theorem 3.2.1" }]);
    expect(r.absent.map((a) => a.label)).toEqual(["Proposition 3.2.1"]);
    expect(r.absent[0].nearest[0]).toBe("Theorem 3.2.1");
    expect(resolveQuestionRefs("theorem 3.2.4?", results).explicit).toEqual([{ label: "Conjecture 3.2.4" }]);
  });

  it("guesses nothing when two results share the number or the number is not a stated result", () => {
    expect(resolveQuestionRefs("theorem 3.2.5", results).explicit).toEqual([]);
    expect(resolveQuestionRefs("theorem 3.2.6", results).explicit).toEqual([]);
    expect(resolveQuestionRefs("example 3.2.1", results).explicit).toEqual([]);
  });
});

describe("resolveQuestionRefs: misspelt kind words and bare numbers", () => {
  const book = [item("remark", "1.3"), item("section", "2.1", "Section 2.1"), item("exercise", "2.1.6", "Section 2.1"), item("theorem", "3.2"), item("definition", "1.2"), item("example", "4.5.1"), item("exercise", "4.5.1")];

  it.each([
    ["excercise 2.1.6 hint?", "Exercise 2.1.6"],
    ["what does therom 3.2 say", "Theorem 3.2"],
    ["defintion 1.2", "Definition 1.2"],
    ["reamrk 1.3", "Remark 1.3"],
    ["how do I do 2.1.6?", "Exercise 2.1.6"],
    ["stuck on #2.1.6", "Exercise 2.1.6"],
    ["can you explain 2.1.6 to me", "Exercise 2.1.6"],
  ])("%s → %s", (q, label) => {
    const r = resolveQuestionRefs(q, book);
    expect(r.explicit).toEqual([{ label }]);
    expect(r.absent).toEqual([]);
  });

  it("guesses nothing for a label that does not exist, a number several items share, or a two-part number in prose", () => {
    expect(resolveQuestionRefs("excercise 2.1.99", book)).toEqual({ explicit: [], absent: [] });
    expect(resolveQuestionRefs("what about 4.5.1", book)).toEqual({ explicit: [], absent: [] });
    expect(resolveQuestionRefs("is 3.2 bigger than 2.1", book)).toEqual({ explicit: [], absent: [] });
    expect(resolveQuestionRefs("I exercised 3 times", book)).toEqual({ explicit: [], absent: [] });
  });

  it("leaves a correctly spelt kind to the usual reading, so a label the course lacks is still reported", () => {
    const r = resolveQuestionRefs("Example 2.1.6", book);
    expect(r.explicit).toEqual([]);
    expect(r.absent.map((a) => a.label)).toEqual(["Example 2.1.6"]);
  });
});
describe("resolveQuestionRefs: appendices", () => {
  const book = [item("chapter", "2"), { ...item("chapter", "A"), label: "Appendix A" }, item("section", "A.1")];
  it("'appendix A' is the chapter printed Appendix A; an appendix the book lacks is absent under that name", () => {
    expect(resolveQuestionRefs("what is in appendix A?", book)).toEqual({ explicit: [{ label: "Appendix A" }], absent: [] });
    expect(resolveQuestionRefs("and Appendix C?", book).absent.map((a) => a.label)).toEqual(["Appendix C"]);
  });
});


describe("resolveQuestionRefs: a heading and an item printed with the same number", () => {
  // A book numbering examples and subsections alike (Example 3.4.8 inside Subsection 3.4.8's section).
  const twins = [item("chapter", "3"), item("section", "3.4"), item("subsection", "3.4.8"), item("example", "3.4.8"), item("example", "3.4.9")];
  it.each([
    ["§3.4.8", "Subsection 3.4.8"],
    ["hint for §3.4.8?", "Subsection 3.4.8"],
    ["explain sec 3.4.8", "Subsection 3.4.8"],
    ["example 3.4.8", "Example 3.4.8"],
    ["what is 3.4.8 about", "Example 3.4.8"],
    ["#3.4.9", "Example 3.4.9"],
  ])("%s → %s (a short heading word or § names the heading; a bare number the one item)", (q, label) => {
    expect(resolveQuestionRefs(q, twins).explicit.map((e) => e.label)).toEqual([label]);
  });
});

describe("resolveQuestionRefs: a course's own capitalised kinds, 'q', parts, a lone number", () => {
  // Ernst's IBL book: one counter per chapter shared by Problem, Theorem, Definition; "Problem" is the course's own kind.
  const ibl = [item("chapter", "2"), item("section", "2.1", "Section 2.1"), item("Problem", "2.4", "Section 2.1"), item("Problem", "2.8", "Section 2.1"), item("Problem", "2.12", "Section 2.1"), item("theorem", "2.57", "Section 2.3")];
  for (const i of ibl) i.chapter = "2";

  it("'problem 8 in chapter 2' is the course's Problem 2.8 (its kind printed with a capital)", () => {
    expect(resolveQuestionRefs("problem 8 in chapter 2", ibl).explicit).toEqual([{ label: "Problem 2.8" }]);
    expect(resolveQuestionRefs("the 2nd problem in section 2.1", ibl).explicit).toEqual([{ label: "Problem 2.8" }]);
  });

  it("'q' names an exercise or problem: 'q 2.8', 'q3 from 2.1'", () => {
    expect(resolveQuestionRefs("q 2.8 from the number theory section", ibl).explicit).toEqual([{ label: "Problem 2.8" }]);
    expect(resolveQuestionRefs("q3 from 2.1", sectioned).explicit).toEqual([{ label: "Exercise 2.1.3" }]);
  });

  it("'part (b) of …' gives the part to the label after it, a bare two-part number included", () => {
    expect(resolveQuestionRefs("part (b) of problem 2.12", ibl).explicit).toEqual([{ label: "Problem 2.12", part: "b" }]);
    expect(resolveQuestionRefs("part c of 2.8?", ibl).explicit).toEqual([{ label: "Problem 2.8", part: "c" }]);
  });

  it("a question that is a bare number and asking words names the one item so numbered; with other content it names nothing", () => {
    expect(resolveQuestionRefs("2.57 ??", ibl).explicit).toEqual([{ label: "Theorem 2.57" }]);
    expect(resolveQuestionRefs("help with 2.57 please", ibl).explicit).toEqual([{ label: "Theorem 2.57" }]);
    for (const q of ["is 2.57 bigger than e", "x = 2.57", "2.57 and 2.8", "2.99?"]) expect(resolveQuestionRefs(q, ibl)).toEqual({ explicit: [], absent: [] });
  });
});

describe("resolveQuestionRefs: a course kind whose name ends in s", () => {
  const axioms = [item("Axiom", "3.43"), item("Axioms", "5.1")];
  it("'axioms 5.1' is the course's Axioms 5.1, 'axiom 3.43' its Axiom 3.43", () => {
    expect(resolveQuestionRefs("axioms 5.1", axioms).explicit).toEqual([{ label: "Axioms 5.1" }]);
    expect(resolveQuestionRefs("what does axiom 3.43 say", axioms).explicit).toEqual([{ label: "Axiom 3.43" }]);
  });
});

describe("resolveQuestionRefs: kinds whose names differ by a plural s, misspelt", () => {
  const axioms = [item("Axiom", "3.43"), item("Axioms", "5.1"), item("section", "5.1", "Section 5.1"), item("chapter", "5")];
  axioms[0].chapter = "3";
  for (const i of axioms.slice(1)) i.chapter = "5";
  axioms[1].section = "Section 5.1";
  it("a misspelt 'axoims 5.1' is the one of Axiom/Axioms with that number; 'the 1st axioms of section 5.1' the course's Axioms", () => {
    expect(resolveQuestionRefs("axoims 5.1", axioms).explicit).toEqual([{ label: "Axioms 5.1" }]);
    expect(resolveQuestionRefs("the 1st axioms of section 5.1", axioms).explicit).toEqual([{ label: "Axioms 5.1" }]);
    expect(resolveQuestionRefs("axioms 1 in chapter 5", axioms).explicit).toEqual([{ label: "Axioms 5.1" }]);
  });
  it("a misspelt 'apepndix B' is the appendix", () => {
    const app = [{ ...item("chapter", "B"), label: "Appendix B" }];
    expect(resolveQuestionRefs("can you explain apepndix B to me", app).explicit).toEqual([{ label: "Appendix B" }]);
  });
});

describe("resolveQuestionRefs: a problem the course lacks is named as the course names them", () => {
  it("'problem 4.99' in a book of Problems is reported as Problem 4.99; in a book of Exercises as Exercise 4.99", () => {
    expect(resolveQuestionRefs("problem 4.99 please", [item("Problem", "4.1"), item("theorem", "4.2")]).absent.map((a) => a.label)).toEqual(["Problem 4.99"]);
    expect(resolveQuestionRefs("problem 4.99 please", [item("exercise", "4.1")]).absent.map((a) => a.label)).toEqual(["Exercise 4.99"]);
  });
});

describe("resolveQuestionRefs: numbers listed after a label", () => {
  const book = [item("theorem", "4.2"), item("theorem", "4.9"), item("example", "3.2.1"), item("example", "3.2.2"), item("example", "3.2.4"), item("Problem", "2.4"), item("Problem", "2.8"), item("lemma", "2.1")];
  it("are of the label's kind: 'theorem 4.2 and 4.9', 'examples 3.2.1, 3.2.2 and 3.2.4', 'problem 2.4 & 2.8'", () => {
    expect(resolveQuestionRefs("whats the difference between theorem 4.2 and 4.9", book).explicit).toEqual([{ label: "Theorem 4.2" }, { label: "Theorem 4.9" }]);
    expect(resolveQuestionRefs("examples 3.2.1, 3.2.2 and 3.2.4 confuse me", book).explicit).toEqual([{ label: "Example 3.2.1" }, { label: "Example 3.2.2" }, { label: "Example 3.2.4" }]);
    expect(resolveQuestionRefs("thm 4.2 vs 4.9(b)", book).explicit).toEqual([{ label: "Theorem 4.2" }, { label: "Theorem 4.9", part: "b" }]);
    expect(resolveQuestionRefs("problem 2.4 & 2.8", book).explicit).toEqual([{ label: "Problem 2.4" }, { label: "Problem 2.8" }]);
  });
  it("only when shaped like it and existing: 'lemma 2.1 and 3 others' lists nothing, a listed number the course lacks is not reported", () => {
    expect(resolveQuestionRefs("lemma 2.1 and 3 others", book)).toEqual({ explicit: [{ label: "Lemma 2.1" }], absent: [] });
    expect(resolveQuestionRefs("theorem 4.2 and 4.77", book)).toEqual({ explicit: [{ label: "Theorem 4.2" }], absent: [] });
  });
});

describe("resolveQuestionRefs: numbered displays", () => {
  const eqs = [{ ...item("Equation", "3.1.2"), label: "Equation 3.1.2" }, item("example", "3.1.3")];
  it("'eq (3.1.2)', 'eqn 3.1.2', 'equation (3.1.2)' name the equation; one the course lacks is reported", () => {
    for (const q of ["how do they get eq (3.1.2)", "eqn 3.1.2?", "where does equation (3.1.2) come from"]) expect(resolveQuestionRefs(q, eqs).explicit).toEqual([{ label: "Equation 3.1.2" }]);
    expect(resolveQuestionRefs("eq (3.1.9)", eqs).absent.map((a) => a.label)).toEqual(["Equation 3.1.9"]);
    const appendix = [{ ...item("Equation", "A.2"), label: "Equation A.2" }];
    expect(resolveQuestionRefs("Eq. (A.2) in the appendix", appendix).explicit).toEqual([{ label: "Equation A.2" }]);
    expect(resolveQuestionRefs("the equations a student writes", appendix)).toEqual({ explicit: [], absent: [] });
  });
  it("a course without numbered displays reads no equation ('eq 2' is then nothing)", () => {
    expect(resolveQuestionRefs("eq 2 has no solution", [item("example", "2")])).toEqual({ explicit: [], absent: [] });
  });
});

describe("resolveQuestionRefs: a reference in a question full of other numbers and words", () => {
  // A calculus-like book: examples and figures numbered within sections, a theorem, a lettered appendix section.
  const calc = [
    item("chapter", "1"),
    item("chapter", "2"),
    item("section", "1.2", "Section 1.2"),
    item("example", "1.2.1", "Section 1.2"),
    item("example", "1.2.2", "Section 1.2"),
    item("example", "1.2.3", "Section 1.2"),
    item("Figure", "1.2.1", "Section 1.2"),
    item("Figure", "1.2.2", "Section 1.2"),
    item("theorem", "1.2.4", "Section 1.2"),
    item("section", "2.5", "Section 2.5"),
    item("lemma", "2.1"),
    item("section", "A", "Section A"),
  ];

  it("keeps the named label first when math with label-like numbers follows it", () => {
    for (const q of ["Example 1.2.3: why is f(2.5) = 1.25?", "in eg 1.2.3 where does the 1/2 come from", "example 1.2.3 says x > 0.5, why? and is 1.2.1 < 2.5?", "example 1.2.3: why is x = 2.5 here?"]) {
      expect(resolveQuestionRefs(q, calc).explicit[0]).toEqual({ label: "Example 1.2.3" });
    }
    expect(resolveQuestionRefs("does theorem 1.2.4 need lemma 2.1?", calc).explicit.map((e) => e.label)).toEqual(["Theorem 1.2.4", "Lemma 2.1"]);
    expect(resolveQuestionRefs("the proof of theorem 1.2.4 uses 1.2.1?", calc).explicit[0]).toEqual({ label: "Theorem 1.2.4" });
  });

  it("reads a course's own kind by its short name ('fig 1.2.2', 'Fig.1.2.2'), and only in a course that has the kind", () => {
    for (const q of ["what does fig 1.2.2 show", "Fig.1.2.2?", "FIG1.2.2", "in figs 1.2.2, why 0.5?"]) expect(resolveQuestionRefs(q, calc).explicit[0]).toEqual({ label: "Figure 1.2.2" });
    expect(resolveQuestionRefs("fig 1.2.9", calc).absent.map((a) => a.label)).toEqual(["Figure 1.2.9"]);
    expect(resolveQuestionRefs("fig 2.1", [item("lemma", "3.1")])).toEqual({ explicit: [], absent: [] });
  });

  it("reads an item's or heading's number written as a word, but not 'no one'", () => {
    expect(resolveQuestionRefs("example three in section 1.2", calc).explicit).toEqual([{ label: "Example 1.2.3" }]);
    expect(resolveQuestionRefs("exercise five in section 2.1", sectioned).explicit).toEqual([{ label: "Exercise 2.1.5" }]);
    expect(resolveQuestionRefs("what is chapter two about", calc).explicit).toEqual([{ label: "Chapter 2" }]);
    expect(resolveQuestionRefs("no one in chapter 2 explains it", sectioned)).toEqual({ explicit: [{ label: "Chapter 2" }], absent: [] });
    expect(resolveQuestionRefs("chapter nine", calc)).toEqual({ explicit: [], absent: [] });
  });

  it("reads a place after a comma or in brackets when a heading word names it", () => {
    expect(resolveQuestionRefs("question 6, section 2.1: why 0.5?", sectioned).explicit).toEqual([{ label: "Exercise 2.1.6" }]);
    expect(resolveQuestionRefs("example 2 (section 1.2)", calc).explicit).toEqual([{ label: "Example 1.2.2" }]);
    expect(resolveQuestionRefs("example 2, section 1.2", calc).explicit).toEqual([{ label: "Example 1.2.2" }]);
  });

  it("reads '1.2 example 3' when the example exists, never reports it absent, and keeps 'theorem 2.1 example 1' a theorem", () => {
    expect(resolveQuestionRefs("1.2 example 3?", calc).explicit).toEqual([{ label: "Example 1.2.3" }]);
    expect(resolveQuestionRefs("is 2.5 example 9 right", calc).absent.map((a) => a.label)).toEqual(["Example 9"]);
    expect(resolveQuestionRefs("lemma 2.1 example 1", calc).explicit[0]).toEqual({ label: "Lemma 2.1" });
  });

  it("reads a part letter after a bare three-part number ('2.1.6b', '2.1.6(b)')", () => {
    expect(resolveQuestionRefs("2.1.6b?", sectioned).explicit).toEqual([{ label: "Exercise 2.1.6", part: "b" }]);
    expect(resolveQuestionRefs("help with 2.1.6(c)", sectioned).explicit).toEqual([{ label: "Exercise 2.1.6", part: "c" }]);
    expect(resolveQuestionRefs("2.1.6e5 is big", sectioned)).toEqual({ explicit: [], absent: [] });
  });

  it("reads a lettered heading before 's ('section A's second line') but not 'section I'm'", () => {
    expect(resolveQuestionRefs("section A's second line", calc).explicit).toEqual([{ label: "Section A" }]);
    expect(resolveQuestionRefs("in this section I'm lost", [...calc, item("section", "I")]).explicit).toEqual([]);
  });
});

describe("resolveQuestionRefs: 'ex' for an example, a display's number in brackets", () => {
  const examples = [item("section", "1.2", "Section 1.2"), item("example", "1.2.1", "Section 1.2"), item("example", "1.2.2", "Section 1.2"), { ...item("Equation", "1.2.3"), label: "Equation 1.2.3" }, { ...item("Equation", "A.1.1"), label: "Equation A.1.1" }, { ...item("Equation", "2.4"), label: "Equation 2.4" }];

  it("reads 'ex 1.2.2' as the example when no exercise has the number, and never reports an exercise absent then", () => {
    for (const q of ["ex 1.2.2", "Ex. 1.2.2: why is it 0.5?", "in ex1.2.2 where does the 1/2 come from", "ex 2 in section 1.2", "section 1.2 ex 2"]) {
      expect(resolveQuestionRefs(q, examples)).toEqual({ explicit: [{ label: "Example 1.2.2" }], absent: [] });
    }
    // An exercise of that number wins; "exercise" is never an example; one neither has is an absent exercise.
    expect(resolveQuestionRefs("ex 2.1.5", sectioned).explicit).toEqual([{ label: "Exercise 2.1.5" }]);
    expect(resolveQuestionRefs("exercise 1.2.2", examples).explicit).toEqual([]);
    expect(resolveQuestionRefs("ex 1.2.9", examples).absent.map((a) => a.label)).toEqual(["Exercise 1.2.9"]);
  });

  it("reads '(1.2.3)' as the equation in a course that numbers them, but not 'f(2.4)' or a number it lacks", () => {
    expect(resolveQuestionRefs("where does (1.2.3) come from?", examples)).toEqual({ explicit: [{ label: "Equation 1.2.3" }], absent: [] });
    expect(resolveQuestionRefs("and (A.1.1)?", examples).explicit).toEqual([{ label: "Equation A.1.1" }]);
    expect(resolveQuestionRefs("by (2.4), why is f(2.4) = 2*(2.4)", examples).explicit).toEqual([{ label: "Equation 2.4" }]);
    expect(resolveQuestionRefs("why is f(2.4) = 2*(2.4)", examples).explicit).toEqual([]);
    expect(resolveQuestionRefs("is (1.2.9) right", examples)).toEqual({ explicit: [], absent: [] });
  });
});

describe("resolveQuestionRefs: 'example number 1.2.1', 'the 1.2.1 example'", () => {
  const book = [item("section", "1.2", "Section 1.2"), item("example", "1.2.1", "Section 1.2"), { ...item("Figure", "1.2.1"), label: "Figure 1.2.1" }, item("theorem", "3.2"), { ...item("Skeleton Proof", "2.54"), label: "Skeleton Proof 2.54" }, item("exercise", "5")];

  it("reads 'number', 'no.', '#' between a kind word and its number", () => {
    expect(resolveQuestionRefs("example number 1.2.1", book).explicit).toEqual([{ label: "Example 1.2.1" }]);
    expect(resolveQuestionRefs("thm no. 3.2?", book).explicit).toEqual([{ label: "Theorem 3.2" }]);
    expect(resolveQuestionRefs("fig #1.2.1", book).explicit).toEqual([{ label: "Figure 1.2.1" }]);
    expect(resolveQuestionRefs("exercise #5(b)", book).explicit).toEqual([{ label: "Exercise 5", part: "b" }]);
    expect(resolveQuestionRefs("skeleton proof number 2.54", book).explicit).toEqual([{ label: "Skeleton Proof 2.54" }]);
    // After a word that is no kind, "number 3.2" stays prose.
    expect(resolveQuestionRefs("is the number 3.2 rational", book)).toEqual({ explicit: [], absent: [] });
  });

  it("reads 'the 1.2.1 example' / 'the 2.54 skeleton proof' when the item exists, and nothing for a plural or an unknown number", () => {
    expect(resolveQuestionRefs("in the 1.2.1 example, why 0.5?", book).explicit).toEqual([{ label: "Example 1.2.1" }]);
    expect(resolveQuestionRefs("the 1.2.1 figure", book).explicit).toEqual([{ label: "Figure 1.2.1" }]);
    expect(resolveQuestionRefs("in the 1.2 section, why 0.5", book).explicit).toEqual([{ label: "Section 1.2" }]);
    expect(resolveQuestionRefs("in the 2.54 skeleton proof, why?", book).explicit).toEqual([{ label: "Skeleton Proof 2.54" }]);
    expect(resolveQuestionRefs("the 2 theorems", book)).toEqual({ explicit: [], absent: [] });
    expect(resolveQuestionRefs("the 4.4 example", book)).toEqual({ explicit: [], absent: [] });
  });
});

describe("resolveQuestionRefs: a heading named with an item it holds", () => {
  const book = [item("chapter", "2"), item("section", "2.3", "Section 2.3"), item("example", "2.3.4", "Section 2.3"), item("theorem", "2.3.5", "Section 2.3"), item("exercise", "2.1.6", "Section 2.1"), item("section", "2.1", "Section 2.1")];
  const labels = (q: string) => resolveQuestionRefs(q, book).explicit.map((e) => e.label);

  it("puts the item first: the heading only says where it is", () => {
    expect(labels("in section 2.3, example 2.3.4: why is it 0.5?")).toEqual(["Example 2.3.4", "Section 2.3"]);
    expect(labels("Section 2.3 Example 2.3.4?")).toEqual(["Example 2.3.4", "Section 2.3"]);
    expect(labels("chapter 2, theorem 2.3.5 — I don't get it")).toEqual(["Theorem 2.3.5", "Chapter 2"]);
    expect(labels("I read §2.3 and thm 2.3.5 lost me, it uses example 2.3.4")).toEqual(["Theorem 2.3.5", "Example 2.3.4", "Section 2.3"]);
  });

  it("keeps the question's order for an item the heading does not hold, or one read from a bare number", () => {
    expect(labels("in section 2.3, why is exercise 2.1.6 there?")).toEqual(["Section 2.3", "Exercise 2.1.6"]);
    expect(labels("in section 2.1, why is x = 2.1.6?")).toEqual(["Section 2.1", "Exercise 2.1.6"]);
    expect(labels("does theorem 2.3.5 need example 2.3.4?")).toEqual(["Theorem 2.3.5", "Example 2.3.4"]);
  });
});

describe("resolveQuestionRefs: a number without a kind word, confirmed by the title it names", () => {
  const titled = (kind: string, number: string, title: string) => ({ ...item(kind, number), title });
  const book = [
    titled("chapter", "5", "Connectives"),
    titled("section", "5.1", "Negation"),
    titled("section", "5.4", "Conditional"),
    titled("subsection", "3.6.5", "A checklist for sketching"),
    titled("example", "3.6.5", "Sketching a rational function"),
    titled("example", "3.6.6", ""),
  ];
  const labels = (q: string) => resolveQuestionRefs(q, book).explicit.map((e) => e.label);

  it("reads a two-part number as the heading whose title the question uses", () => {
    expect(labels("5.4 conditional - why is it true when the first part is false??")).toEqual(["Section 5.4"]);
    expect(labels("what is 5.4 about? the conditionals confuse me")).toEqual(["Section 5.4"]);
  });

  it("leaves a two-part number alone when no title word is in the question, or it is math", () => {
    expect(labels("is 5.4 bigger than 5.38?")).toEqual([]);
    expect(labels("if x=5.4 is the conditional true")).toEqual([]);
    expect(labels("figure 5.4 shows a conditional, why?")).toEqual([]);
    expect(labels("on page 5.4 the conditional table")).toEqual([]);
  });

  it("chooses between items sharing a number by the title the question names", () => {
    expect(labels("what's in 3.6.5, the checklist for sketching?")).toEqual(["Subsection 3.6.5"]);
    expect(labels("3.6.5 rational function sketch, where is the asymptote")).toEqual(["Example 3.6.5"]);
    expect(labels("help with 3.6.5")).toEqual(["Example 3.6.5"]);
  });

  it("reads a chapter then a section numbered within it as that section", () => {
    expect(labels("ch.5 sec 1 negation, is 'unhappy' the same as not happy")).toEqual(["Section 5.1"]);
    expect(labels("chapter 5, section 4: conditionals")).toEqual(["Section 5.4"]);
    expect(labels("chapter 5 section 9?")).toEqual(["Chapter 5"]);
  });
});

describe("resolveQuestionRefs: a kind word names its number even when a title shares a word", () => {
  const book = [{ ...item("section", "14.1"), title: "The lognormal distribution" }, item("exercise", "14.1")];
  it("reads 'exercise 14.1: … lognormal …' as the exercise", () => {
    expect(resolveQuestionRefs("exercise 14.1: why would small factors give a lognormal weight?", book).explicit.map((e) => e.label)).toEqual(["Exercise 14.1"]);
  });
});

describe("resolveQuestionRefs: a book of Questions at chapter ends and headings lettered within a chapter", () => {
  // Newstead-style: in-section items numbered 1.3.5, chapter-end "Question 4.17", a lettered "Section 4.E".
  const book = [
    item("chapter", "4"),
    item("section", "4.1", "Section 4.1"),
    item("section", "4.E", "Section 4.E"),
    item("definition", "4.E.1", "Section 4.E"),
    item("exercise", "4.1.2", "Section 4.1"),
    item("example", "4.7", ""),
    ...[1, 2, 3, 17].map((n) => item("Question", `4.${n}`, "Section 4.E")),
    item("exercise", "A.1.4", "Section A.1"),
  ];
  const labels = (q: string) => resolveQuestionRefs(q, book).explicit.map((e) => e.label);
  const absent = (q: string) => resolveQuestionRefs(q, book).absent.map((a) => a.label);

  it("reads 'question n' and 'Qn' as the book's Question, not an absent Exercise", () => {
    expect(labels("Question 4.1")).toEqual(["Question 4.1"]);
    expect(labels("Q4.17 how do I start")).toEqual(["Question 4.17"]);
    expect(labels("question 4.17 from the chapter 4 exercises")).toEqual(["Question 4.17", "Chapter 4"]);
    expect(labels("the 2nd question in chapter 4")).toEqual(["Question 4.2"]);
    expect(absent("question 4.99")).toEqual(["Question 4.99"]);
    // The nearest real labels are the book's Questions, not a lettered section whose number happens to sort close.
    expect(resolveQuestionRefs("question 4.99", book).absent[0].nearest.slice(0, 4)).toEqual(["Question 4.17", "Question 4.3", "Question 4.2", "Question 4.1"]);
  });

  it("reads 'ex n' as an exercise, then an example, and only then a Question", () => {
    expect(labels("ex 4.7")).toEqual(["Example 4.7"]);
    expect(labels("ex 4.17")).toEqual(["Question 4.17"]);
    expect(labels("exercise 4.1.2")).toEqual(["Exercise 4.1.2"]);
  });

  it("reads lettered numbers in every form, and a kind glued to an appendix letter", () => {
    expect(labels("§4.E help")).toEqual(["Section 4.E"]);
    expect(labels("setcion 4.E")).toEqual(["Section 4.E"]);
    expect(labels("in the 4.E.1 definition, why 0.5?")).toEqual(["Definition 4.E.1"]);
    expect(labels("chapter 4, definition 4.E.1 — I don't get it")).toEqual(["Definition 4.E.1", "Chapter 4"]);
    expect(labels("exerciseA.1.4")).toEqual(["Exercise A.1.4"]);
  });

  it("reads a lettered part as prose in a course that letters no number", () => {
    expect(resolveQuestionRefs("Section 2.I think is hard", sectioned).absent.map((a) => a.label)).toEqual(["Section 2"]);
  });
});

describe("lettered exercises (a chapter's parts A, B, … cited as 'exercise 11A')", () => {
  const lettered = [item("chapter", "11"), item("section", "11.3", "Section 11.3"), item("exercise", "11A"), item("exercise", "11B"), item("chapter", "12"), item("exercise", "12A")];
  it.each([
    ["exercise 11A - how do i start", "Exercise 11A"],
    ["ex. 11 b, the bracket one", "Exercise 11B"],
    ["stuck on 11B", "Exercise 11B"],
    ["part A of chapter 11's exercises?", "Exercise 11A"],
    ["chapter 11 practice exercises part B, the brackets", "Exercise 11B"],
    ["exercise 12 part A", "Exercise 12A"],
  ])("%s → %s", (q, label) => {
    const r = resolveQuestionRefs(q, lettered);
    expect(r.explicit[0]).toEqual({ label });
    expect(r.absent).toEqual([]);
  });

  it("a letter the chapter lacks is no lettered exercise; a course without lettered exercises reads '2b' as a part", () => {
    expect(resolveQuestionRefs("exercise 12C", lettered).explicit.map((e) => e.label)).not.toContain("Exercise 12C");
    expect(resolveQuestionRefs("section 11.3 then 11A", lettered).explicit.map((e) => e.label)).toEqual(["Section 11.3", "Exercise 11A"]);
    expect(resolveQuestionRefs("exercise 1.41b", chapterWide).explicit).toEqual([{ label: "Exercise 1.41", part: "b" }]);
    // algebra is not a lettered exercise: "11a + 2b" names none, "11A" typed alone does
    expect(resolveQuestionRefs("why is 11a + 2b = 7 here", lettered).explicit).toEqual([]);
    expect(resolveQuestionRefs("help with 11A please", lettered).explicit).toEqual([{ label: "Exercise 11A" }]);
    // a part after the letter
    expect(resolveQuestionRefs("exercise 11Ab?", lettered).explicit).toEqual([{ label: "Exercise 11A", part: "b" }]);
    expect(resolveQuestionRefs("11B(3) please", lettered).explicit).toEqual([{ label: "Exercise 11B", part: "3" }]);
    expect(resolveQuestionRefs("ex 12A.2", lettered).explicit).toEqual([{ label: "Exercise 12A", part: "2" }]);
  });
});
