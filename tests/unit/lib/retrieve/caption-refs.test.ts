import { describe, expect, it } from "vitest";
import { captionIndex, captionRefs } from "@/lib/retrieve/caption-refs";

const passages = [
  { id: "s2.3#0", text: "Chapter 2 › Section 2.3\n\nSome text.\n\nFigure 2.1: Histogram of the pound part of birth weight.\n\nFigure 2.2: Ounces." },
  { id: "s2.4#1", text: "Chapter 2 › Section 2.4\n\nFigure 2.1 shows the result.\n\nTable 2.1: Counts of outcomes." },
  { id: "sA#0", text: "Appendix › Section A.1\n\nFigure A.3: The sum rule." },
  { id: "s1.4#2", text: "Chapter 1 › Section 1.4\n\n$$ f(x) = x^2 \\tag{1.4.1} $$ and $$ y = 2 \\tag{2} $$ $$ z \\tag{A} $$" },
];

describe("figures and tables named by their captions", () => {
  it("indexes each caption line to the passage holding it, not a passage that mentions the figure", () => {
    const index = captionIndex(passages);
    expect(index.get("Figure 2.1")).toBe("s2.3#0");
    expect(index.get("Table 2.1")).toBe("s2.4#1");
    expect(index.get("Figure A.3")).toBe("sA#0");
    expect(index.get("Equation 1.4.1")).toBe("s1.4#2");
    expect(index.size).toBe(7);
  });

  it("reads the forms students type, in the question's order, once each", () => {
    const index = captionIndex(passages);
    const none = () => false;
    expect(captionRefs("what does figure 2.1 show", index, none)).toEqual([{ label: "Figure 2.1", passageId: "s2.3#0" }]);
    expect(captionRefs("tab. 2.1 vs Fig 2.2, and fig. 2.1 again", index, none).map((r) => r.label)).toEqual(["Table 2.1", "Figure 2.2", "Figure 2.1"]);
    expect(captionRefs("Figure A.3?", index, none).map((r) => r.label)).toEqual(["Figure A.3"]);
    for (const q of ["eq (1.4.1)", "equation 1.4.1?", "why does eqn. (1.4.1) hold"]) expect(captionRefs(q, index, none).map((r) => r.label)).toEqual(["Equation 1.4.1"]);
  });

  it("leaves a number no caption has, a longer number, and a course's own Figure items alone", () => {
    const index = captionIndex(passages);
    expect(captionRefs("figure 9.9", index, () => false)).toEqual([]);
    expect(captionRefs("figure 2.1.4", index, () => false)).toEqual([]);
    expect(captionRefs("what does figure 2.1 show", index, (l) => l === "Figure 2.1")).toEqual([]);
    expect(captionRefs("the table of contents", index, () => false)).toEqual([]);
    // "the equation 2x + 3 = 5" names no equation 2.
    expect(captionRefs("solve the equation 2x + 3 = 5", index, () => false)).toEqual([]);
    expect(captionRefs("equation 2 please", index, () => false).map((r) => r.label)).toEqual(["Equation 2"]);
    // A letter alone is a variable: "the normal equations A^T A x = A^T b" names no equation A.
    expect(captionRefs("the normal equations A^T A x = A^T b", index, () => false)).toEqual([]);
  });
});
