/** What the solutions policy takes out of the notes' text, what it says instead, and when it stops. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkCourse } from "@/lib/course/chunk";
import { listItems } from "@/lib/course/items";
import { loadCourse } from "@/lib/course/load-course";
import { activeRules, formatRelease, withheldSentence, withholdView, type ExercisePolicies } from "@/lib/policy/withhold";
import type { SearchResult } from "@/lib/retrieve/search";
import type { ItemRow } from "@/lib/store/schema";
import { buildNoLlmAnswer } from "@/lib/tutor/no-llm";
import { buildCopyPrompt, buildSystemPrompt } from "@/lib/tutor/prompt";
import { fixtureExercises, leaks, POLICY_COURSE } from "../../../support/policy-fixture";

const NOW = new Date("2026-12-01T12:00:00Z");

describe("taking withheld blocks out of a text", () => {
  const labels = ["Section 1.1", "Exercise 1.1", "Exercise 1.2", "Theorem 1.3"];
  const passage = [
    "Chapter 1: Sets › Section 1.1: Basics",
    "",
    "Exercise 1.1: Prove it.\n\\begin{hint}\nHINT-ONE\n\\end{hint}\n\\begin{solution}\nSOLUTION-ONE\n\\end{solution}",
    "",
    "Solution. SOLUTION-ONE-PARAGRAPH",
    "",
    "Exercise 1.2 (Titled): Prove that.\n\\begin{hint}\nHINT-TWO\n\\end{hint}\n\\begin{proof}\nPROOF-TWO\n\\end{proof}",
    "",
    "Theorem 1.3: A theorem.\n\\begin{proof}\nTHEOREM-PROOF\n\\end{proof}",
  ].join("\n");

  it("hints-only: the exercise's solution boxes, proofs and 'Solution.' paragraphs go, its hints and everything else stay", () => {
    const view = withholdView({ "Exercise 1.1": { solutions: "hints-only", from: "Exercise 1.1" } }, labels, NOW);
    const out = view.text(passage);
    expect(out).not.toMatch(/SOLUTION-ONE/);
    expect(out).toContain("HINT-ONE");
    // One notice for the exercise, where its first withheld block stood.
    expect(out.match(/Solution withheld: Your instructor has not released the solution to Exercise 1\.1\./g)).toHaveLength(1);
    expect(out.indexOf("HINT-ONE")).toBeLessThan(out.indexOf("Solution withheld"));
    // Another exercise's proof and a theorem's proof are not this exercise's.
    expect(out).toContain("PROOF-TWO");
    expect(out).toContain("THEOREM-PROOF");
    expect(out).toContain("Exercise 1.2 (Titled): Prove that.");
  });

  it("hidden: the hints go too, the statement stays", () => {
    const view = withholdView({ "Exercise 1.2": { solutions: "hidden", release: "2026-12-12", from: "Section 1.1" } }, labels, NOW);
    const out = view.text(passage);
    expect(out).not.toMatch(/HINT-TWO|PROOF-TWO/);
    expect(out).toContain("Exercise 1.2 (Titled): Prove that.");
    expect(out).toContain("Solution withheld: Your instructor releases the hints and the solution to Exercise 1.2 on 12 Dec.");
    expect(out).toContain("SOLUTION-ONE");
    expect(out).toContain("THEOREM-PROOF");
  });

  it("an item's own text (no opener) and Markdown boxes", () => {
    const body = "Show it.\n\n:::hint\nHINT-MD\n:::\n\n:::solution\nSOLUTION-MD\n:::\n\n:::answer\nANSWER-MD\n:::";
    const view = withholdView({ "Exercise 2.1": { solutions: "hints-only", from: "Chapter 2" } }, ["Exercise 2.1"], NOW);
    const out = view.text(body, "Exercise 2.1");
    expect(out).not.toMatch(/SOLUTION-MD|ANSWER-MD/);
    expect(out).toContain(":::hint\nHINT-MD\n:::");
    expect(view.text(body, "Exercise 2.2")).toBe(body);
    expect(view.text(body)).toBe(body); // no opener of a withheld exercise in it
  });

  it("from the release day on (UTC) nothing is withheld, and the view's key changes", () => {
    const policies: ExercisePolicies = { "Exercise 1.1": { solutions: "hints-only", release: "2026-12-12", from: "Exercise 1.1" } };
    const before = withholdView(policies, labels, new Date("2026-12-11T23:59:59Z"));
    const on = withholdView(policies, labels, new Date("2026-12-12T00:00:00Z"));
    expect(before.text(passage)).not.toContain("SOLUTION-ONE");
    expect(on.text(passage)).toBe(passage);
    expect(before.key).not.toBe(on.key);
    expect(on.key).toBe("");
    expect([...activeRules(policies, new Date("2026-12-11T23:59:59Z")).keys()]).toEqual(["Exercise 1.1"]);
  });

  it("words the date as the student reads it", () => {
    expect(formatRelease("2026-12-12", NOW)).toBe("12 Dec");
    expect(formatRelease("2027-01-05", NOW)).toBe("5 Jan 2027");
    expect(withheldSentence("Exercise 1.41", { solutions: "hints-only", release: "2026-12-12", from: "" }, NOW)).toBe(
      "Your instructor releases the solution to Exercise 1.41 on 12 Dec.",
    );
  });
});

describe("LaTeX notes, read without TeX", () => {
  it("withholds a solution inside the exercise, one printed after it, and an answer box", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tutor-policy-tex-"));
    try {
      writeFileSync(
        path.join(dir, "main.tex"),
        [
          "\\documentclass{book}",
          "\\newtheorem{exercise}{Exercise}[chapter]",
          "\\newenvironment{solution}{\\par\\textbf{Solution.}}{}",
          "\\newenvironment{answer}{\\par\\textbf{Answer.}}{}",
          "\\begin{document}",
          "\\chapter{Sets}",
          "\\section{Basics}",
          "\\begin{exercise}",
          "Prove that $A \\cap A = A$.",
          "\\begin{solution}",
          "INSIDE-SOLUTION take an element.",
          "\\end{solution}",
          "\\end{exercise}",
          "\\begin{solution}",
          "AFTER-SOLUTION both inclusions.",
          "\\end{solution}",
          "\\begin{exercise}",
          "Second one.",
          "\\begin{answer}",
          "INSIDE-ANSWER yes.",
          "\\end{answer}",
          "\\end{exercise}",
          "\\end{document}",
        ].join("\n"),
      );
      const doc = loadCourse({ path: dir });
      const items = listItems(doc);
      const view = withholdView(
        { "Exercise 1.1": { solutions: "hints-only", from: "" }, "Exercise 1.2": { solutions: "hints-only", from: "" } },
        items.map((i) => i.label),
        NOW,
      );
      const raw = [...items.map((i) => i.text), ...chunkCourse(doc).passages.map((p) => p.text)].join("\n");
      for (const marker of ["INSIDE-SOLUTION", "AFTER-SOLUTION", "INSIDE-ANSWER"]) expect(raw).toContain(marker);
      const shown = [...items.map((i) => view.text(i.text, i.kind === "exercise" ? i.label : undefined)), ...chunkCourse(doc).passages.map((p) => view.text(p.text))].join("\n");
      expect(shown).not.toMatch(/INSIDE-SOLUTION|AFTER-SOLUTION|INSIDE-ANSWER/);
      expect(shown).toContain("Prove that $A \\cap A = A$.");
      expect(shown).toContain("Solution withheld: Your instructor has not released the solution to Exercise 1.2.");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("property: nothing the policy withholds reaches a text, a prompt or a no-LLM answer", () => {
  const doc = loadCourse({ path: POLICY_COURSE });
  const items = listItems(doc);
  const passages = chunkCourse(doc).passages;
  const exercises = fixtureExercises();
  const labels = items.map((i) => i.label);
  const exerciseLabels = [...exercises.keys()];

  const rule = fc.record({
    solutions: fc.constantFrom("open" as const, "hints-only" as const, "hidden" as const),
    release: fc.option(fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2027-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), { nil: undefined }),
  });

  it("holds for random policies over the fixture's exercises and random days", () => {
    fc.assert(
      fc.property(
        fc.tuple(...exerciseLabels.map(() => rule)),
        fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2028-01-01T00:00:00Z"), noInvalidDate: true }),
        fc.boolean(),
        (rules, now, hint) => {
          const policies: ExercisePolicies = {};
          exerciseLabels.forEach((label, i) => {
            const r = rules[i];
            if (r.solutions !== "open") policies[label] = { solutions: r.solutions, from: label, ...(r.release ? { release: r.release } : {}) };
          });
          const view = withholdView(policies, labels, now);
          const forbidden = exerciseLabels.flatMap((label) => {
            const r = view.rules.get(label);
            if (!r) return [];
            const e = exercises.get(label)!;
            return [...e.solution, ...(r.solutions === "hidden" ? e.hint : [])].map((fragment) => ({ label, fragment }));
          });
          // What students may read stays: every solution of an exercise the policy does not withhold now.
          const allowed = exerciseLabels.filter((l) => !view.rules.has(l)).flatMap((label) => exercises.get(label)!.solution.map((fragment) => ({ label, fragment })));

          const shownItems = items.map((i) => ({ ...i, text: view.text(i.text, i.kind === "exercise" ? i.label : undefined) }));
          const results: SearchResult[] = passages.map((p) => ({
            id: p.id, course: p.course, section: p.section, label: p.heading, title: "", headingPath: p.headingPath.join(" › "),
            text: view.text(p.text), refs: p.refs, file: p.file, line: p.line, endLine: p.endLine, score: 1,
          }) as unknown as SearchResult);
          const system = buildSystemPrompt({ courseTitle: "c", hint, passages: results, outOfScope: false });
          const rows = shownItems.map((i) => ({ label: i.label, kind: i.kind, title: i.title, text: i.text, section: i.section }) as unknown as ItemRow);
          const texts = [
            ...shownItems.map((i) => i.text),
            system,
            buildCopyPrompt({ system, history: [], question: "Solve Exercise 1.2" }),
            ...exerciseLabels.map((l) => buildNoLlmAnswer({ results, outOfScope: false, hint, question: `How do I do ${l}?`, items: rows })),
          ];
          for (const t of texts) expect(leaks(t, forbidden)).toEqual([]);
          const all = [...shownItems.map((i) => i.text), ...results.map((r) => r.text)].join("\n");
          for (const a of allowed) expect(all.replace(/\s+/g, " ")).toContain(a.fragment);
        },
      ),
      { numRuns: 200 },
    );
  });
});
