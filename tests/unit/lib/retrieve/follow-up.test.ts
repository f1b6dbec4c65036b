import { describe, expect, it } from "vitest";
import { resolveQuestion } from "@/lib/retrieve/follow-up";
import type { ItemRow } from "@/lib/store/schema";

const item = (label: string, ord: number): ItemRow => {
  const [name, number] = label.split(" ");
  return {
    id: `c/${label}`, course: "c", kind: name.toLowerCase(), number, label, title: "", text: "", chapter: number.split(".")[0], chapter_title: "",
    section: "", section_title: "", path: "", parts: "", passage_id: `p-${label}`, file: "f", line: 1, end_line: 1, ord, hash: "",
  };
};
const items = ["Section 1.6", "Exercise 1.40", "Exercise 1.41", "Definition 1.42", "Exercise 1.43"].map(item);

describe("resolveQuestion", () => {
  it("keeps explicit references that exist, with parts, and ignores ones that do not", () => {
    const r = resolveQuestion({ question: "In ex 1.41(b) and Exercise 9.9, what does §1.6 say?", items });
    expect(r.explicit).toEqual([{ label: "Exercise 1.41", part: "b" }, { label: "Section 1.6" }]);
    expect(r.followUp).toBe(false);
  });

  it("resolves 'what about part (b)?' to the exercise of the previous question", () => {
    const r = resolveQuestion({
      question: "what about part (b)?",
      history: [
        { role: "user", text: "I'm stuck on exercise 1.41(a)" },
        { role: "assistant", text: "Try De Morgan [Theorem 1.40]", citations: ["Definition 1.42"] },
      ],
      items,
    });
    expect(r.inherited).toEqual([{ label: "Exercise 1.41", part: "b" }]);
    expect(r.query).toContain("I'm stuck on exercise 1.41(a)");
    expect(r.followUp).toBe(true);
  });

  it("resolves 'and the next exercise?' to the following exercise, skipping other kinds", () => {
    const r = resolveQuestion({ question: "and the next exercise?", history: [{ role: "user", text: "help with Exercise 1.41" }], items });
    expect(r.inherited).toEqual([{ label: "Exercise 1.43" }]);
    const prev = resolveQuestion({ question: "and the previous one?", history: [{ role: "user", text: "help with Exercise 1.41" }], items });
    expect(prev.inherited).toEqual([{ label: "Exercise 1.40" }]);
  });

  it("lets 'why is that true?' inherit the assistant's citations when the user named nothing", () => {
    const r = resolveQuestion({
      question: "why is that true?",
      history: [
        { role: "user", text: "what is an ordered pair" },
        { role: "assistant", text: "See the definition.", citations: ["Definition 1.42"] },
      ],
      items,
    });
    expect(r.inherited).toEqual([{ label: "Definition 1.42" }]);
  });

  it("leaves a self-contained new question alone", () => {
    const r = resolveQuestion({ question: "what is the binomial theorem about convex functions and gradients", history: [{ role: "user", text: "Exercise 1.41" }], items });
    expect(r.followUp).toBe(false);
    expect(r.inherited).toEqual([]);
  });

  it("a question whose pointer refers to a topic it names itself stands alone; one that points back inherits", () => {
    const history = [
      { role: "user" as const, text: "what is the best pizza in town?" },
      { role: "assistant" as const, text: "The notes do not cover this.", citations: ["Exercise 1.41"] },
    ];
    const topics = new Set(["newton", "method", "convex"]);
    const isTopicWord = (w: string) => topics.has(w.replace(/'s$/, ""));
    const alone = resolveQuestion({ question: "How does Newton's method work and when can it fail?", history, items, isTopicWord });
    expect(alone).toMatchObject({ followUp: false, inherited: [], query: "How does Newton's method work and when can it fail?" });
    const back = resolveQuestion({ question: "why is that true for convex sets?", history, items, isTopicWord });
    expect(back.followUp).toBe(true);
    expect(back.inherited).toEqual([{ label: "Exercise 1.41" }]);
  });
});
