/**
 * Numbered environments that come from a package or sit inside a wrapper, read without TeX and with the real
 * pdflatex (the trace is the truth); both must give what the PDF prints. The exercise package: `Exercise`
 * numbered 1, 2, 3 through the book (not per chapter), `Exercise*` unnumbered, `[label=…]`/`[title=…]`/`[number=…]`
 * options rather than a title. A theorem inside a box environment (`\newenvironment{theorem}{\begin{tBox}\begin{theoremT}}…`)
 * numbered as the theorem. Needs pdflatex (scripts/test.sh installs TeX Live from Debian).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listItems } from "@/lib/course/items";
import { findTexEngine } from "@/lib/course/latex/engine";
import { loadCourseWithTex } from "@/lib/course/load-course";
import type { Block, SectionNode } from "@/lib/course/types";

const found = findTexEngine({ setting: undefined });
if (!found.engine) throw new Error(`these tests need pdflatex: ${found.reason}`);
const engine = found.engine;

const FIXTURES = path.resolve(__dirname, "../fixtures/latex");
type Doc = Awaited<ReturnType<typeof loadCourseWithTex>>;

async function both(fixture: string) {
  const dir = path.join(FIXTURES, fixture);
  const derived = await loadCourseWithTex({ path: dir, tex: null });
  const traced = await loadCourseWithTex({ path: dir, tex: engine });
  expect(traced.numbers).toMatch(/^as printed by pdfTeX/);
  const source = readFileSync(path.join(dir, "main.tex"), "utf8").split("\n");
  const lineOf = (needle: string) => source.findIndex((l) => l.includes(needle)) + 1;
  return { derived, traced, lineOf };
}
const labels = (doc: Doc) => listItems(doc).map((i) => `${i.label} @${i.source.line}`);
const blocks = (doc: Doc): Block[] => {
  const out: Block[] = [];
  const visit = (n: SectionNode) => {
    out.push(...n.blocks);
    n.children.forEach(visit);
  };
  doc.chapters.forEach(visit);
  return out;
};

describe("the exercise package", () => {
  it("numbers Exercise through the book as printed, with its options read as options", async () => {
    const { derived, traced, lineOf } = await both("exercise-package");
    const printed = [
      `Chapter 1 @${lineOf("\\chapter{Counting}")}`,
      `Section 1.1 @${lineOf("\\section{Chapter Exercises}")}`,
      `Exercise 1 @${lineOf("[label=exr:first]")}`,
      `Exercise 2 @${lineOf("[title={Pigeons}]")}`,
      `Chapter 2 @${lineOf("\\chapter{Chances}")}`,
      `Theorem 2.1 @${lineOf("\\label{thm:sum}")}`,
      `Exercise 3 @${lineOf("\\begin{Exercise}[]")}`,
      `Exercise 10 @${lineOf("[number=10")}`,
      `Exercise 11 @${lineOf("And the count goes on") - 1}`,
    ];
    expect(labels(derived)).toEqual(printed);
    expect(labels(traced)).toEqual(printed);
    for (const doc of [derived, traced]) {
      expect(doc.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
      const all = blocks(doc);
      expect(all.find((b) => b.label === "Exercise 2")?.title).toBe("Pigeons");
      expect(all.find((b) => b.label === "Exercise 1")?.title).toBeUndefined();
      expect(all.find((b) => b.label === "Exercise 3")?.text).toContain("Use Exercise 1 and Theorem 2.1.");
      expect(all.find((b) => b.label === "Exercise 11")?.text).toContain("after Exercise 10.");
      // [noanswer]: the Answer box is not typeset, so not in the notes
      expect(all.some((b) => b.text.includes("One hole holds two"))).toBe(false);
      // the starred one is an exercise without a number, its text kept
      expect(all.some((b) => b.kind === "exercise" && !b.number && b.text.includes("printed without a number"))).toBe(true);
    }
  });
});

describe("theorem environments wrapped in a box", () => {
  it("numbers \\newenvironment{theorem}{\\begin{tBox}\\begin{theoremT}}… as the theorem inside the box", async () => {
    const { derived, traced, lineOf } = await both("boxed-theorems");
    const printed = [
      `Chapter 1 @${lineOf("\\chapter{Measures}")}`,
      `Section 1.1 @${lineOf("\\section{Sigma algebras}")}`,
      `Definition 1.1.1 @${lineOf("\\label{def:sigma}")}`,
      `Theorem 1.1.2 @${lineOf("\\label{thm:gen}")}`,
      `Section 1.2 @${lineOf("\\section{Measures}")}`,
      `Example 1.2.1 @${lineOf("Counting measure") - 1}`,
      `Theorem 1.2.2 @${lineOf("[Continuity]")}`,
    ];
    expect(labels(derived)).toEqual(printed);
    expect(labels(traced)).toEqual(printed);
    for (const doc of [derived, traced]) {
      expect(doc.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
      const all = blocks(doc);
      expect(all.find((b) => b.label === "Definition 1.1.1")?.title).toBe("Sigma algebra");
      expect(all.find((b) => b.label === "Theorem 1.2.2")?.title).toBe("Continuity");
      expect(all.find((b) => b.label === "Example 1.2.1")?.text).toContain("as in Definition 1.1.1.");
      expect(all.find((b) => b.label === "Theorem 1.2.2")?.text).toContain("by Theorem 1.1.2.");
    }
  });
});
