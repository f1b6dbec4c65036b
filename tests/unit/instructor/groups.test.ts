import { describe, expect, it } from "vitest";
import type { GroupedQuestion as FlaggedQuestion } from "@/lib/instructor/groups";
import { groupQuestions, type GroupEmbedder } from "@/lib/instructor/groups";

const q = (text: string | null, time: number, extra: Partial<FlaggedQuestion> = {}): FlaggedQuestion => ({ time, question: text, comment: null, named: [], ...extra });

describe("groupQuestions", () => {
  it("groups by shared terms without a model, largest group first, newest wording as its title", async () => {
    const g = await groupQuestions(
      [
        q("how do I bake sourdough bread", 1),
        q("who won the world cup", 2),
        q("sourdough bread baking tips", 3),
        q("how to bake sourdough bread at home", 4),
        q(null, 5),
      ],
      null,
    );
    expect(g.method).toBe("terms");
    expect(g.withoutText).toBe(1);
    expect(g.groups.map((x) => x.count)).toEqual([3, 1]);
    expect(g.groups[0].example).toBe("how to bake sourdough bread at home");
    expect(g.groups[0].terms).toEqual(expect.arrayContaining(["sourdough", "bread"]));
    expect(g.groups[1].example).toBe("who won the world cup");
  });

  it("uses the student's comment when the question text is not kept, and counts the labels named", async () => {
    const g = await groupQuestions(
      [q(null, 1, { comment: "skipped the induction step", named: ["Exercise 2.3"] }), q(null, 2, { comment: "it skipped the induction step", named: ["Exercise 2.3"] })],
      null,
    );
    expect(g.groups).toHaveLength(1);
    expect(g.groups[0]).toMatchObject({ count: 2, labels: ["Exercise 2.3"] });
  });

  it("groups by the embedder's cosine similarity when a model is there", async () => {
    // A stand-in embedder with known geometry: the two questions about limits point the same way.
    const directions: Record<string, number[]> = { "what is a limit": [1, 0], "define limit of a sequence": [0.96, 0.28], "who won the world cup": [0, 1] };
    const embedder: GroupEmbedder = { modelId: "test-model", embed: async (texts) => texts.map((t) => Float32Array.from(directions[t])) };
    const g = await groupQuestions([q("what is a limit", 1), q("define limit of a sequence", 2), q("who won the world cup", 3)], embedder);
    expect(g.method).toBe("embedding (test-model)");
    expect(g.groups.map((x) => [x.count, x.example])).toEqual([
      [2, "define limit of a sequence"],
      [1, "who won the world cup"],
    ]);
  });
});
