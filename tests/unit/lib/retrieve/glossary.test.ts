import { describe, expect, it } from "vitest";
import { expandMathWords } from "@/lib/retrieve/glossary";

describe("expandMathWords", () => {
  it.each([
    ["the intuition behind lim sup", "limsup"],
    ["is sqrt(xy) <= (x+y)/2 always", "sqrt"],
    ["is sqrt(xy) <= (x+y)/2 always", "leq le"],
    ["how many ways, n choose k", "binom"],
    ["what is P(A|B) when A and B are independent", "mid given"],
    ["integral of 1/x", "int"],
  ])("%s → %s", (q, name) => {
    expect(expandMathWords(q)).toContain(`${name}`);
    expect(expandMathWords(q).startsWith(q)).toBe(true);
  });

  it("leaves questions without plain-text mathematics alone", () => {
    for (const q of ["what is a group", "best pizza near campus", "why is the hessian symmetric"]) expect(expandMathWords(q)).toBe(q);
  });
});
