import { describe, expect, it } from "vitest";
import { splitConversation } from "@/lib/tutor/conversation";

describe("splitConversation", () => {
  it("takes the last user message as the question and earlier turns as history with their citations", () => {
    const { question, history } = splitConversation([
      { role: "user", parts: [{ type: "text", text: "What does Exercise 1.41 ask?" }] },
      {
        role: "assistant",
        parts: [
          { type: "source-document" },
          { type: "text", text: "It asks for a proof [Exercise 1.41], see [Exercise 9.99]." },
          {
            type: "data-citations",
            data: {
              citations: [
                { label: "Exercise 1.41", verdict: "verified" },
                { label: "Exercise 9.99", verdict: "unknown" },
              ],
              grounded: true,
            },
          },
        ],
      },
      { role: "user", parts: [{ type: "text", text: "and " }, { type: "text", text: "part (b)?" }] },
    ]);
    expect(question).toBe("and part (b)?");
    expect(history).toEqual([
      { role: "user", text: "What does Exercise 1.41 ask?", citations: ["Exercise 1.41"] },
      { role: "assistant", text: "It asks for a proof [Exercise 1.41], see [Exercise 9.99].", citations: ["Exercise 1.41"] },
    ]);
  });

  it("reads citations from the text when a turn has no data-citations part, and drops empty turns", () => {
    const { history } = splitConversation([
      { role: "user", parts: [{ type: "text", text: "  " }] },
      { role: "assistant", parts: [{ type: "text", text: "Use [Thm 1.40]." }] },
      { role: "user", parts: [{ type: "text", text: "why?" }] },
    ]);
    expect(history).toEqual([{ role: "assistant", text: "Use [Thm 1.40].", citations: ["Theorem 1.40"] }]);
  });
});
