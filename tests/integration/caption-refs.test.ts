import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { findPassages } from "@/lib/retrieve/search";
import { tempDir } from "./helpers";

/**
 * Figures, tables and equations a book prints numbers for but that are no items of the store: a question naming
 * one gets the passage that prints it first (not a passage that merely mentions it), and no "does not exist".
 * A real LaTeX ingest (without TeX) into a real LanceDB; lexical retrieval.
 */
describe("figures, tables and equations named by the numbers the book prints", () => {
  const tmp = tempDir();
  const db = path.join(tmp.dir, "db");

  beforeAll(async () => {
    const course = path.join(tmp.dir, "course");
    mkdirSync(course);
    writeFileSync(path.join(course, "course.json"), JSON.stringify({ id: "floats", title: "Floats", main: "main.tex" }));
    writeFileSync(
      path.join(course, "main.tex"),
      String.raw`\documentclass{book}
\newtheorem{theorem}{Theorem}[chapter]
\begin{document}
\chapter{Distributions}
\section{Histograms}
A histogram counts how often each value occurs in a sample of birth weights.
\begin{figure}
\caption{Histogram of the pound part of birth weight.}
\end{figure}
\begin{theorem}\label{thm:count}The counts add up to the sample size.\end{theorem}
\section{Summaries}
Figure 1.1 shows the result; the histogram of pounds and the histogram of weights are compared in the text.
The mean satisfies
\begin{equation}
\bar x = \frac{1}{n} \sum_i x_i
\end{equation}
and nothing else is numbered here.
\end{document}
`,
    );
    const s = await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: { available: false, modelId: "", reason: "test" } });
    expect(s.errors).toEqual([]);
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it("puts the passage printing a figure's caption first, ahead of one that mentions the figure", async () => {
    const r = await findPassages({ db, question: "what does figure 1.1 show", k: 3, mode: "lexical", embedder: null });
    expect(r.results[0].label).toBe("Section 1.1");
    expect(r.results[0].retrievers[0]).toBe("reference");
    expect(r.absent).toEqual([]);
  });

  it("names the passage of a numbered display by its printed number, and does not call it absent", async () => {
    const r = await findPassages({ db, question: "why does eq (1.1) hold?", k: 3, mode: "lexical", embedder: null });
    expect(r.results[0].label).toBe("Section 1.2");
    expect(r.absent).toEqual([]);
  });

  it("reads nothing for a number the book does not print, and keeps items first", async () => {
    const none = await findPassages({ db, question: "what does figure 7.3 show", k: 3, mode: "lexical", embedder: null });
    expect(none.results.every((x) => !x.retrievers.includes("reference"))).toBe(true);
    const item = await findPassages({ db, question: "theorem 1.1 and figure 1.1", k: 3, mode: "lexical", embedder: null });
    expect(item.results[0].refs).toContain("Theorem 1.1");
  });
});
