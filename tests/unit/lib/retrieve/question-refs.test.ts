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

describe("resolveQuestionRefs: appendices", () => {
  const book = [item("chapter", "2"), { ...item("chapter", "A"), label: "Appendix A" }, item("section", "A.1")];
  it("'appendix A' is the chapter printed Appendix A; an appendix the book lacks is absent under that name", () => {
    expect(resolveQuestionRefs("what is in appendix A?", book)).toEqual({ explicit: [{ label: "Appendix A" }], absent: [] });
    expect(resolveQuestionRefs("and Appendix C?", book).absent.map((a) => a.label)).toEqual(["Appendix C"]);
  });
});

