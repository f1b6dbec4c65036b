import { describe, expect, it } from "vitest";
import { plainTitle, splitInlineMath } from "@/components/markdown/inline-math";

describe("splitInlineMath (titles with formulas)", () => {
  it("finds every delimiter, in order", () => {
    expect(splitInlineMath("What is $\\nabla f$ and \\(x^2\\) or $$\\sum_k k$$ and \\[a\\]?")).toEqual([
      { math: false, text: "What is " },
      { math: true, text: "\\nabla f" },
      { math: false, text: " and " },
      { math: true, text: "x^2" },
      { math: false, text: " or " },
      { math: true, text: "\\sum_k k" },
      { math: false, text: " and " },
      { math: true, text: "a" },
      { math: false, text: "?" },
    ]);
  });

  it("leaves prices, escaped and unclosed dollars as text", () => {
    expect(splitInlineMath("costs \\$5")).toEqual([{ math: false, text: "costs \\$5" }]);
    expect(splitInlineMath("half $\\frac{a")).toEqual([{ math: false, text: "half $\\frac{a" }]);
  });

  it("reads a title aloud without delimiters", () => {
    expect(plainTitle("What is $\\nabla f$?")).toBe("What is \\nabla f?");
  });
});
