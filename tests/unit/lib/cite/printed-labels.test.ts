import { describe, expect, it } from "vitest";
import { isPrintedLabel, nearestPrinted, nextPrintedRef, parsePrintedRef, printedOffset } from "@/lib/cite/printed-labels";

describe("figures, tables and equations as labels", () => {
  it("parses one reference in the forms students and models type", () => {
    expect(parsePrintedRef("Figure 2.1")).toEqual({ kind: "Figure", number: "2.1", label: "Figure 2.1" });
    expect(parsePrintedRef(" fig. 2.1 ")?.label).toBe("Figure 2.1");
    expect(parsePrintedRef("Tab 3")?.label).toBe("Table 3");
    expect(parsePrintedRef("Equation (1.4.1)")?.label).toBe("Equation 1.4.1");
    expect(parsePrintedRef("eqn 1.4.1")?.label).toBe("Equation 1.4.1");
    expect(parsePrintedRef("Figure A.3")?.label).toBe("Figure A.3");
    for (const no of ["Exercise 2.1", "Figure", "figure two", "1.4.1", "Figure 2.1 and more"]) expect(parsePrintedRef(no)).toBeNull();
  });

  it("finds references in free text by offset, and no math", () => {
    const text = "As (see Fig. 2.1) shows; the equation 2x = 4; then eq (1.4.1).";
    const first = nextPrintedRef(text)!;
    expect([first.label, text.slice(first.index, first.index + first.match.length)]).toEqual(["Figure 2.1", "Fig. 2.1"]);
    expect(nextPrintedRef(text, first.index + first.match.length)?.label).toBe("Equation 1.4.1");
    expect(nextPrintedRef("the normal equations A^T A x = A^T b")).toBeNull();
  });

  it("tells its labels from others, and names the nearest of the same kind", () => {
    expect(isPrintedLabel("Table 3")).toBe(true);
    expect(isPrintedLabel("Theorem 3")).toBe(false);
    const labels = ["Figure 1.1", "Figure 2.2", "Figure 2.3", "Table 2.1", "Equation 2.4"];
    expect(nearestPrinted({ kind: "Figure", number: "2.4" }, labels)).toEqual(["Figure 2.3", "Figure 2.2", "Figure 1.1"]);
    expect(nearestPrinted({ kind: "Table", number: "9" }, labels)).toEqual(["Table 2.1"]);
  });
});

describe("printedOffset: where a passage prints a figure, table or equation", () => {
  const text = "Intro paragraph.\n\n![figure](<figs/chord.png>)\n\nFigure 4.1: A convex function.\n\nTable 4.1: Values.\n\nSo\n$$ f(x) \\le g(x) \\tag{4.2.1} $$\nholds.";
  it("starts at the figure's image, the table's caption, the equation's display paragraph", () => {
    expect(text.slice(printedOffset(text, "Figure 4.1"))).toMatch(/^!\[figure\]/);
    expect(text.slice(printedOffset(text, "Table 4.1"))).toMatch(/^Table 4\.1: Values/);
    expect(text.slice(printedOffset(text, "Equation 4.2.1"))).toMatch(/^So\n/);
  });
  it("reads from the start when the passage does not print it", () => {
    expect(printedOffset(text, "Figure 4.11")).toBe(0);
    expect(printedOffset(text, "Exercise 4.1")).toBe(0);
  });
});
