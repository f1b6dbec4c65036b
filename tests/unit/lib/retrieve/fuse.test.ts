import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuseRankings } from "@/lib/retrieve/fuse";

describe("fuseRankings", () => {
  it("rewards agreement: an id both retrievers rank second beats ids only one ranks first", () => {
    const fused = fuseRankings([
      { retriever: "fulltext", ids: ["a", "c", "d"] },
      { retriever: "dense", ids: ["b", "c", "e"] },
    ]);
    expect(fused[0]).toMatchObject({ id: "c", retrievers: ["fulltext", "dense"] });
    expect(fused[0].score).toBeCloseTo(2 / 62, 10);
    expect(fused.map((f) => f.id)).toEqual(["c", "a", "b", "d", "e"]);
  });

  it("applies weights and counts an id once per ranking", () => {
    const fused = fuseRankings([
      { retriever: "x", ids: ["a", "a", "b"] },
      { retriever: "ctx", ids: ["b"], weight: 3 },
    ]);
    expect(fused.map((f) => f.id)).toEqual(["b", "a"]);
    expect(fused[1].score).toBeCloseTo(1 / 61, 10);
  });

  it("is a permutation of the union, sorted by score", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom("a", "b", "c", "d", "e", "f"), { maxLength: 6 }), { maxLength: 4 }), (lists) => {
        const fused = fuseRankings(lists.map((ids, i) => ({ retriever: `r${i}`, ids })));
        expect(new Set(fused.map((f) => f.id))).toEqual(new Set(lists.flat()));
        for (let i = 1; i < fused.length; i++) expect(fused[i - 1].score).toBeGreaterThanOrEqual(fused[i].score);
      }),
    );
  });
});
