import { describe, expect, it } from "vitest";
import { buildNoLlmAnswer } from "@/lib/tutor/no-llm";
import { item, passage } from "./fixtures";

describe("buildNoLlmAnswer", () => {
  it("says first that a named label does not exist, offering the nearest real ones as citations", () => {
    const text = buildNoLlmAnswer({ results: [passage()], outOfScope: false, absent: [{ label: "Theorem 150", nearest: ["Theorem 1.40"] }] });
    expect(text.split("\n")[0]).toBe("The notes have no Theorem 150 (the nearest are [Theorem 1.40]).");
  });

  it("says nothing of absent labels when every named label exists", () => {
    expect(buildNoLlmAnswer({ results: [passage()], outOfScope: false, absent: [] })).not.toMatch(/The notes have no/);
  });
});

describe("buildNoLlmAnswer: a real answer", () => {
  const section = passage();
  const other = passage({
    id: "demo/Section 1.5#0",
    label: "Section 1.5",
    title: "Sets",
    section: "Section 1.5",
    headingPath: "Chapter 1: Numbers › Section 1.5: Sets",
    refs: ["Theorem 1.40"],
    text: "Chapter 1: Numbers › Section 1.5: Sets\n\nTheorem 1.40: De Morgan's laws $(A \\cup B)^c = A^c \\cap B^c$.",
  });

  it("puts the best passage first and each other under its own heading, as the chat lays it out", async () => {
    const { splitNoLlmAnswer, firstLine } = await import("@/lib/tutor/no-llm-layout");
    const layout = splitNoLlmAnswer(buildNoLlmAnswer({ results: [section, other], outOfScope: false }));
    expect(layout.intro).toMatch(/^No language model is configured/);
    expect(layout.passages.map((p) => p.heading)).toEqual(["[Section 1.6] More on sets", "[Section 1.5] Sets"]);
    expect(layout.passages[0].body).toContain("Exercise 1.41: Prove that");
    expect(firstLine(layout.passages[1].body)).toBe("Theorem 1.40: De Morgan's laws $(A \\cup B)^c = A^c \\cap B^c$.");
    expect(layout.related).toBe("Related exercises: [Exercise 1.41]");
  });

  it("never shows half a display formula as a folded passage's first line", async () => {
    const { firstLine } = await import("@/lib/tutor/no-llm-layout");
    expect(firstLine("> Then $$x^2 +\n> 1$$ holds")).toBe("Then …");
    expect(firstLine("> Then $$x^2$$ holds")).toBe("Then $$x^2$$ holds");
    expect(firstLine(">\n> Newton: \\begin{align} a &= b")).toBe("Newton: …");
  });

  it("in hint mode quotes the exercise the question names with its hints, never its worked solution", () => {
    const exercise = item("exercise", "1.41", {
      title: "Two proofs",
      text: "Prove that $A = B$.\n\n\\begin{hint}\nShow both inclusions.\n\\end{hint}\n\n\\begin{solution}\nLet $x \\in A$; the worked solution.\n\\end{solution}",
    });
    const md = item("exercise", "1.43", { text: "Show $x$.\n\n:::hint\nTry $x = 1$.\n:::\n\n:::solution\nThe worked solution.\n:::" });
    const latex = buildNoLlmAnswer({ results: [section, other], outOfScope: false, hint: true, question: "A hint for Ex. 1.41 please", items: [exercise, md] });
    expect(latex).toContain("[Exercise 1.41] Two proofs");
    expect(latex).toContain("Show both inclusions.");
    expect(latex).not.toMatch(/Let \$x|Section 1\.5|Theorem 1\.40/);
    const markdown = buildNoLlmAnswer({ results: [section], outOfScope: false, hint: true, question: "hint for exercise 1.43", items: [exercise, md] });
    expect(markdown).toContain("> **Hint.**");
    expect(markdown).toContain("Try $x = 1$.");
    expect(markdown).not.toMatch(/The worked solution|:::/);
  });

  it("in hint mode without a named exercise shows the passages, their solutions left out", () => {
    const withSolution = passage({ text: `${section.text}\n\n\\begin{solution}\nThe worked solution.\n\\end{solution}` });
    expect(buildNoLlmAnswer({ results: [withSolution], outOfScope: false, hint: false })).toContain("The worked solution.");
    const hinted = buildNoLlmAnswer({ results: [withSolution], outOfScope: false, hint: true, question: "what is a set?", items: [] });
    expect(hinted).toContain("Exercise 1.41: Prove that");
    expect(hinted).not.toContain("The worked solution.");
  });
});
