import { describe, expect, it } from "vitest";
import { groupHref, labelExists, parseCitationBracket, parseGroupHref } from "@/components/citations/groups";

describe("parseCitationBracket: one written reference, one chip", () => {
  it("reads a single label in any written form, in the course's form", () => {
    expect(parseCitationBracket("Ex. 1.41(b)")).toEqual([{ text: "Exercise 1.41(b)", members: [{ label: "Exercise 1.41(b)" }] }]);
    expect(parseCitationBracket("§1.6")).toEqual([{ text: "Section 1.6", members: [{ label: "Section 1.6" }] }]);
    expect(parseCitationBracket("Øvelse 1.41")).toEqual([{ text: "Exercise 1.41", members: [{ label: "Exercise 1.41" }] }]);
  });

  it("makes a range one reference, with the labels between the ends marked as such", () => {
    expect(parseCitationBracket("Exercises 1.41–1.43")).toEqual([
      {
        text: "Exercises 1.41–1.43",
        members: [{ label: "Exercise 1.41" }, { label: "Exercise 1.42", between: true }, { label: "Exercise 1.43" }],
      },
    ]);
    // Any dash, spaces around it, the kind repeated after it.
    expect(parseCitationBracket("Theorems 2.1 - Theorem 2.2")?.map((g) => g.text)).toEqual(["Theorems 2.1–2.2"]);
    expect(parseCitationBracket("Ex 1.41—1.44")?.[0].members.map((m) => m.label)).toEqual(["Exercise 1.41", "Exercise 1.42", "Exercise 1.43", "Exercise 1.44"]);
    // Ends in different sections: only the ends (nothing between can be listed).
    expect(parseCitationBracket("Exercises 1.41–2.3")?.[0].members).toEqual([{ label: "Exercise 1.41" }, { label: "Exercise 2.3" }]);
    // Parts of one item.
    expect(parseCitationBracket("Exercise 1.41(a)–(c)")).toEqual([{ text: "Exercise 1.41(a)–(c)", members: [{ label: "Exercise 1.41(a)" }] }]);
  });

  it("makes a list of one kind one reference, and a new kind a new one", () => {
    expect(parseCitationBracket("Theorems 2.1, 2.3")).toEqual([{ text: "Theorems 2.1, 2.3", members: [{ label: "Theorem 2.1" }, { label: "Theorem 2.3" }] }]);
    expect(parseCitationBracket("Sections 1.5 and 1.6")?.map((g) => g.text)).toEqual(["Sections 1.5, 1.6"]);
    expect(parseCitationBracket("Corollaries 3.1, 3.4–3.5")).toEqual([
      { text: "Corollaries 3.1, 3.4–3.5", members: [{ label: "Corollary 3.1" }, { label: "Corollary 3.4" }, { label: "Corollary 3.5" }] },
    ]);
    expect(parseCitationBracket("Section 1.6, Exercise 1.41; Exercise 1.43")?.map((g) => g.text)).toEqual(["Section 1.6", "Exercise 1.41", "Exercise 1.43"]);
  });

  it("reads a figure, table or equation the notes print as a chip of its own", () => {
    expect(parseCitationBracket("Fig. 2.1")).toEqual([{ text: "Figure 2.1", members: [{ label: "Figure 2.1" }] }]);
    expect(parseCitationBracket("Equation (1.4.1)")).toEqual([{ text: "Equation 1.4.1", members: [{ label: "Equation 1.4.1" }] }]);
    expect(parseCitationBracket("Table 3, Exercise 1.41")?.map((g) => g.text)).toEqual(["Table 3", "Exercise 1.41"]);
  });

  it("leaves brackets that are not all references alone", () => {
    for (const inner of ["0, 1", "1.5–2", "a–b", "see below", "Exercise 1.41, see below", "Exercise 1.41–Theorem 1.43", "Theorem 1.40, "]) {
      expect(parseCitationBracket(inner)).toBeNull();
    }
  });

  it("round-trips through the chip's link target", () => {
    for (const inner of ["Exercises 1.41–1.43", "Exercise 1.41(b)", "Theorems 2.1, 2.3"]) {
      const [g] = parseCitationBracket(inner)!;
      const href = groupHref(g.members);
      expect(href).not.toMatch(/[()\s]/); // a Markdown link target must not end early
      expect(parseGroupHref(href)).toEqual(g.members);
    }
  });
});

describe("labelExists: judged as the server's lookup judges it", () => {
  const labels = new Set(["Chapter 1", "Section 1.6", "Subsection 1.6.1", "Exercise 1.41", "Key Idea 4"]);
  it("knows the course's labels in any written form, and a section number typed for a subsection", () => {
    expect(labelExists(labels, "Ex. 1.41(b)")).toBe(true);
    expect(labelExists(labels, "§1.6")).toBe(true);
    expect(labelExists(labels, "Section 1.6.1")).toBe(true);
    expect(labelExists(labels, "Subsection 1.6")).toBe(true);
  });
  it("says no to a label the course lacks, and cannot judge a form without a known kind", () => {
    expect(labelExists(labels, "Theorem 9.99")).toBe(false);
    expect(labelExists(labels, "Exercise 1.42")).toBe(false);
    expect(labelExists(labels, "Method 6.3")).toBe(true);
  });
  it("knows a figure, table or equation when the course prints it (the outline lists them), and no other", () => {
    const withFigures = new Set([...labels, "Figure 2.1", "Equation 1.4.1"]);
    expect(labelExists(withFigures, "Fig. 2.1")).toBe(true);
    expect(labelExists(withFigures, "Equation (1.4.1)")).toBe(true);
    expect(labelExists(withFigures, "Figure 9.9")).toBe(false);
    expect(labelExists(withFigures, "Table 1")).toBe(false);
  });
});

describe("a chip's link through Markdown", () => {
  it("reaches the renderer with every label (Markdown %-encodes some separators)", async () => {
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { createElement } = await import("react");
    const { TutorMarkdown } = await import("@/components/markdown/tutor-markdown");
    const html = renderToStaticMarkup(createElement(TutorMarkdown, { text: "See [Exercises 1.41–1.43] and [Theorems 2.1, 2.3]." }));
    expect(html).toContain('data-labels="Exercise 1.41|Exercise 1.42|Exercise 1.43"');
    expect(html).toContain('data-labels="Theorem 2.1|Theorem 2.3"');
    expect(html).toContain(">Exercises 1.41–1.43</button>");
  });
});
