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
    ["how do you negate a for all statement", "forall neg"],
    ["for every x there is a y", "forall"],
    ["what is A x emptyset", "emptyset varnothing times"],
    ["why is X times the empty set empty", "emptyset varnothing"],
    ["a function from X to its power set is never onto", "mathcal wp"],
    ["f o g and g o f, same?", "circ"],
    ["prove 1 + 2 + 4 + ... + 2^n = 2^(n+1) - 1", "cdots"],
    ["the sequence 1, 3, 5, 7, ... what is its closed formula", "ldots"],
    ["how do i show a function is one to one", "injective"],
    ["does transposing change the determinant", "top transpose"],
    ["A^100 quickly with diagonalization", "diagonalisation"],
    ["why normalise the eigenvector", "normalize"],
  ])("%s → %s", (q, name) => {
    expect(expandMathWords(q)).toContain(`${name}`);
    expect(expandMathWords(q).startsWith(q)).toBe(true);
  });

  it("gives the other spelling only of the -ize/-ise suffix, not of words always written -ise", () => {
    for (const q of ["otherwise the exercise is fine", "what size is the matrix", "a pairwise comparison", "it may surprise you"]) expect(expandMathWords(q)).toBe(q);
    expect(expandMathWords("there are 5 people at a party")).toBe("there are 5 people at a party");
    expect(expandMathWords("1, 3, 5, ...")).not.toContain("cdots");
    expect(expandMathWords("1 + 2 + ... + n")).not.toContain("ldots");
  });

  it("leaves questions without plain-text mathematics alone", () => {
    for (const q of ["what is a group", "best pizza near campus", "why is the hessian symmetric"]) expect(expandMathWords(q)).toBe(q);
  });
});
