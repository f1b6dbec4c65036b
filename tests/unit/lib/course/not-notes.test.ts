import { describe, expect, it } from "vitest";
import { isSlides, whyNotNotes } from "@/lib/course/not-notes";

describe("files that are not notes, by what they contain", () => {
  it("a .txt is notes only with the export's markers", () => {
    expect(whyNotNotes("a.txt", "Chapter 1: Sets\n\nSome text.\n")).toBeUndefined();
    expect(whyNotNotes("a.txt", "Exercise 1.41 (Title): body\n/Exercise\n")).toBeUndefined();
    expect(whyNotNotes("videos/l1.txt", "So in chapter 1 we saw sets. Exercise 1.41 is for next week.\n")).toMatch(/without the export's markers/);
  });

  it("an exam or solutions says so in its title", () => {
    expect(whyNotNotes("x.md", "# Final exam, June 2024\n\n## Problem 1\n")).toMatch(/its title: "Final exam, June 2024"/);
    expect(whyNotNotes("x.md", "---\ntitle: Solutions to week 3\n---\n\ntext")).toMatch(/solutions/i);
    expect(whyNotNotes("x.tex", "\\documentclass{article}\\title{Eksamen i matematik}")).toMatch(/exam/);
    // A chapter about testing hypotheses is notes.
    expect(whyNotNotes("x.md", "# Hypothesis testing\n")).toBeUndefined();
    expect(whyNotNotes("x.md", "# Examples of groups\n")).toBeUndefined();
  });

  it("beamer slides", () => {
    expect(isSlides("\\documentclass[11pt]{beamer}\n")).toBe(true);
    expect(isSlides("% \\documentclass{beamer}\n\\documentclass{book}\n")).toBe(false);
  });
});
