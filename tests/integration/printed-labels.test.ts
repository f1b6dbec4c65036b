/**
 * Figures, tables and equations as citable labels, on a real ingest: the LaTeX fixture `tests/fixtures/latex/
 * figures-cited` compiled by the real pdflatex (the numbers as the book prints them), stored in a real LanceDB,
 * then every way a citation is read — the search JSON, the citation lookup (the API's, the page's and the CLI's
 * function, and the CLI itself), the outline's labels, and the tutor's check of an answer streamed by a real
 * OpenAI-protocol server. A number the book does not print stays unknown.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOutline } from "@/app/api/outline/outline";
import { lookupCitation } from "@/lib/cite/lookup";
import { findTexEngine } from "@/lib/course/latex/engine";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { createChatModel } from "@/lib/llm/model";
import { findPassages } from "@/lib/retrieve/search";
import { prepareTurn, streamAnswer } from "@/lib/tutor/answer";
import type { TutorUIMessageChunk } from "@/lib/tutor/contract";
import { startFakeOpenAI, type FakeOpenAI } from "../support/openai-server";
import { ROOT, runCli, tempDir } from "./helpers";

const COURSE = path.join(ROOT, "tests/fixtures/latex/figures-cited");
const SOURCE = readFileSync(path.join(COURSE, "main.tex"), "utf8").split("\n");
/** The 1-based line of the fixture that holds `text`. */
const lineOf = (text: string) => SOURCE.findIndex((l) => l.includes(text)) + 1;

const found = findTexEngine({ setting: undefined });
if (!found.engine) throw new Error(`these tests need pdflatex: ${found.reason}`);

describe("figures, tables and equations the notes print, cited and looked up", () => {
  const tmp = tempDir();
  const db = path.join(tmp.dir, "db");
  let llm: FakeOpenAI;
  const ANSWER = "The histogram is [Figure 1.1]; the mean is [Equation (1.1)] and the counts are in [Table 1.1]. See also [Fig. 2.1] and [Figure 9.9].";

  beforeAll(async () => {
    const s = await ingestCourse({ tex: found.engine!, path: COURSE, db, embedder: null, modelStatus: { available: false, modelId: "", reason: "test" } });
    expect(s.errors).toEqual([]);
    // The numbers are pdflatex's: its trace settled them.
    expect(s.tex?.map((r) => r.used)).toEqual([true]);
    llm = await startFakeOpenAI({ script: () => ({ text: ANSWER }) });
  }, 240_000);
  afterAll(async () => {
    await llm?.close();
    tmp.cleanup();
  });

  it("resolves a figure, a table and an equation to the passage printing it, in the forms students type", async () => {
    for (const [ref, label, printedLine] of [
      ["Figure 1.1", "Figure 1.1", "\\caption{Histogram of the pound part"],
      ["fig. 1.1", "Figure 1.1", "\\caption{Histogram of the pound part"],
      ["Table 1.1", "Table 1.1", "\\caption{Counts of the pound part"],
      ["Figure 2.1", "Figure 2.1", "\\caption{First babies"],
      ["Equation (1.1)", "Equation 1.1", "\\bar x = \\frac{1}{n}"],
      ["(1.3)", "Equation 1.3", "s &= \\sqrt{s^2}"],
    ] as const) {
      const r = await lookupCitation({ db, course: "figures", ref });
      expect(r.status, ref).toBe("found");
      if (r.status !== "found") continue;
      expect(r.item.label).toBe(label);
      // The passage is the one that prints it (not the one that mentions "Figure 1.1"), with its source lines.
      const line = lineOf(printedLine);
      expect(r.item.source).toMatchObject({ file: "main.tex" });
      const src = r.item.source as { line: number; endLine: number };
      expect(src.line <= line && line <= src.endLine, `${ref}: line ${line} in ${src.line}–${src.endLine}`).toBe(true);
    }
    const fig = await lookupCitation({ db, course: "figures", ref: "Figure 1.1" });
    expect(fig.status === "found" && fig.item).toMatchObject({ kind: "figure", number: "1.1", title: "Histogram of the pound part of birth weight.", section: "Section 1.1: Histograms" });
    expect(fig.status === "found" && fig.item.text).toContain("Figure 1.1: Histogram of the pound part of birth weight.");
  });

  it("reports a number the notes do not print as not found, with the nearest of its kind", async () => {
    const r = await lookupCitation({ db, course: "figures", ref: "Figure 9.9" });
    expect(r).toMatchObject({ status: "not-found", suggestions: ["Figure 2.1", "Figure 1.1"] });
    const cli = runCli("cite", ["Figure 9.9", "--db", db, "--course", "figures"]);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('"Figure 9.9" is not a label in figures. Nearest: Figure 2.1, Figure 1.1');
  });

  it("prints the passage from npm run cite, as for an item", () => {
    const cli = runCli("cite", ["fig 1.1", "--db", db, "--course", "figures", "--json"]);
    expect(cli.status, cli.stderr).toBe(0);
    const item = JSON.parse(cli.stdout);
    expect(item).toMatchObject({ label: "Figure 1.1", course: "figures", source: { file: "main.tex" } });
    expect(item.text).toContain("Figure 1.1: Histogram");
  });

  it("names them in the search JSON, and reports a number the notes do not print as absent", async () => {
    const r = await findPassages({ db, course: "figures", question: "what does figure 1.1 show, and why does eq (1.2) hold?", k: 3, mode: "lexical", embedder: null });
    expect(r.named).toEqual(["Figure 1.1", "Equation 1.2"]);
    expect(r.absent).toEqual([]);
    expect(r.results[0].label).toBe("Section 1.1");
    const missing = await findPassages({ db, course: "figures", question: "what does figure 9.9 show?", k: 3, mode: "lexical", embedder: null });
    expect(missing.named).toEqual([]);
    expect(missing.absent).toEqual([{ label: "Figure 9.9", nearest: ["Figure 2.1", "Figure 1.1"] }]);
  });

  it("lists them among the outline's labels, which the chat's chips judge by", async () => {
    const outline = await loadOutline({ db, course: "figures" });
    expect(outline.labels).toEqual(expect.arrayContaining(["Figure 1.1", "Table 1.1", "Figure 2.1", "Equation 1.1", "Equation 1.2", "Equation 1.3"]));
    expect(outline.labels).not.toContain("Figure 9.9");
  });

  it("verifies an answer's citations of them: in the passages given, printed elsewhere, or unknown", async () => {
    const turn = await prepareTurn({ db, course: "figures", question: "what does figure 1.1 show and how is the mean defined?" });
    // The tutor is told it may cite them: the passage's header lists what it prints.
    expect(turn.system).toMatch(/<passage n="1" label="Section 1\.1" contains="Theorem 1\.1, Figure 1\.1, Table 1\.1">/);
    const model = createChatModel({ provider: "openai-compatible", model: "test", baseURL: llm.url, timeoutMs: 10_000 });
    const chunks: TutorUIMessageChunk[] = [];
    for await (const c of streamAnswer(turn, { model }) as unknown as AsyncIterable<TutorUIMessageChunk>) chunks.push(c);
    const checked = chunks.find((c): c is Extract<TutorUIMessageChunk, { type: "data-citations" }> => c.type === "data-citations")!.data;
    const ids = turn.search.results.map((r) => r.id);
    const verdict = (label: string) => checked.citations.find((c) => c.label === label)?.verdict;
    // Figure 1.1 and Table 1.1 are printed in the passage the question named first.
    expect(ids[0]).toBe(turn.printedLabels?.get("Figure 1.1"));
    expect(verdict("Figure 1.1")).toBe("verified");
    expect(verdict("Table 1.1")).toBe("verified");
    expect(verdict("Equation 1.1")).toBe(ids.includes(turn.printedLabels!.get("Equation 1.1")!) ? "verified" : "not-retrieved");
    expect(verdict("Figure 2.1")).toBe(ids.includes(turn.printedLabels!.get("Figure 2.1")!) ? "verified" : "not-retrieved");
    expect(checked.citations.find((c) => c.label === "Figure 1.1")?.citeUrl).toBe("/cite/Figure%201.1?course=figures");
    expect(verdict("Figure 9.9")).toBe("unknown");
    expect(checked.grounded).toBe(true);
  }, 60_000);
});
