import { describe, expect, it } from "vitest";
import { buildTermStats } from "@/lib/retrieve/scope";
import { fullTextQuery } from "@/lib/retrieve/text-query";

const noTitles = () => false;

describe("fullTextQuery", () => {
  it("drops the words of asking and English function words, keeps the topic", () => {
    expect(fullTextQuery("what is the intuition behind an eigenvector, please explain", noTitles)).toBe("behind eigenvector");
    expect(fullTextQuery("what does linearly independent mean", noTitles)).toBe("linearly independent");
    expect(fullTextQuery("how do I know if a matrix can be diagonalised", noTitles)).toBe("matrix diagonalised");
  });

  it("keeps the words of a task, which exercises are written with", () => {
    expect(fullTextQuery("how do i show a divides c", noTitles)).toBe("show divides c");
    expect(fullTextQuery("find the inverse", noTitles)).toBe("find inverse");
  });

  it("keeps function words that state a mathematical condition", () => {
    expect(fullTextQuery("do P and Q have the same eigenvalues", noTitles)).toBe("P Q same eigenvalues");
    expect(fullTextQuery("why is there no integer solution", noTitles)).toBe("no integer solution");
  });

  it("keeps an asking word that the course's headings or item titles use", () => {
    const stats = buildTermStats(["The mean of a sample is its sum over its size."], ["Mean and variance"]);
    const isTitleWord = (s: string) => stats.titleWords.has(s);
    expect(fullTextQuery("what does the mean mean", isTitleWord)).toBe("mean mean");
    expect(fullTextQuery("what does the mean mean", noTitles)).toBe("what does the mean mean");
  });

  it("cuts tokens as the full-text index does, so a coefficient stays with its variable", () => {
    expect(fullTextQuery("why cant 6x + 9y = 10 have integer solutions", noTitles)).toBe("6x 9y 10 integer solutions");
  });

  it("keeps a question made only of asking words as it is", () => {
    expect(fullTextQuery("what does it mean?", noTitles)).toBe("what does it mean?");
  });
});
