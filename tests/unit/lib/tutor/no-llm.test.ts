import { describe, expect, it } from "vitest";
import { buildNoLlmAnswer } from "@/lib/tutor/no-llm";
import { passage } from "./fixtures";

describe("buildNoLlmAnswer", () => {
  it("says first that a named label does not exist, offering the nearest real ones as citations", () => {
    const text = buildNoLlmAnswer({ results: [passage()], outOfScope: false, absent: [{ label: "Theorem 150", nearest: ["Theorem 1.40"] }] });
    expect(text.split("\n")[0]).toBe("The notes have no Theorem 150 (the nearest are [Theorem 1.40]).");
  });

  it("says nothing of absent labels when every named label exists", () => {
    expect(buildNoLlmAnswer({ results: [passage()], outOfScope: false, absent: [] })).not.toMatch(/The notes have no/);
  });
});
