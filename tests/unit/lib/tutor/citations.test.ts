import { describe, expect, it } from "vitest";
import { checkAnswerCitations, contextLabels, extractCitations, verifyCitations } from "@/lib/tutor/citations";
import { ITEMS, passage } from "./fixtures";

const labels = (text: string) => extractCitations(text).map((c) => c.label);

describe("extractCitations", () => {
  it("finds bracketed citations in order", () => {
    expect(labels("By [Section 1.6] and [Exercise 1.41], done.")).toEqual(["Section 1.6", "Exercise 1.41"]);
    expect(extractCitations("See [Exercise 1.41].")[0]).toMatchObject({ label: "Exercise 1.41", bracketed: true });
  });

  it("normalises abbreviations and lower case", () => {
    expect(labels("[Ex. 1.41] [ex 1.43] [exercise 1.44] [Def. 1.42] [Thm 1.40] [§1.6]")).toEqual([
      "Exercise 1.41",
      "Exercise 1.43",
      "Exercise 1.44",
      "Definition 1.42",
      "Theorem 1.40",
      "Section 1.6",
    ]);
  });

  it("sees citations through invisible characters, with offsets into the same text", () => {
    const answer = "A\u200b [Exercise\u200b 1.41] and\u202e [Section 1.6] and [Exercise 1.41].";
    expect(labels(answer)).toEqual(["Exercise 1.41", "Section 1.6", "Exercise 1.41"]);
    expect(extractCitations(answer).every((c) => c.bracketed)).toBe(true);
  });

  it("finds every citation of a long answer, each with its own offset and bracket state", () => {
    const unit = "[Exercise 1.41] and see Exercises 1.42–1.44; ";
    const found = extractCitations(unit.repeat(500));
    expect(found).toHaveLength(500 * 4);
    expect(found.filter((c) => c.bracketed)).toHaveLength(500);
    expect(found.filter((c) => c.label === "Exercise 1.43")).toHaveLength(500);
    expect(found[4].index).toBe(unit.length + 1); // just inside its bracket, like the first one
  });

  it("reads parts as part of the same label", () => {
    const [c] = extractCitations("[Exercise 1.41(b)]");
    expect(c).toMatchObject({ label: "Exercise 1.41", part: "b" });
    expect(extractCitations("Exercise 1.41 (a)")[0]).toMatchObject({ label: "Exercise 1.41", part: "a" });
  });

  it("expands ranges and lists", () => {
    expect(labels("Try Exercises 1.41–1.43.")).toEqual(["Exercise 1.41", "Exercise 1.42", "Exercise 1.43"]);
    expect(labels("[Exercises 1.41-1.44]")).toEqual(["Exercise 1.41", "Exercise 1.42", "Exercise 1.43", "Exercise 1.44"]);
    expect(labels("Exercises 1.41 and 1.44")).toEqual(["Exercise 1.41", "Exercise 1.44"]);
    expect(labels("[Exercises 1.41, 1.43(b) and 1.45]")).toEqual(["Exercise 1.41", "Exercise 1.43", "Exercise 1.45"]);
    expect(extractCitations("[Exercises 1.41, 1.43(b)]")[1]).toMatchObject({ label: "Exercise 1.43", part: "b" });
  });

  it("does not read unrelated numbers as citations", () => {
    expect(labels("[Section 1.6, Exercise 1.41]")).toEqual(["Section 1.6", "Exercise 1.41"]);
    expect(labels("In Section 1.6 and 2 more places")).toEqual(["Section 1.6"]);
    expect(labels("$\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$ on $[0, 1.5]$, e.g. 3.")).toEqual([]);
    expect(labels("The Exercises below")).toEqual([]);
  });

  it("sees a range after an earlier mention of the same label", () => {
    expect(labels("[Ex 1.41] … later [Exercises 1.41–1.43]")).toEqual(["Exercise 1.41", "Exercise 1.41", "Exercise 1.42", "Exercise 1.43"]);
  });

  it("does not expand absurd ranges", () => {
    expect(labels("Exercises 1.1–1.99")).toEqual(["Exercise 1.1", "Exercise 1.99"]);
  });
});

describe("verifyCitations", () => {
  const retrieved = [passage()];

  it("gives each label one verdict: verified, not-retrieved or unknown", () => {
    const result = checkAnswerCitations({
      answer: "By [Exercise 1.41(b)] and [Ex. 1.41], [Theorem 1.40], and [Exercise 9.99]; see [Section 1.6].",
      items: ITEMS,
      retrieved,
      course: "demo",
    });
    expect(result.citations).toEqual([
      { label: "Exercise 1.41", verdict: "verified", citeUrl: "/cite/Exercise%201.41?course=demo" },
      { label: "Theorem 1.40", verdict: "not-retrieved", citeUrl: "/cite/Theorem%201.40?course=demo" },
      { label: "Exercise 9.99", verdict: "unknown" },
      { label: "Section 1.6", verdict: "verified", citeUrl: "/cite/Section%201.6?course=demo" },
    ]);
    expect(result.grounded).toBe(true);
  });

  it("skips a label only implied by a range when the course gives that number to another kind", () => {
    // Exercises 1.41–1.43 in notes with one counter: 1.42 is a definition, so there is no Exercise 1.42 to flag.
    const r = checkAnswerCitations({ answer: "Try [Exercises 1.41–1.43], not [Exercise 1.42].", items: ITEMS, retrieved, course: "demo" });
    expect(r.citations.map((c) => [c.label, c.verdict])).toEqual([
      ["Exercise 1.41", "verified"],
      ["Exercise 1.43", "not-retrieved"],
      ["Exercise 1.42", "unknown"],
    ]);
  });

  it("an answer none of whose citations verifies is not grounded", () => {
    expect(checkAnswerCitations({ answer: "As in [Exercise 9.99].", items: ITEMS, retrieved, course: "demo" }).grounded).toBe(false);
    expect(checkAnswerCitations({ answer: "No citations at all.", items: ITEMS, retrieved, course: "demo" })).toEqual({ citations: [], grounded: false });
  });

  it("puts labels into the course's form (a section number typed for a subsection)", () => {
    const r = verifyCitations({ citations: extractCitations("[Section 1.6.1]"), items: ITEMS, retrieved, course: "demo" });
    expect(r.citations[0]).toMatchObject({ label: "Subsection 1.6.1", verdict: "not-retrieved" });
  });

  it("counts the heading path of a passage as context", () => {
    expect([...contextLabels(retrieved)].sort()).toEqual(["Chapter 1", "Definition 1.42", "Exercise 1.41", "Section 1.6"]);
    const r = checkAnswerCitations({ answer: "[Chapter 1]", items: ITEMS, retrieved, course: "demo" });
    expect(r.citations[0].verdict).toBe("verified");
  });
});

describe("figures, tables and equations the notes print", () => {
  // What lib/cite/printed-lookup indexes: each label the course prints → the passage printing it.
  const printed = new Map([
    ["Figure 1.2", "demo/Section 1.6#0"],
    ["Table 1.1", "demo/Section 1.5#0"],
    ["Equation 1.6.1", "demo/Section 1.6#0"],
  ]);
  const retrieved = [{ ...passage(), id: "demo/Section 1.6#0" }];
  const check = (answer: string, opts: { printed?: Map<string, string> } = { printed }) =>
    checkAnswerCitations({ answer, items: ITEMS, retrieved, course: "demo", printed: opts.printed }).citations.map((c) => [c.label, c.verdict]);

  it("reads them in the forms a model writes, in order with the items, without reading math as one", () => {
    expect(labels("As [Figure 1.2] and [Fig. 1.3] show, by [Equation (1.6.1)], [eq. 2], [Table 1.1] and [Exercise 1.41].")).toEqual([
      "Figure 1.2",
      "Figure 1.3",
      "Equation 1.6.1",
      "Equation 2",
      "Table 1.1",
      "Exercise 1.41",
    ]);
    expect(labels("Figures 1.2 and 1.4")).toEqual(["Figure 1.2", "Figure 1.4"]);
    expect(labels("solve the equation 2x + 3 = 5; the normal equations A^T A x = b; a table of values")).toEqual([]);
  });

  it("verifies one the notes print in a retrieved passage, and links it like an item", () => {
    const r = checkAnswerCitations({ answer: "See [Figure 1.2] and [Equation (1.6.1)].", items: ITEMS, retrieved, course: "demo", printed });
    expect(r.citations).toEqual([
      { label: "Figure 1.2", verdict: "verified", citeUrl: "/cite/Figure%201.2?course=demo" },
      { label: "Equation 1.6.1", verdict: "verified", citeUrl: "/cite/Equation%201.6.1?course=demo" },
    ]);
    expect(r.grounded).toBe(true);
  });

  it("says not-retrieved for one the notes print elsewhere, and unknown for a number they do not print", () => {
    expect(check("[Table 1.1] and [Figure 9.9], then [Table 1.1] again")).toEqual([
      ["Table 1.1", "not-retrieved"],
      ["Figure 9.9", "unknown"],
    ]);
    // Without the course's printed labels every one is unknown: the index, not the form, makes a label real.
    expect(check("[Figure 1.2]", { printed: undefined })).toEqual([["Figure 1.2", "unknown"]]);
  });

  it("does not flag an equation named in passing that the notes do not number (the answer's own)", () => {
    expect(check("Multiply equation 2 by 3, then compare with [Equation 7].")).toEqual([["Equation 7", "unknown"]]);
    expect(check("Multiply equation 1.6.1 by 3.")).toEqual([["Equation 1.6.1", "verified"]]);
  });
});
