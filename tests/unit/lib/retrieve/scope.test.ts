import { describe, expect, it } from "vitest";
import { assessScope, buildTermStats } from "@/lib/retrieve/scope";
import { topicTerms } from "@/lib/retrieve/terms";
import { expandDanish } from "@/lib/retrieve/glossary";

const passages = [
  "A function f is convex if f(tx + (1-t)y) <= t f(x) + (1-t) f(y) for all x, y and t in [0,1].",
  "The Hessian matrix of F at v is the matrix of second partial derivatives; it is symmetric.",
  "Newton's method iterates x_{k+1} = x_k - f'(x_k)/f''(x_k) and converges quadratically near a minimum.",
  "Two sets A and B are equal if they contain the same elements. De Morgan's laws relate unions and complements.",
];
const stats = buildTermStats(passages);

describe("scope", () => {
  it("drops question words and stems topic words", () => {
    expect(topicTerms("Why is the Hessian symmetric? Please explain, I'm stuck")).toEqual(["hessian", "symmetr"]);
  });

  it("keeps questions whose specific words the notes use", () => {
    const v = assessScope({ question: "why is the hessian symmetric", stats, topPassages: passages.slice(1, 2), anchored: false });
    expect(v).toMatchObject({ outOfScope: false, coverage: 1, unknownTerms: [] });
  });

  it("flags questions that hinge on words the notes never use", () => {
    const v = assessScope({ question: "how do I bake sourdough bread", stats, topPassages: passages, anchored: false });
    expect(v.outOfScope).toBe(true);
    // "bake" and "bread" are everyday English: only "sourdough" is a specific word the notes lack.
    expect(v.unknownTerms).toEqual(["sourdough"]);
    expect(assessScope({ question: "what is a Fourier transform of a function", stats, topPassages: passages, anchored: false }).outOfScope).toBe(true);
  });

  it("never flags a question anchored to an item of the course", () => {
    expect(assessScope({ question: "sourdough", stats, topPassages: [], anchored: true }).outOfScope).toBe(false);
  });

  it("expands Danish course terms to English for full-text search", () => {
    expect(expandDanish("hvad er en konveks funktion")).toBe("hvad er en konveks funktion (convex function)");
    expect(expandDanish("what is a convex function")).toBe("what is a convex function");
  });
});
