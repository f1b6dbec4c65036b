import { describe, expect, it } from "vitest";
import { extractRefs, parseRef, refLabel } from "@/lib/cite/refs";

describe("parseRef", () => {
  it.each([
    ["Exercise 1.41", { kind: "exercise", number: "1.41" }],
    ["exercise 1.41", { kind: "exercise", number: "1.41" }],
    ["Ex. 1.41", { kind: "exercise", number: "1.41" }],
    ["Ex 1.41(b)", { kind: "exercise", number: "1.41", part: "b" }],
    ["ex 1.41 (B)", { kind: "exercise", number: "1.41", part: "b" }],
    ["Def 8.2", { kind: "definition", number: "8.2" }],
    ["Thm. 7.13", { kind: "theorem", number: "7.13" }],
    ["section 1.6", { kind: "section", number: "1.6" }],
    ["§1.6", { kind: "section", number: "1.6" }],
    ["§ 1.6", { kind: "section", number: "1.6" }],
    ["Subsection 1.6.1", { kind: "subsection", number: "1.6.1" }],
    ["opg. 2.3", { kind: "exercise", number: "2.3" }],
    ["Sætning 1.4", { kind: "theorem", number: "1.4" }],
    ["Chapter 3", { kind: "chapter", number: "3" }],
    ["Chapter A", { kind: "chapter", number: "A" }],
    ["Section A.2", { kind: "section", number: "A.2" }],
    ["Appendix B", { kind: "chapter", number: "B", appendix: true }],
    ["appendix A.2", { kind: "section", number: "A.2" }],
    ["1.41", { number: "1.41" }],
    ["Exercise\u202f1.41", { kind: "exercise", number: "1.41" }],
    // Invisible characters pasted with the label: a bidi override, a zero-width space, a soft hyphen.
    ["\u202eExercise 1.41", { kind: "exercise", number: "1.41" }],
    ["Exer\u00adcise 1.\u200b41", { kind: "exercise", number: "1.41" }],
    ["Ｅｘ １．４１", { kind: "exercise", number: "1.41" }],
  ])("%s", (input, expected) => {
    expect(parseRef(input)).toEqual(expected);
  });

  it.each(["", "hello", "Exercise", "Exercises", "Sections", "Exercise one", "1.41.2.3.4.5", "Ex 1.41 and 1.42"])("rejects %j", (input) => {
    expect(parseRef(input)).toBeNull();
  });
});

describe("extractRefs", () => {
  it("finds every reference in a question, with parts, in order", () => {
    const refs = extractRefs("I'm stuck on ex 1.41(b): does Def. 1.42 or Theorem 1.40 help? See §1.6 and exercise 1.41 again.");
    expect(refs.map((r) => [r.kind, r.number, r.part])).toEqual([
      ["exercise", "1.41", "b"],
      ["definition", "1.42", undefined],
      ["theorem", "1.40", undefined],
      ["section", "1.6", undefined],
      ["exercise", "1.41", undefined],
    ]);
  });

  it("does not read words or plain numbers as references", () => {
    expect(extractRefs("the example shows 1.41 is close to sqrt 2; section headings exist")).toEqual([]);
    expect(extractRefs("index 3.14 text")).toEqual([]);
  });
});

describe("appendices", () => {
  it("an appendix is a chapter printed 'Appendix A': found in free text by its capital letter, labelled as printed", () => {
    const refs = extractRefs("Is Appendix B needed? See appendix A.1; I read the appendix a while ago.");
    expect(refs.map((r) => [r.kind, r.number, refLabel(r)])).toEqual([
      ["chapter", "B", "Appendix B"],
      ["section", "A.1", "Section A.1"],
    ]);
  });
});


describe("lettered parts of a number", () => {
  it("reads a capital letter after a dot as part of the number ('Section 4.E', 'Definition 0.E.1')", () => {
    expect(extractRefs("see §4.E and Definition 0.E.1.").map((r) => [r.kind, r.number])).toEqual([["section", "4.E"], ["definition", "0.E.1"]]);
    expect(parseRef("Section 4.E")).toEqual({ kind: "section", number: "4.E" });
  });

  it("stops a number at a lower-case letter after a dot ('thm 2.a' is Theorem 2 then prose)", () => {
    expect(extractRefs("thm 2.a is odd").map((r) => [r.kind, r.number, r.match])).toEqual([["theorem", "2", "thm 2"]]);
    expect(parseRef("4.e")).toBeNull();
  });
});
