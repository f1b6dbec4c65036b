import { describe, expect, it } from "vitest";
import type { PassageHit } from "@/lib/store/read";
import { buildTermStats } from "@/lib/retrieve/scope";
import { boostByTitles } from "@/lib/retrieve/title-boost";

const hit = (id: string, score: number, heading: string, refs: string[] = []): PassageHit => ({
  id, course: "c", section: "", heading, headingPath: heading, text: "", refs, file: "f.tex", line: 1, endLine: 2, score,
});

const stats = buildTermStats([
  "a matrix is diagonalisable when it has a basis of eigenvectors",
  "powers of a matrix, diagonalisable or not, appear in markov chains",
  "the rank of a matrix and of its transpose",
  "determinants of products",
]);
const titles: Record<string, string> = { "Section 14": "Diagonalisation", "Section 22": "Rank", "Proposition 22.14": "Rank of the transpose", "Section 7": "Markov chains" };
const titlesOf = (h: PassageHit) => [titles[h.heading] ?? "", ...h.refs.map((r) => titles[r] ?? "")];

describe("boostByTitles", () => {
  it("lifts a passage whose heading's title holds the question's terms over a slightly better prose match", () => {
    const hits = [hit("prose", 10, "Section 7"), hit("titled", 9, "Section 14")];
    expect(boostByTitles(hits, "how does diagonalisation work", stats, titlesOf).map((h) => h.id)).toEqual(["titled", "prose"]);
  });

  it("counts the titles of the items a passage holds (a theorem's name)", () => {
    const hits = [hit("other", 10, "Section 7"), hit("named", 9.5, "Section 9", ["Proposition 22.14"])];
    expect(boostByTitles(hits, "rank of the transpose", stats, titlesOf)[0].id).toBe("named");
  });

  it("never lifts a passage far behind: the boost is at most 30 % of its own score", () => {
    const hits = [hit("prose", 10, "Section 7"), hit("titled", 7, "Section 14")];
    expect(boostByTitles(hits, "diagonalisation", stats, titlesOf).map((h) => h.id)).toEqual(["prose", "titled"]);
  });

  it("keeps BM25's order when no title holds a question term", () => {
    const hits = [hit("a", 10, "Section 1"), hit("b", 9.9, "Section 2"), hit("c", 9.8, "Section 3")];
    expect(boostByTitles(hits, "determinants of products", stats, titlesOf).map((h) => h.id)).toEqual(["a", "b", "c"]);
  });
});
