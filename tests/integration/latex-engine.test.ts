/**
 * The real TeX engine as the truth for LaTeX numbering (lib/course/latex/engine): each fixture in
 * tests/fixtures/latex-engine/ is compiled by the real pdflatex (and one by lualatex) through `traceLatex`, and
 * the assertions are on the trace that run produced and on `numberedItemsFromTrace` of it. Expected numbers are
 * what the compiled PDF prints; expected lines are looked up in the fixture sources, never typed in.
 * TeX is required: CI installs it (scripts/test.sh), so a missing pdflatex is a failure that says so.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findTexEngine, numberedItemsFromTrace, traceLatex, type NumberedItem, type TexEngine, type TraceRecord, type TraceResult } from "@/lib/course/latex/engine";
import { parseEnv } from "@/lib/env";

const FIXTURES = path.resolve(__dirname, "../fixtures/latex-engine");

function requireEngine(command: string): TexEngine {
  let engine: TexEngine | null = null;
  try {
    engine = findTexEngine({ setting: command }).engine;
  } catch {
    engine = null;
  }
  if (!engine) {
    throw new Error(
      `${command} is missing: install TeX (Debian: apt-get install texlive-latex-base texlive-latex-recommended texlive-latex-extra; ` +
        "bash scripts/test.sh does it when run as root). These tests compile real LaTeX and are never skipped.",
    );
  }
  return engine;
}

/** 1-based line of the first line of `fixture/file` containing `needle`. */
function lineOf(fixture: string, file: string, needle: string, from = 1): number {
  const lines = readFileSync(path.join(FIXTURES, fixture, file), "utf8").split("\n");
  const at = lines.findIndex((l, i) => i + 1 >= from && l.includes(needle));
  if (at < 0) throw new Error(`fixture ${fixture}/${file} has no line with ${needle}`);
  return at + 1;
}

function byLabel(items: NumberedItem[], label: string): NumberedItem {
  const found = items.filter((i) => i.label === label);
  expect(found, `exactly one ${label} in ${items.map((i) => i.label).join(", ")}`).toHaveLength(1);
  return found[0];
}

/** Every file (relative) with its size and mtime, to prove the author's folder is left as it was. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else out.push(`${path.relative(dir, p)} ${s.size} ${s.mtimeMs}`);
    }
  };
  walk(dir);
  return out.sort();
}

const tempBuilds = () => readdirSync(tmpdir()).filter((n) => n.startsWith("tutor-tex-"));

let pdflatex: TexEngine;
const runs = new Map<string, TraceResult>();
const before = new Map<string, string[]>();
let buildsBefore: string[];

async function trace(fixture: string, main: string, timeoutMs = 60_000): Promise<TraceResult> {
  before.set(fixture, snapshot(path.join(FIXTURES, fixture)));
  const result = await traceLatex({ root: path.join(FIXTURES, fixture), main, timeoutMs, engine: pdflatex });
  runs.set(fixture, result);
  return result;
}

beforeAll(async () => {
  pdflatex = requireEngine("pdflatex");
  buildsBefore = tempBuilds();
  await trace("macro-boxes", "main.tex");
  await trace("theorems-hyperref", "book.tex");
  await trace("amsthm-subsection", "notes.tex");
  await trace("appendix-cleveref", "book.tex");
  await trace("page-steps", "notes.tex");
  await trace("missing-style", "notes.tex");
  await trace("no-end", "notes.tex");
  await trace("endless-loop", "notes.tex", 4_000);
}, 240_000);

describe("findTexEngine", () => {
  it("finds pdflatex and names its version; TUTOR_TEX=none turns TeX off; a TUTOR_TEX that does not run is an error", () => {
    expect(pdflatex.kind).toBe("pdflatex");
    expect(pdflatex.version).toMatch(/pdfTeX/);
    expect(findTexEngine({ setting: "none" })).toEqual({ engine: null, reason: "TUTOR_TEX=none" });
    expect(() => findTexEngine({ setting: "/nonexistent/bin/pdflatex" })).toThrow(/TUTOR_TEX=\/nonexistent\/bin\/pdflatex does not run/);
  });

  it("TUTOR_TEX is validated: a path of pdflatex or lualatex, or none", () => {
    expect(parseEnv({ TUTOR_TEX: "/usr/bin/lualatex" } as unknown as NodeJS.ProcessEnv).TUTOR_TEX).toBe("/usr/bin/lualatex");
    expect(parseEnv({ TUTOR_TEX: "none" } as unknown as NodeJS.ProcessEnv).TUTOR_TEX).toBe("none");
    expect(() => parseEnv({ TUTOR_TEX: "/usr/bin/xelatex" } as unknown as NodeJS.ProcessEnv)).toThrow(/TUTOR_TEX: must be the path of pdflatex or lualatex/);
  });
});

describe("traceLatex sandbox", () => {
  it("leaves the author's folders untouched and removes every temporary copy", () => {
    for (const [fixture, files] of before) expect(snapshot(path.join(FIXTURES, fixture)), fixture).toEqual(files);
    expect(tempBuilds().filter((n) => !buildsBefore.includes(n))).toEqual([]);
  });

  it("runs TeX once and reads every trace line; a second run for cross-references would change nothing in the trace", async () => {
    const once = runs.get("macro-boxes")!;
    expect(once.runs).toBe(1);
    expect(once.unreadLines).toBe(0);
    expect(once.engine.kind).toBe("pdflatex");
    const twice = await traceLatex({ root: path.join(FIXTURES, "macro-boxes"), main: "main.tex", engine: pdflatex, maxRuns: 2 });
    expect(twice.runs).toBe(2); // the first run asked for it: labels on a run without .aux
    const strip = (rs: TraceRecord[]) => rs.filter((r) => r.type !== "step" || r.counter !== "page");
    expect(strip(twice.records)).toEqual(strip(once.records));
  });
});

describe("macro boxes with book-wide counters, \\read exercise lists, chapters inside \\ifprintcover", () => {
  const F = "macro-boxes";
  let items: NumberedItem[];
  let records: TraceRecord[];
  beforeAll(() => {
    const r = runs.get(F)!;
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    records = r.records;
    items = numberedItemsFromTrace(records);
  });

  it("numbers \\definition boxes book-wide as printed, at the call, with their labels", () => {
    const defs = items.filter((i) => i.kind === "definition");
    expect(defs.map((d) => d.label)).toEqual(["Definition 1", "Definition 2", "Definition 3", "Definition 4"]);
    const d4 = byLabel(items, "Definition 4");
    expect(d4).toMatchObject({ via: "macro", macro: "definition", counter: "definitioncounter", file: "chapters/derivatives.tex", labels: ["def:derivative"] });
    expect(d4.line).toBe(lineOf(F, "chapters/derivatives.tex", "\\definition{Derivative}"));
    // the box's arguments run over two lines: it ends where TeX finished reading them
    expect(d4.endLine).toBe(d4.line + 1);
  });

  it("names each box by what it prints: Key Idea, Theorem, Example (a \\newenvironment box, \\end {example} with a space)", () => {
    expect(byLabel(items, "Key Idea 2")).toMatchObject({ kind: "key idea", name: "Key Idea", line: lineOf(F, "chapters/derivatives.tex", "\\keyidea{") });
    expect(byLabel(items, "Theorem 2")).toMatchObject({ kind: "theorem", via: "macro", labels: ["thm:diffcont"] });
    const ex2 = byLabel(items, "Example 2");
    expect(ex2).toMatchObject({ via: "environment", env: "example", file: "chapters/derivatives.tex" });
    expect([ex2.line, ex2.endLine]).toEqual([lineOf(F, "chapters/derivatives.tex", "\\begin{example}"), lineOf(F, "chapters/derivatives.tex", "\\end {example}")]);
  });

  it("a heading begins where its command does, though its title runs over two lines", () => {
    expect(byLabel(items, "Section 1.2")).toMatchObject({ title: "Epsilon and delta", file: "chapters/limits.tex", line: lineOf(F, "chapters/limits.tex", "\\section{Epsilon") });
  });

  it("follows the \\else branch of \\ifprintcover: two chapters, no cover", () => {
    const chapters = items.filter((i) => i.kind === "chapter");
    expect(chapters.map((c) => `${c.label} ${c.title}`)).toEqual(["Chapter 1 Limits", "Chapter 2 Derivatives"]);
    expect(records.some((r) => r.file === "cover.tex")).toBe(false);
  });

  it("reads exercises printed '6.' under 'Exercises 2.1' as Exercise 2.1.6, located in the file the \\read loop inputs", () => {
    const heading = records.find((r) => r.type === "heading" && r.starred);
    expect(heading).toMatchObject({ title: "Exercises 2.1", titleTex: "Exercises \\thesection " });
    const exercises = items.filter((i) => i.kind === "exercise");
    expect(exercises.map((e) => e.number)).toEqual(["2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5", "2.1.6", "2.1"]);
    const six = byLabel(items, "Exercise 2.1.6");
    const lastLine = readFileSync(path.join(FIXTURES, F, "ex/rates-6.tex"), "utf8").trimEnd().split("\n").length;
    expect(six).toMatchObject({ via: "list-item", heading: "Exercises 2.1", file: "ex/rates-6.tex", line: 1, endLine: lastLine, parts: ["a", "b"] });
    const printed = records.filter((r) => r.type === "item" && r.depth === 1).map((r) => (r as { label: string }).label);
    expect(printed.slice(0, 6)).toEqual(["1.", "2.", "3.", "4.", "5.", "6."]);
    for (let n = 1; n <= 5; n++) expect(byLabel(items, `Exercise 2.1.${n}`)).toMatchObject({ file: `ex/rates-${n}.tex`, line: 1, parts: [] });
  });

  it("a box that prints only its number is an exercise when its name says so; its parts are the lists in its arguments", () => {
    const e = byLabel(items, "Exercise 2.1");
    expect(e).toMatchObject({ via: "macro", macro: "eoce", counter: "eocecounter", file: "chapters/derivatives.tex", parts: ["a", "b"] });
    expect([e.line, e.endLine]).toEqual([lineOf(F, "chapters/derivatives.tex", "\\eoce{"), lineOf(F, "chapters/derivatives.tex", "\\end{enumerate}}")]);
    expect(records.some((r) => r.type === "item" && r.label === "Case 1:" && !r.auto)).toBe(true);
    expect(items.some((i) => i.number === "1" && i.name === "Case")).toBe(false);
  });

  it("records each box macro's definition and every call where it begins", () => {
    const def = records.find((r) => r.type === "macro" && r.name === "definition");
    expect(def).toMatchObject({ file: "bookstyle.sty", line: lineOf(F, "bookstyle.sty", "\\newcommand{\\definition}") + 1 });
    expect(records.filter((r) => r.type === "call" && r.name === "definition")).toHaveLength(4);
  });

  it("gives every \\label the printed number of the item it sits in", () => {
    const labels = records.filter((r): r is Extract<TraceRecord, { type: "label" }> => r.type === "label");
    for (const item of items) {
      for (const key of item.labels) expect(labels.find((l) => l.key === key)?.printed, key).toBe(item.number);
    }
    expect(labels.map((l) => l.key).sort()).toEqual(items.flatMap((i) => i.labels).sort());
  });
});

describe("amsthm with hyperref, \\Chapter wrappers, shared counters, \\newlist parts", () => {
  const F = "theorems-hyperref";
  let items: NumberedItem[];
  let records: TraceRecord[];
  beforeAll(() => {
    const r = runs.get(F)!;
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    records = r.records;
    items = numberedItemsFromTrace(records);
  });

  it("chapters started by a user macro are chapters, with their labels, and counters reset per chapter", () => {
    expect(items.filter((i) => i.kind === "chapter").map((c) => [c.label, c.title, c.labels])).toEqual([
      ["Chapter 1", "Groups", ["ch:groups"]],
      ["Chapter 2", "Rings", ["ch:rings"]],
    ]);
    expect(byLabel(items, "Lemma 2.1")).toMatchObject({ file: "chapters/rings.tex", labels: ["lem:zero"] });
    expect(byLabel(items, "Exercise 2.1")).toMatchObject({ file: "chapters/rings.tex", labels: ["ex:units"] });
  });

  it("each theorem step is recorded once although hyperref wraps \\refstepcounter", () => {
    const steps = records.filter((r) => r.type === "step" && r.counter === "theorem");
    expect(steps.map((s) => (s as { printed: string }).printed)).toEqual(["1.1", "1.2", "2.1"]);
  });

  it("a theorem begins at \\begin and ends at \\end {theorem} (with a space)", () => {
    const t = byLabel(items, "Theorem 1.1");
    expect(t).toMatchObject({ kind: "theorem", via: "environment", labels: ["thm:lagrange"] });
    expect([t.line, t.endLine]).toEqual([lineOf(F, "chapters/groups.tex", "\\begin{theorem}"), lineOf(F, "chapters/groups.tex", "\\end {theorem}")]);
    expect(byLabel(items, "Lemma 1.2").counter).toBe("theorem");
  });

  it("starred exercises share the exercise counter and are exercises, printed Exercise⋆", () => {
    expect(items.filter((i) => i.kind === "exercise").map((e) => `${e.label}:${e.name}`)).toEqual([
      "Exercise 1.1:Exercise",
      "Exercise 1.2:Exercise⋆",
      "Exercise 1.3:Exercise",
      "Exercise 2.1:Exercise",
    ]);
    expect(byLabel(items, "Exercise 1.2")).toMatchObject({ env: "starex", counter: "exercise", labels: ["ex:cauchy"] });
  });

  it("\\newlist parts are the exercise's parts, and their labels print Exercise 1.1(a)", () => {
    expect(byLabel(items, "Exercise 1.1")).toMatchObject({ parts: ["a", "b"], labels: ["ex:orders"] });
    const items1 = records.filter((r) => r.type === "item" && r.env === "subex");
    expect(items1.map((r) => (r as { label: string }).label)).toEqual(["(a)", "(b)"]);
    expect(records.find((r) => r.type === "label" && r.key === "ex:orders:a")).toMatchObject({ printed: "1.1(a)" });
  });

  it("titlesec headings are headings: numbered with their label, starred ones recorded as such", () => {
    expect(byLabel(items, "Section 1.1")).toMatchObject({ title: "Cosets", labels: ["sec:cosets"], line: lineOf(F, "chapters/groups.tex", "\\section{Cosets}") });
    expect(records.find((r) => r.type === "heading" && r.starred)).toMatchObject({ level: "section", title: "Exercises", file: "chapters/groups.tex" });
  });

  it("a heading title that refers to other items prints their title and number", () => {
    expect(byLabel(items, "Section 2.1")).toMatchObject({ title: "Back to Groups and Lemma 1.2", labels: ["sec:back"] });
  });

  it("equations are numbered items with their labels", () => {
    expect(byLabel(items, "Equation 2.1")).toMatchObject({ env: "equation", labels: ["eq:distributive"] });
  });
});

describe("theorems on the subsection counter with amsthm proofs (the Stacks Project's preamble)", () => {
  const F = "amsthm-subsection";
  let items: NumberedItem[];
  beforeAll(() => {
    items = numberedItemsFromTrace(runs.get(F)!.records);
  });

  it("a proof's label (\\@addpunct tests \\spacefactor) is traced without a TeX error", () => {
    const r = runs.get(F)!;
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    const proofItems = r.records.filter((x) => x.type === "item" && x.env === "proof");
    expect(proofItems.map((x) => (x as { label: string }).label)).toEqual(["Proof.", "Proof of something else.", "Proof."]);
  });

  it("theorems sharing a sectioning counter are items, numbered as printed; the subsection between them is a heading", () => {
    expect(items.filter((i) => i.via === "environment").map((i) => [i.label, i.line, i.labels])).toEqual([
      ["Definition 2.1", lineOf(F, "notes.tex", "\\begin{definition}"), ["definition-category"]],
      ["Lemma 2.2", lineOf(F, "notes.tex", "\\begin{lemma}"), ["lemma-identity"]],
      ["Remark 2.4", lineOf(F, "notes.tex", "\\begin{remark}"), ["remark-after-subsection"]],
      ["Equation 2.4.1", lineOf(F, "notes.tex", "\\begin{equation}"), ["equation-remark"]],
      ["Theorem 3.1", lineOf(F, "notes.tex", "\\begin{theorem}"), ["theorem-main"]],
    ]);
    expect(byLabel(items, "Subsection 2.3")).toMatchObject({ kind: "subsection", labels: ["subsection-own"] });
    expect(items.filter((i) => i.kind === "section").map((i) => i.label)).toEqual(["Section 1", "Section 2", "Section 3"]);
  });
});

describe("commands packages redefine after the preamble (amsmath, cleveref's \\appendix, titlesec), as in the HoTT book", () => {
  const F = "appendix-cleveref";
  let items: NumberedItem[];
  beforeAll(() => {
    const r = runs.get(F)!;
    expect(r.errors).toEqual([]);
    items = numberedItemsFromTrace(r.records);
  });

  it("every heading after \\appendix is numbered as printed, with its label, in the file that has it (after an \\include too)", () => {
    const at = (file: string, needle: string) => `${file}:${lineOf(F, file, needle)}`;
    expect(items.filter((i) => i.via === "heading").map((i) => [i.label, i.labels, `${i.file}:${i.line}`])).toEqual([
      ["Chapter 1", [], at("types.tex", "\\chapter{Types}")],
      ["Section 1.1", ["sec:functions"], at("types.tex", "\\section{Functions}")],
      ["Chapter A", ["cha:rules"], at("book.tex", "\\chapter{Formal rules}")],
      ["Section A.1", ["sec:contexts"], at("book.tex", "\\section{Contexts}")],
      ["Subsection A.1.1", ["sec:weakening"], at("book.tex", "\\subsection{Weakening}")],
      ["Section A.2", ["sec:judgments"], at("book.tex", "\\section{Judgments}")],
    ]);
  });

  it("each printed item once: align's measuring pass, eqnarray*'s taken-back step and a label-only macro number nothing", () => {
    expect(items.filter((i) => i.via !== "heading").map((i) => [i.label, i.labels])).toEqual([
      ["Theorem 1.1.1", ["thm:one"]],
      ["Equation 1.1.1", ["eq:compose"]],
      ["Equation 1.1.2", ["eq:unit"]],
      ["Equation 1.1.3", ["eq:after"]],
      ["Theorem A.1.1", ["thm:appendix"]],
    ]);
    expect(byLabel(items, "Equation 1.1.3")).toMatchObject({ file: "types.tex", line: lineOf(F, "types.tex", "\\begin{equation}") });
    expect(byLabel(items, "Theorem A.1.1")).toMatchObject({ file: "book.tex", line: lineOf(F, "book.tex", "\\begin{thm}") });
  });
});

describe("counters that number no printed item (zref-abspage's page counter at shipout, a figure file's counter)", () => {
  it("a page that breaks inside a center or an itemize, and a bare \\stepcounter that prints no name, add nothing", () => {
    const r = runs.get("page-steps")!;
    expect(r.errors).toEqual([]);
    // the run did step the page counter: the trace has pages, the items do not
    expect(r.pages).toBeGreaterThanOrEqual(3);
    expect(numberedItemsFromTrace(r.records).map((i) => [i.label, i.labels, i.line])).toEqual([
      ["Section 1", [], lineOf("page-steps", "notes.tex", "\\section{Pages}")],
      ["Theorem 1", ["thm:first"], lineOf("page-steps", "notes.tex", "\\begin{thm}")],
      ["Theorem 2", ["thm:second"], lineOf("page-steps", "notes.tex", "\\begin{thm}", 15)],
    ]);
  });

  it("the page each \\label is on, from the run's .aux (what \\pageref prints)", () => {
    const r = runs.get("page-steps")!;
    expect(r.labelPages.get("thm:first")).toBe("1");
    // two dozen paragraphs later, on the last page
    expect(r.labelPages.get("thm:second")).toBe(String(r.pages));
  });
});

describe("the demo course's LaTeX notes against the .aux of a real pdflatex run", () => {
  /** `\newlabel{key}{{printed}{page}…}` of the committed .aux files (tests/fixtures/latex-truth/). */
  function auxLabels(...files: string[]): Map<string, string> {
    const labels = new Map<string, string>();
    for (const file of files) {
      const text = readFileSync(path.resolve(__dirname, "../fixtures/latex-truth", file), "utf8");
      for (const m of text.matchAll(/\\newlabel\{([^}]+)\}\{\{/g)) {
        if (m[1].endsWith("@cref")) continue;
        let depth = 1;
        let at = m.index! + m[0].length;
        const start = at;
        for (; at < text.length && depth > 0; at++) depth += text[at] === "{" ? 1 : text[at] === "}" ? -1 : 0;
        labels.set(m[1], text.slice(start, at - 1).replace(/[{}]/g, ""));
      }
    }
    return labels;
  }

  it("every label the .aux has is on a numbered item printing the same number (exercise lists labelled 'Exercise 4.13.' too)", async () => {
    const r = await traceLatex({ root: path.resolve(__dirname, "../../content/demo-course/tex"), main: "notes.tex", engine: pdflatex });
    expect(r).toMatchObject({ ok: true, errors: [] });
    const items = numberedItemsFromTrace(r.records);
    const truth = auxLabels("notes.aux", "derivatives.aux");
    expect(truth.size).toBeGreaterThan(90);
    const traced = new Map(items.flatMap((i) => i.labels.map((k) => [k, i.number] as const)));
    expect(Object.fromEntries(traced)).toEqual(Object.fromEntries(truth));
    const which = items.find((i) => i.labels.includes("ex:which-convex"))!;
    expect(which).toMatchObject({ label: "Exercise 4.13", via: "list-item", parts: ["a", "b", "c", "d"] });
  });
});

describe("documents that go wrong", () => {
  it("a missing private .sty and a missing figure: TeX goes on, each error at the line that names the file", () => {
    const r = runs.get("missing-style")!;
    expect(r.ok).toBe(true);
    expect(r.errors[0]).toMatchObject({ file: "notes.tex", line: lineOf("missing-style", "notes.tex", "\\usepackage{mysecretstyle}") });
    expect(r.errors[0].message).toMatch(/mysecretstyle\.sty' not found/);
    expect(r.errors.find((e) => /missing-plot/.test(e.message))).toMatchObject({ file: "notes.tex", line: lineOf("missing-style", "notes.tex", "missing-plot") });
    expect(byLabel(numberedItemsFromTrace(r.records), "Theorem 1.1").labels).toEqual(["thm:only"]);
  });

  it("a document that does not compile: ok is false and the first error is at the unclosed brace", () => {
    const r = runs.get("no-end")!;
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatchObject({ file: "notes.tex", line: lineOf("no-end", "notes.tex", "\\textbf{never closed") });
    expect(r.errors[0].message).toMatch(/File ended while scanning use of \\textbf/);
  });

  it("an endless \\loop is stopped by the time limit (the whole process group is killed)", () => {
    const r = runs.get("endless-loop")!;
    expect(r.ok).toBe(false);
    expect(r.seconds).toBeGreaterThanOrEqual(4);
    // what TeX traced before the loop reached the disk (the trace is written in parts): the error points there
    expect(r.records.find((x) => x.type === "heading")).toMatchObject({ title: "One", line: lineOf("endless-loop", "notes.tex", "\\section{One}") });
    expect(r.errors[0]).toMatchObject({ file: "notes.tex", line: lineOf("endless-loop", "notes.tex", "\\section{One}") });
    // the limit is on TeX's CPU time (Linux), so a busy machine does not stop a long book early
    expect(r.errors[0].message).toMatch(/did not finish within 4 s of CPU time .*the last line it was traced reading/);
  });
});

describe("lualatex", () => {
  it("gives the same numbered items as pdflatex", async () => {
    const lualatex = requireEngine("lualatex");
    const r = await traceLatex({ root: path.join(FIXTURES, "macro-boxes"), main: "main.tex", engine: lualatex, timeoutMs: 120_000 });
    expect(r).toMatchObject({ ok: true, errors: [] });
    const summary = (items: NumberedItem[]) => items.map((i) => `${i.label} ${i.file}:${i.line}-${i.endLine} ${i.labels.join(",")} ${i.parts.join("")}`);
    expect(summary(numberedItemsFromTrace(r.records))).toEqual(summary(numberedItemsFromTrace(runs.get("macro-boxes")!.records)));
  }, 180_000);
});
