import { describe, expect, it } from "vitest";
import { contextProbes, perContainerItems, refProbes } from "@/lib/eval/ref-forms";
import type { ItemRow } from "@/lib/store/schema";

let ord = 0;
function item(kind: string, number: string, opts: { label?: string; section?: string } = {}): ItemRow {
  const label = opts.label ?? `${kind[0].toUpperCase()}${kind.slice(1)} ${number}`;
  return { id: label, course: "c", kind, number, label, title: "", text: "", chapter: number.split(".")[0], chapter_title: "", section: opts.section ?? "", section_title: "", path: "", parts: "", passage_id: `p/${label}`, file: "f", line: 1, end_line: 1, ord: ord++, hash: "" };
}

// Exercises numbered within sections (2.1.1, 2.1.2), an appendix, a theorem, a course's own kind.
const sectioned = [
  item("chapter", "2"),
  item("section", "2.1", { section: "Section 2.1" }),
  item("exercise", "2.1.1", { section: "Section 2.1" }),
  item("exercise", "2.1.2", { section: "Section 2.1" }),
  item("theorem", "2.1.3", { section: "Section 2.1" }),
  item("Method", "2.1.4", { label: "Method 2.1.4", section: "Section 2.1" }),
  item("chapter", "A"),
];
// A counter shared by every kind (Exercise 1.2, Definition 1.3, Exercise 1.4): no place forms.
const shared = [item("chapter", "1"), item("exercise", "1.2"), item("definition", "1.3"), item("exercise", "1.4")];

const questionsOf = (probes: ReturnType<typeof refProbes>, form: string) => probes.filter((p) => p.form === form).map((p) => p.question);

describe("refProbes (the explicit-reference stress check)", () => {
  it("makes the printed, lower-case and abbreviated forms of every label, each inside a question naming it", () => {
    const probes = refProbes(sectioned);
    expect(new Set(probes.map((p) => p.label))).toEqual(new Set(sectioned.map((i) => i.label)));
    const thm = probes.filter((p) => p.label === "Theorem 2.1.3");
    expect(thm.map((p) => p.form)).toEqual(expect.arrayContaining(["printed label", "lower case", "abbrev", "Abbrev.", "sibling statement name"]));
    expect(thm.find((p) => p.form === "abbrev")!.question).toContain("thm 2.1.3");
    expect(thm.find((p) => p.form === "sibling statement name")!.question).toContain("proposition 2.1.3");
    expect(probes.find((p) => p.label === "Method 2.1.4" && p.form === "lower case")!.question).toContain("method 2.1.4");
    expect(probes.find((p) => p.label === "Section 2.1" && p.form === "§n")!.question).toContain("§2.1");
    expect(probes.find((p) => p.label === "Chapter A" && p.form === "appendix X")!.question).toContain("appendix A");
  });

  it("makes place forms only where a section numbers its exercises 1, 2, 3…", () => {
    const probes = refProbes(sectioned);
    expect(questionsOf(probes, "S #n").join(" | ")).toMatch(/2\.1 #1.*2\.1 #2/);
    expect(probes.filter((p) => p.form === "problem n in <heading> S").map((p) => [p.label, p.question])).toEqual([
      ["Exercise 2.1.1", expect.stringContaining("problem 1 in section 2.1")],
      ["Exercise 2.1.2", expect.stringContaining("problem 2 in section 2.1")],
    ]);
    expect(questionsOf(probes, "last exercise in <heading> S")).toEqual([expect.stringContaining("the last exercise in section 2.1")]);
    expect(questionsOf(refProbes(shared), "S #n")).toEqual([]);
    expect(perContainerItems(shared, "exercise").size).toBe(0);
    expect([...perContainerItems(sectioned, "exercise").keys()]).toEqual(["2.1"]);
  });

  it("makes the forms students type beyond the printed ones: no space, upper case, a proof, a part, a review, a lone number, ex. n of §S, qn", () => {
    const probes = refProbes(sectioned);
    const of = (label: string, form: string) => probes.find((p) => p.label === label && p.form === form)?.question;
    expect(of("Theorem 2.1.3", "abbrev, no space")).toContain("thm2.1.3");
    expect(of("Theorem 2.1.3", "UPPER CASE")).toContain("THEOREM 2.1.3");
    expect(of("Theorem 2.1.3", "<abbrev> n's proof")).toContain("thm 2.1.3's proof");
    expect(of("Exercise 2.1.2", "part (b) of <label>")).toContain("part (b) of exercise 2.1.2");
    expect(of("Chapter 2", "chapter n review")).toContain("chapter 2 review");
    expect(of("Theorem 2.1.3", "bare number alone")).toMatch(/(^|\s)2\.1\.3(\s|\?|$|,)/);
    expect(of("Exercise 2.1.2", "ex. n of §S")).toContain("ex. 2 of §2.1");
    expect(of("Exercise 2.1.2", "qn from S")).toContain("q2 from 2.1");
    expect(of("Exercise 2.1.1", "nth <kind> of section S")).toContain("the 1st exercise of section 2.1");
  });

  it("asks a chapter-wide number by its chapter ('problem 4 in chapter 1' for Exercise 1.4)", () => {
    expect(questionsOf(refProbes(shared), "<kind> n in chapter C")).toEqual([expect.stringContaining("exercise 2 in chapter 1"), expect.stringContaining("definition 3 in chapter 1"), expect.stringContaining("exercise 4 in chapter 1")]);
  });

  it("is deterministic", () => {
    expect(refProbes(sectioned)).toEqual(refProbes([...sectioned].reverse()));
  });
});

describe("contextProbes (whole questions around a label)", () => {
  const book = [
    ...sectioned,
    item("Figure", "2.1.5", { label: "Figure 2.1.5", section: "Section 2.1" }),
    item("chapter", "3"),
    item("example", "3.1", { section: "Section 2.1" }),
  ];
  const probes = contextProbes(book);
  const forms = (label: string) => probes.filter((p) => p.label === label).map((p) => p.form);

  it("puts every numbered label in math, mid-sentence, beside a second label, in punctuation and without the space", () => {
    for (const label of ["Theorem 2.1.3", "Exercise 2.1.1", "Section 2.1", "Figure 2.1.5"]) {
      expect(forms(label)).toEqual(expect.arrayContaining(["<label> then math", "<label> mid-sentence or at the end", "punctuation, emoji", "Abbrev.n, ABBREVn"]));
    }
    // Two labels, never a heading with an item it holds (the item leads then).
    const pairs = probes.filter((q) => q.form === "two labels, the first leads");
    expect(pairs.length).toBeGreaterThan(3);
    expect(pairs.map((p) => p.question)).not.toContain("does section 2.1 need exercise 2.1.1?");
    // The named label comes first in the "two labels" question.
    for (const p of probes.filter((q) => q.form === "two labels, the first leads")) expect(/(?<!\p{L})(?:\d+|[A-Z])(?:\.\d+)*(?!\p{L})/u.exec(p.question)![0]).toBe(p.label.split(" ").pop());
  });

  it("takes a form's wordings in turn over the labels, so each wording is asked", () => {
    const math = probes.filter((p) => p.form === "<label> then math").map((p) => p.question);
    expect(math.some((q) => /f\(2\.5\) = 1\.25/.test(q))).toBe(true);
    expect(math.some((q) => /where does the 1\/2 come from/.test(q))).toBe(true);
    expect(math.some((q) => /x > 0\.5/.test(q))).toBe(true);
  });

  it("asks a figure by 'fig', parts of an exercise, number words and places after a comma or bracket", () => {
    expect(probes.find((p) => p.label === "Figure 2.1.5" && p.form === "fig n")!.question).toBe("fig 2.1.5");
    expect(probes.find((p) => p.label === "Exercise 2.1.1" && p.form === "parts: ex n b, n(b), nb")!.question).toMatch(/2\.1\.1.*\bb\b/);
    expect(probes.find((p) => p.label === "Exercise 2.1.2" && p.form === "<kind> <number word> in <heading> S")!.question).toBe("exercise two in section 2.1");
    expect(probes.find((p) => p.label === "Chapter 3" && p.form === "chapter <number word>")!.question).toContain("chapter three");
    expect(probes.filter((p) => p.form === "Qn, q.n, question n of S").map((p) => p.question)).toEqual(["Q1 of section 2.1", "q.2 of 2.1"]);
    expect(forms("Theorem 2.1.3")).not.toContain("parts: ex n b, n(b), nb");
  });

  it("is part of refProbes and deterministic", () => {
    expect(refProbes(book).filter((p) => p.form === "fig n")).toEqual(probes.filter((p) => p.form === "fig n"));
    expect(contextProbes([...book].reverse())).toEqual(probes);
  });
});
