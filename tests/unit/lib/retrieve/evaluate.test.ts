import { describe, expect, it } from "vitest";
import { averageMetrics, expectedLabelsNotInStore, headingLabels, isHit, parseEvalFile, sameAbsentLabel, scoreRanking } from "@/lib/retrieve/evaluate";

const p = (id: string, refs: string[], headings: string[]) => ({ id, refs, headings });

describe("evaluation metrics", () => {
  it("counts a passage as a hit when it holds the item or sits under the heading", () => {
    expect(isHit(p("1", ["Exercise 1.41"], ["Chapter 1", "Section 1.6"]), ["Exercise 1.41"])).toBe(true);
    expect(isHit(p("1", [], ["Chapter 1", "Section 1.6", "Subsection 1.6.1"]), ["Section 1.6"])).toBe(true);
    expect(isHit(p("1", ["Exercise 1.4"], ["Chapter 1", "Section 1.1"]), ["Exercise 1.41"])).toBe(false);
  });

  it("scores a first hit at rank 3 as the model card does", () => {
    const ranking = [p("a", [], ["S 1"]), p("b", [], ["S 2"]), p("c", ["Exercise 1.41"], []), p("d", ["Exercise 1.41"], [])];
    const m = scoreRanking(ranking, ["Exercise 1.41"], 2);
    expect(m).toMatchObject({ "acc@1": 0, "acc@3": 1, "acc@5": 1, "acc@10": 1, "mrr@10": 1 / 3 });
    const dcg = 1 / Math.log2(4) + 1 / Math.log2(5);
    const idcg = 1 + 1 / Math.log2(3);
    expect(m["ndcg@10"]).toBeCloseTo(dcg / idcg, 10);
    expect(scoreRanking([], ["x"], 1)).toMatchObject({ "acc@10": 0, "mrr@10": 0, "ndcg@10": 0 });
  });

  it("averages, reads heading labels and reports bad lines with their number", () => {
    expect(averageMetrics([scoreRanking([p("a", ["x"], [])], ["x"], 1), scoreRanking([], ["x"], 1)])["acc@1"]).toBe(0.5);
    expect(headingLabels("Chapter 1: Numbers › Section 1.6: More on sets: part two")).toEqual(["Chapter 1", "Section 1.6"]);
    expect(() => parseEvalFile('{"q":"a","expect":[],"kind":"off-topic"}\n{"q":"b"}\n', "e.jsonl")).toThrow(/^e\.jsonl:2: expect/);
  });
});

describe("expected labels not in the store", () => {
  it("counts distinct expected labels that no passage holds or sits under (an ingestion gap)", () => {
    const passages = [p("a", ["Exercise 2.1.6"], ["Chapter 2", "Section 2.1"]), p("b", ["Theorem 3.2"], ["Chapter 3"])];
    const questions = [
      { q: "a", expect: ["Exercise 2.1.6"], kind: "explicit-ref" as const },
      { q: "b", expect: ["Section 2.1", "Exercise 2.1.7"], kind: "conceptual" as const },
      { q: "c", expect: ["Exercise 2.1.7", "Lemma 9"], kind: "exercise-help" as const },
      { q: "d", expect: [], kind: "off-topic" as const, absent: ["Exercise 2.1.99"] },
    ];
    expect(expectedLabelsNotInStore(questions, passages)).toEqual({ n: 4, not_in_store: 2, missing: ["Exercise 2.1.7", "Lemma 9"] });
    expect(expectedLabelsNotInStore([], passages)).toEqual({ n: 0, not_in_store: 0, missing: [] });
  });
});

describe("absent labels as reported", () => {
  it("matches the label, or the same number under another word for an exercise, and nothing else", () => {
    expect(sameAbsentLabel("Exercise 2.1.99", "Exercise 2.1.99")).toBe(true);
    expect(sameAbsentLabel("Exercise 30.7", "Problem 30.7")).toBe(true);
    expect(sameAbsentLabel("Problem 12.7", "Question 12.7")).toBe(true);
    expect(sameAbsentLabel("Exercise 30.8", "Problem 30.7")).toBe(false);
    expect(sameAbsentLabel("Theorem 30.7", "Problem 30.7")).toBe(false);
    expect(sameAbsentLabel("Theorem 9.7", "Lemma 9.7")).toBe(false);
  });
});
