/**
 * LaTeX parser tests. The numbering ground truth comes from real pdflatex runs: the .aux files in
 * tests/fixtures/latex-truth/ were produced by `bash scripts/latex-truth.sh` (Debian texlive-latex-base,
 * -recommended and -extra; pdflatex run twice) from content/demo-course/tex/notes.tex and from the
 * compilable fixtures in tests/fixtures/latex/{numbering,lists,article,inputs}. CI has no TeX: these
 * tests only read the committed .aux copies.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseLatex, parseLatexDetailed, type LatexParseResult } from "@/lib/course/latex";
import type { Block, ParsedFile, SectionNode } from "@/lib/course/types";

const REPO = path.resolve(__dirname, "../../../..");
const DEMO_ROOT = path.join(REPO, "content/demo-course");
const FIXTURES = path.join(REPO, "tests/fixtures/latex");
const TRUTH = path.join(REPO, "tests/fixtures/latex-truth");

function fsReader(root: string) {
  return (rel: string): string | null => {
    try {
      return readFileSync(path.join(root, rel), "utf8");
    } catch {
      return null;
    }
  };
}

function parseDir(root: string, file: string): LatexParseResult {
  return parseLatexDetailed({ root, file, readText: fsReader(root) });
}

function parseMem(files: Record<string, string>, entry = "main.tex"): LatexParseResult {
  return parseLatexDetailed({ root: "/mem", file: entry, readText: (rel) => files[rel] ?? null });
}

/** `\newlabel{key}{{number}{page}…}` → key → number (outer braces stripped; cleveref's `@cref` entries skipped). */
function readAux(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\\newlabel\{([^}]+)\}\{/.exec(line);
    if (!m || m[1].endsWith("@cref")) continue;
    out.set(m[1], stripBraces(firstGroup(line.slice(m[0].length))));
  }
  return out;
}

/** cleveref's `\newlabel{key@cref}{{[type][…][…]number}…}` → key → type. */
function readCrefTypes(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\\newlabel\{([^}]+)@cref\}\{\{\[([^\]]*)\]/.exec(line);
    if (m) out.set(m[1], m[2]);
  }
  return out;
}

function firstGroup(s: string): string {
  let depth = 0;
  for (let k = 0; k < s.length; k++) {
    if (s[k] === "{") depth++;
    else if (s[k] === "}" && --depth === 0) return s.slice(1, k);
  }
  return "";
}

function stripBraces(s: string): string {
  while (s.startsWith("{") && s.endsWith("}") && firstGroup(s) === s.slice(1, -1)) s = s.slice(1, -1);
  return s;
}

function nodes(chapters: SectionNode[]): SectionNode[] {
  const out: SectionNode[] = [];
  const visit = (n: SectionNode) => {
    out.push(n);
    n.children.forEach(visit);
  };
  chapters.forEach(visit);
  return out;
}

function blocks(chapters: SectionNode[]): Block[] {
  return nodes(chapters).flatMap((n) => n.blocks);
}

function byLabel(res: ParsedFile, key: string): Block | SectionNode {
  const hit = [...nodes(res.chapters), ...blocks(res.chapters)].find((x) => x.latexLabels?.includes(key));
  if (!hit) throw new Error(`no block or heading carries \\label{${key}}`);
  return hit;
}

function expectLabelsMatchAux(res: LatexParseResult, auxFiles: string[]): Map<string, string> {
  const truth = new Map<string, string>();
  for (const f of auxFiles) for (const [k, v] of readAux(path.join(TRUTH, f))) truth.set(k, v);
  expect(truth.size).toBeGreaterThan(0);
  const mismatches = [...truth].filter(([k, v]) => res.labels[k]?.number !== v).map(([k, v]) => `${k}: pdflatex ${v}, parser ${res.labels[k]?.number}`);
  expect(mismatches).toEqual([]);
  expect(Object.keys(res.labels).filter((k) => !truth.has(k))).toEqual([]);
  return truth;
}

/** A labelled block or heading must print the number its \label resolves to in the PDF. */
function expectBlocksMatchAux(res: LatexParseResult, truth: Map<string, string>): number {
  let checked = 0;
  const norm = (s: string) => s.replace(/[.:]$/, "");
  for (const x of [...nodes(res.chapters), ...blocks(res.chapters)]) {
    if (!x.number || !x.latexLabels) continue;
    for (const key of x.latexLabels) {
      expect.soft(norm(truth.get(key) ?? "(missing)"), `${key} on ${x.label}`).toBe(x.number);
      checked++;
    }
  }
  return checked;
}

describe("demo course, Chapters 3-4, against pdflatex", () => {
  const res = parseDir(DEMO_ROOT, "tex/notes.tex");
  const truth = new Map([...readAux(path.join(TRUTH, "notes.aux")), ...readAux(path.join(TRUTH, "derivatives.aux"))]);

  it("parses without diagnostics and reports every contributing file", () => {
    expect(res.diagnostics).toEqual([]);
    expect(res.files).toEqual(["tex/notes.tex", "tex/chapters/derivatives.tex", "tex/chapters/convexity.tex"]);
    expect(res.chapters.map((c) => [c.label, c.title])).toEqual([
      ["Chapter 3", "Derivatives, gradients and Hessians"],
      ["Chapter 4", "Convexity and Newton's method"],
    ]);
  });

  it("resolves every \\label to the number pdflatex wrote to the .aux files", () => {
    expectLabelsMatchAux(res, ["notes.aux", "derivatives.aux"]);
  });

  it("gives every labelled block and heading the printed number of its label", () => {
    expect(expectBlocksMatchAux(res, truth)).toBeGreaterThan(80);
  });

  it("labels every numbered item and heading, so the check above covers all of them", () => {
    const unlabelled = [...nodes(res.chapters), ...blocks(res.chapters)].filter((x) => x.number && !x.latexLabels?.length).map((x) => x.label);
    expect(unlabelled).toEqual([]);
  });

  it("names labels the way cleveref does (kind of each label)", () => {
    const types = new Map([...readCrefTypes(path.join(TRUTH, "notes.aux")), ...readCrefTypes(path.join(TRUTH, "derivatives.aux"))]);
    expect(types.size).toBe(truth.size);
    // Exercise-list items are enumerate items to cleveref; to us they are exercises.
    const expected = (t: string) => (t === "enumi" ? "exercise" : t);
    const wrong = [...types].filter(([k, t]) => res.labels[k]?.kind !== expected(t)).map(([k, t]) => `${k}: ${t} vs ${res.labels[k]?.kind}`);
    expect(wrong).toEqual([]);
  });

  it("has the promised content: sections, exercises, statements, proofs, code, parts, hints", () => {
    const all = blocks(res.chapters);
    const sections = nodes(res.chapters).filter((n) => n.kind === "section" && n.number);
    const exercises = all.filter((b) => b.kind === "exercise" && b.number);
    const statements = all.filter((b) => ["definition", "theorem", "lemma", "example", "proposition", "corollary"].includes(b.kind));
    expect(sections.length).toBeGreaterThanOrEqual(6);
    expect(exercises.length).toBeGreaterThanOrEqual(14);
    expect(statements.length).toBeGreaterThanOrEqual(8);
    expect(all.filter((b) => b.kind === "proof").length).toBeGreaterThanOrEqual(5);
    const code = all.filter((b) => b.kind === "code");
    expect(code.length).toBeGreaterThanOrEqual(3);
    expect(code.some((b) => b.text.includes("f.derivative(x)"))).toBe(true);
    expect(exercises.filter((b) => b.parts?.length).length).toBeGreaterThanOrEqual(5);
    expect(exercises.filter((b) => b.text.includes("\\begin{hint}")).length).toBeGreaterThanOrEqual(5);
    // Exercises from the enumerate lists sit between environment exercises with the shared counter.
    expect(exercises.map((b) => b.number)).toEqual([
      "3.6", "3.7", "3.14", "3.15", "3.16", "3.17", "3.27", "3.28", "3.39", "3.40", "3.41", "3.42",
      "4.4", "4.13", "4.14", "4.15", "4.18", "4.19", "4.21", "4.25", "4.26", "4.27",
    ]);
  });

  it("gives the printed text: no comments, labels or hidden solutions, references resolved, ~ a space", () => {
    const ex37 = byLabel(res, "ex:x-abs-x") as Block;
    expect(ex37.label).toBe("Exercise 3.7");
    expect(ex37.text).toContain("At $0$ use Definition 3.1\ndirectly.");
    expect(ex37.text).not.toContain("\\label");
    // The \ifsolutions branch is off in notes.tex, so the solution is not part of the notes.
    expect(blocks(res.chapters).some((b) => b.text.includes("Solution") || b.text.includes("\\begin{solution}"))).toBe(false);
    const rules = byLabel(res, "ex:rules") as Block;
    expect(rules.title).toBe("Practice with the rules");
    expect(rules.parts).toEqual(["a", "b", "c"]);
    expect(rules.text).toContain("apply the chain rule,\nTheorem 3.5.");
    expect(blocks(res.chapters).some((b) => b.text.includes("The next two exercises"))).toBe(false);
    // Math stays LaTeX; \cref prints the capitalised name (cleveref's capitalise option).
    const steepest = byLabel(res, "cor:steepest") as Block;
    expect(steepest.text).toContain("$D_uf(a)$ is largest for $u = \\nabla f(a)/\\norm{\\nabla f(a)}$");
    const chordPara = blocks(res.chapters).find((b) => b.text.includes("above the graph; see"));
    expect(chordPara?.text).toContain("see Fig. 4.1.");
    // A `%` inside a listing is Python, not a TeX comment.
    const newton = blocks(res.chapters).find((b) => b.kind === "code" && b.title === "Newton's method in Sage");
    expect(newton?.text).toContain('print("%d  %.15f  %.2e" % (k, xk, abs(xk - sqrt(RR(2)))))');
    expect(newton?.text.startsWith("# Sage: Newton's method")).toBe(true);
  });

  it("keeps display math inside paragraphs and items, never split", () => {
    const para = blocks(res.chapters).find((b) => b.latexLabels?.includes("eq:newton-system"));
    expect(para?.kind).toBe("paragraph");
    expect(para?.latexLabels).toEqual(["eq:newton-system", "eq:newton-update"]);
    expect(para?.text).toMatch(/Newton's method moves to the minimiser of \$q\$:\n\\begin\{align\}[\s\S]*\\end\{align\}\nThe step/);
    // Each numbered row carries the number the PDF prints beside it.
    expect(para?.text).toContain("&= -\\nabla f(x_k), \\tag{4.4.1}\\\\\nx_{k+1} &= x_k+d_k . \\tag{4.4.2}\n\\end{align}");
    const taylor = byLabel(res, "def:taylor") as Block;
    expect(taylor.text).toContain("\\begin{equation}\n\\begin{split}");
  });

  it("points every block at its own lines in the chapter file", () => {
    const files: Record<string, string[]> = {};
    const lines = (f: string) => (files[f] ??= readFileSync(path.join(DEMO_ROOT, f), "utf8").split("\n"));
    for (const x of [...nodes(res.chapters), ...blocks(res.chapters)]) {
      expect(x.source.file).toMatch(/^tex\/chapters\/(derivatives|convexity)\.tex$/);
      expect(x.source.line).toBeLessThanOrEqual(x.source.endLine);
      for (const key of x.latexLabels ?? []) {
        const at = lines(x.source.file).findIndex((l) => l.includes(`\\label{${key}}`)) + 1;
        expect(at, key).toBeGreaterThanOrEqual(x.source.line);
        expect(at, key).toBeLessThanOrEqual(Math.max(x.source.endLine, x.source.line + 1));
      }
      if ("number" in x && x.number && "kind" in x) {
        const first = lines(x.source.file)[x.source.line - 1];
        expect(first, x.label).toMatch(/\\begin\{|\\item|\\chapter|\\(sub)?section/);
      }
    }
    const thm = byLabel(res, "thm:taylor") as Block;
    expect(lines(thm.source.file)[thm.source.line - 1]).toContain("\\begin{theorem}[Taylor's theorem");
    expect(lines(thm.source.file)[thm.source.endLine - 1]).toContain("\\end{theorem}");
  });
});

describe("compilable fixtures against pdflatex", () => {
  it("numbering: [section] counters, shared counters, starred and unknown-name environments, appendix", () => {
    const res = parseDir(path.join(FIXTURES, "numbering"), "main.tex");
    const truth = expectLabelsMatchAux(res, ["numbering.aux"]);
    expectBlocksMatchAux(res, truth);
    expect(res.chapters.map((c) => [c.number, c.label])).toEqual([
      ["", "Preface"],
      ["5", "Chapter 5"],
      ["A", "Appendix A"],
      ["B", "Appendix B"],
    ]);
    expect(byLabel(res, "thm:zero")).toMatchObject({ kind: "theorem", number: "0.1.1" });
    expect(byLabel(res, "thm:main")).toMatchObject({ kind: "theorem", number: "5.1.1", label: "Theorem 5.1.1", title: "Main" });
    expect(byLabel(res, "lem:shared")).toMatchObject({ kind: "lemma", number: "5.1.2" });
    const remark = byLabel(res, "rem:none") as Block;
    expect(remark.kind).toBe("remark");
    expect(remark.number).toBeUndefined();
    expect(remark.label).toBeUndefined();
    // "Claim" is a kind of its own, cited by its printed name, on thm's counter.
    expect(byLabel(res, "cl:one")).toMatchObject({ kind: "Claim", number: "5.1.3", label: "Claim 5.1.3" });
    expect(byLabel(res, "thm:after-claim")).toMatchObject({ number: "5.1.4" });
    expect(res.diagnostics).toEqual([]);
    expect(byLabel(res, "ex:first")).toMatchObject({ kind: "exercise", number: "5.1", parts: ["a", "b"] });
    expect((byLabel(res, "ex:first") as Block).text).toContain("(b) two, see (5.1.1) and Theorem 5.1.1.");
    expect(byLabel(res, "def:global")).toMatchObject({ kind: "definition", number: "1" });
    expect(byLabel(res, "thm:jumped")).toMatchObject({ number: "5.1.7" });
    expect(byLabel(res, "pr:one")).toMatchObject({ kind: "exercise", number: "5.A", title: "Custom" });
    expect(byLabel(res, "thm:star-sec")).toMatchObject({ number: "5.2.2" });
    expect(byLabel(res, "thm:app")).toMatchObject({ number: "A.1.1" });
    expect(byLabel(res, "pr:app")).toMatchObject({ number: "B.A" });
    // Commented-out, \iffalse'd and comment-environment exercises do not exist.
    expect(blocks(res.chapters).filter((b) => /hidden|Hidden/.test(b.text))).toEqual([]);
    expect(res.labels["ex:hidden"]).toBeUndefined();
    expect(res.labels["ex:hidden2"]).toBeUndefined();
  });

  it("lists: enumerate exercise lists continue the shared counter; heading convention; parts", () => {
    const res = parseDir(path.join(FIXTURES, "lists"), "main.tex");
    const truth = expectLabelsMatchAux(res, ["lists.aux"]);
    expectBlocksMatchAux(res, truth);
    const ex = blocks(res.chapters).filter((b) => b.kind === "exercise");
    expect(ex.map((b) => b.number)).toEqual(["1.2", "1.3", "1.4", "1.5", "1.10", "1.11", "1", "2", "3"]);
    expect(ex[1].parts).toEqual(["a", "b"]);
    // Parts print with their labels, one paragraph each; the hint stays a box.
    expect(ex[1].text).toBe("Second, with parts\n\n(a) part one\n\n(b) part two\n\n\\begin{hint}\nUse Theorem 1.1.\n\\end{hint}");
    expect(ex[2].parts).toEqual(["a", "b"]);
    expect(ex[3].text).toBe("After the list: 1.3 was the previous list's second item.");
    expect(ex[0].source).toEqual({ file: "main.tex", line: 18, endLine: 18 });
    expect(ex[1].source).toEqual({ file: "main.tex", line: 19, endLine: 24 });
    const exercisesHeading = nodes(res.chapters).find((n) => n.title === "Exercises");
    expect(exercisesHeading).toMatchObject({ kind: "section", number: "", label: "Exercises" });
    expect(blocks(res.chapters).find((b) => b.latexLabels?.includes("it:plain"))?.kind).toBe("list");
  });

  it("article: sections are the top level and the appendix letters them", () => {
    const res = parseDir(path.join(FIXTURES, "article"), "main.tex");
    const truth = expectLabelsMatchAux(res, ["article.aux"]);
    expectBlocksMatchAux(res, truth);
    expect(res.chapters.map((c) => [c.kind, c.label])).toEqual([
      ["section", "Section 1"],
      ["section", "Section 2"],
      ["section", "Section A"],
    ]);
    expect(res.chapters[0].children[0]).toMatchObject({ kind: "subsection", label: "Subsection 1.1" });
  });

  it("inputs: \\input without .tex, \\include, nested \\input, \\import; lines are per file", () => {
    const res = parseDir(path.join(FIXTURES, "inputs"), "main.tex");
    expectLabelsMatchAux(res, ["inputs.aux"]);
    expect(res.files).toEqual(["main.tex", "chapters/one.tex", "chapters/one-extra.tex", "chapters/two.tex", "parts/three.tex", "parts/sub/four.tex"]);
    expect(byLabel(res, "thm:extra")).toMatchObject({ number: "1.2", source: { file: "chapters/one-extra.tex", line: 2, endLine: 4 } });
    expect(byLabel(res, "thm:one")).toMatchObject({ source: { file: "chapters/one.tex", line: 2, endLine: 2 } });
    expect((byLabel(res, "thm:one") as Block).text).toBe("In chapter one. See Theorem 3.1.");
    expect(byLabel(res, "thm:three")).toMatchObject({ number: "3.1", source: { file: "parts/sub/four.tex", line: 1 } });
    expect(res.diagnostics).toEqual([]);
  });
});

describe("bad input is reported, never thrown", () => {
  it("reports a missing \\input with file:line and parses the rest", () => {
    const res = parseDir(path.join(FIXTURES, "broken"), "missing.tex");
    expect(res.diagnostics).toEqual([
      expect.objectContaining({ severity: "warning", file: "missing.tex", line: 6, message: expect.stringContaining("chapters/does-not-exist") }),
      expect.objectContaining({ severity: "warning", file: "missing.tex", line: 8, message: expect.stringContaining("missing-two.tex") }),
    ]);
    expect(byLabel(res, "thm:after")).toMatchObject({ number: "1.1" });
    expect(byLabel(res, "thm:second")).toMatchObject({ number: "2.1" });
    expect(res.files).toEqual(["missing.tex"]);
  });

  it("reports an include cycle as an error at the \\input and does not follow it", () => {
    const res = parseDir(path.join(FIXTURES, "broken"), "cycle-main.tex");
    expect(res.diagnostics.map((d) => [d.severity, d.file, d.line])).toEqual([
      ["error", "cycle-main.tex", 5],
      ["error", "cycle-b.tex", 2],
    ]);
    expect(res.diagnostics[1].message).toContain("cycle-a.tex → cycle-b.tex → cycle-a.tex");
    expect(nodes(res.chapters).map((n) => n.label)).toEqual(["Chapter 1", "Section 1.1", "Chapter 2"]);
    expect(blocks(res.chapters).map((b) => b.text)).toEqual(["Text in A.", "Text in B after the cycle."]);
  });

  it("reports an unterminated environment at its \\begin line and keeps going", () => {
    const res = parseDir(path.join(FIXTURES, "broken"), "unterminated.tex");
    expect(res.diagnostics.map((d) => [d.severity, d.file, d.line])).toEqual([
      ["error", "unterminated.tex", 8],
      ...[12, 13, 14, 15, 16, 16].map((line) => ["warning", "unterminated.tex", line]),
    ]);
    expect(res.diagnostics.map((d) => d.message)).toEqual([
      "\\begin{exercise} is never ended",
      expect.stringContaining('label "thm:nowhere" is not defined'),
      expect.stringContaining('unknown environment "mystery"'),
      "\\end{proof} without a matching \\begin{proof}",
      expect.stringContaining('label "thm:ok" is defined twice (first at unterminated.tex:7)'),
      'unbalanced brace "}"',
      "unmatched $ (math not closed)",
    ]);
    expect(byLabel(res, "ex:open")).toMatchObject({ kind: "exercise", number: "1.2", text: "This exercise is never closed." });
    expect(byLabel(res, "thm:later")).toMatchObject({ number: "1.3", text: "See ?? and Exercise 1.2." });
  });

  it("reports a missing main file", () => {
    const res = parseMem({}, "nope.tex");
    expect(res.chapters).toEqual([]);
    expect(res.diagnostics).toEqual([expect.objectContaining({ severity: "error", file: "nope.tex", line: 1 })]);
  });
});

const PREAMBLE = String.raw`\documentclass{book}
\usepackage{amsmath,amsthm,enumitem}
\newtheorem{theorem}{Theorem}[chapter]
\newtheorem{exercise}[theorem]{Exercise}
\newtheorem*{remark}{Remark}
`;

describe("tricky inputs", () => {
  it("ignores % comments (even ones holding \\begin{exercise}) but not \\%", () => {
    const res = parseMem({
      "main.tex": `${PREAMBLE}\\begin{document}\n\\chapter{C}\n% \\begin{exercise} not real\n\\begin{exercise}\nGrow by 50\\% % a remark for me\nper year.\n%\\end{exercise}\n\\end{exercise}\n\\end{document}\n`,
    });
    const ex = blocks(res.chapters).filter((b) => b.kind === "exercise");
    expect(ex).toHaveLength(1);
    expect(ex[0]).toMatchObject({ number: "1.1", text: "Grow by 50%\nper year.", source: { file: "main.tex", line: 9, endLine: 13 } });
    expect(res.diagnostics).toEqual([]);
  });

  it("evaluates \\iffalse and \\newif conditionals, including \\else branches", () => {
    const body = String.raw`\newif\ifsolutions
\solutionstrue
\begin{document}
\chapter{C}
\iffalse
\begin{exercise} gone \end{exercise}
\else
\begin{exercise} kept from else \end{exercise}
\fi
\begin{exercise} Visible.
\ifsolutions Solution shown. \else Solution hidden. \fi
\end{exercise}
\end{document}
`;
    const res = parseMem({ "main.tex": PREAMBLE + body });
    expect(blocks(res.chapters).map((b) => [b.number, b.text])).toEqual([
      ["1.1", "kept from else"],
      ["1.2", "Visible.\nSolution shown."],
    ]);
  });

  it("follows \\subfile and reads only its document body", () => {
    const res = parseMem({
      "main.tex": `${PREAMBLE}\\usepackage{subfiles}\n\\begin{document}\n\\subfile{ch/one}\n\\end{document}\n`,
      "ch/one.tex": "\\documentclass[../main]{subfiles}\n\\begin{document}\n\\chapter{One}\n\\begin{theorem} T. \\end{theorem}\n\\end{document}\n",
    });
    expect(res.files).toEqual(["main.tex", "ch/one.tex"]);
    expect(blocks(res.chapters)).toEqual([expect.objectContaining({ kind: "theorem", number: "1.1", text: "T.", source: { file: "ch/one.tex", line: 4, endLine: 4 } })]);
  });

  it("continues numbering after \\setcounter and skips \\chapter* for numbering", () => {
    const res = parseMem({
      "main.tex": `${PREAMBLE}\\begin{document}\n\\chapter*{Preface}\n\\setcounter{chapter}{2}\n\\chapter{Three}\n\\begin{exercise} E \\end{exercise}\n\\appendix\n\\chapter{App}\n\\section{S}\n\\begin{theorem} T \\end{theorem}\n\\end{document}\n`,
    });
    expect(nodes(res.chapters).map((n) => [n.number, n.label])).toEqual([
      ["", "Preface"],
      ["3", "Chapter 3"],
      ["A", "Appendix A"],
      ["A.1", "Section A.1"],
    ]);
    expect(blocks(res.chapters).map((b) => b.label)).toEqual(["Exercise 3.1", "Theorem A.1"]);
  });

  it("reads declarations from a local .sty and applies \\counterwithin/out, \\numberwithin, \\renewcommand\\the…", () => {
    // Expected numbers are what pdflatex (TeX Live 2022) printed for this document.
    const res = parseMem({
      "mynotes.sty": String.raw`\ProvidesPackage{mynotes}
\RequirePackage{amsthm,chngcntr}
\newtheorem{exercise}{Exercise}
\counterwithin{exercise}{section}
\newtheorem{example}{Example}[chapter]
\counterwithout{example}{chapter}
\newtheorem{lemma}{Lemma}[section]
\counterwithin*{lemma}{chapter}
`,
      "main.tex": String.raw`\documentclass{report}
\usepackage{amsmath}
\usepackage{mynotes}
\numberwithin{equation}{section}
\renewcommand{\thesection}{\thechapter-\Roman{section}}
\begin{document}
\chapter{One}
\section{S}
\begin{exercise}\label{e1} x \end{exercise}
\begin{example}\label{x1} x \end{example}
\begin{lemma}\label{l1} x \end{lemma}
\begin{equation}\label{q1} a \end{equation}
\section{T}\label{s2}
\begin{exercise}\label{e2} x \end{exercise}
\chapter{Two}
\section{U}
\begin{example}\label{x2} x \end{example}
\begin{lemma}\label{l2} x \end{lemma}
\end{document}
`,
    });
    expect(Object.fromEntries(Object.entries(res.labels).map(([k, v]) => [k, v.number]))).toEqual({
      e1: "1-I.1", x1: "1", l1: "1-I.1", q1: "1-I.1", s2: "1-II", e2: "1-II.1", x2: "2", l2: "2-I.1",
    });
    expect(res.files).toEqual(["main.tex", "mynotes.sty"]);
    expect(res.diagnostics).toEqual([]);
  });

  it("turns \\ref, \\eqref and \\cref into what they print and warns about undefined labels", () => {
    const res = parseMem({
      "main.tex": `${PREAMBLE}\\usepackage{cleveref}\n\\begin{document}\n\\chapter{C}\\label{ch}\n\\begin{theorem}\\label{t}\n\\begin{equation}\\label{e} x \\end{equation}\n\\end{theorem}\nBy \\ref{t}, \\eqref{e}, \\cref{t}, \\Cref{e}, \\cref{ch} and \\ref{nope}.\n\\end{document}\n`,
    });
    const para = blocks(res.chapters).find((b) => b.kind === "paragraph");
    expect(para?.text).toBe("By 1.1, (1.1), theorem 1.1, Equation (1.1), chapter 1 and ??.");
    expect(res.diagnostics).toEqual([expect.objectContaining({ severity: "warning", line: 12, message: expect.stringContaining('"nope"') })]);
  });

  it("prints \\cref like cleveref, with and without the capitalise option", () => {
    // Expected strings are what pdflatex printed for the same \cref calls (TeX Live 2022, cleveref 0.21.4).
    const doc = (opt: string) => ({
      "main.tex": `${PREAMBLE}\\newtheorem{lemma}[theorem]{Lemma}\n\\usepackage[${opt}]{cleveref}\n\\begin{document}\n\\chapter{C}\\label{c}\n\\section{S}\\label{s}\n\\begin{theorem}\\label{t} x \\end{theorem}\n\\begin{lemma}\\label{l} x \\end{lemma}\n\\begin{equation}\\label{e} x \\end{equation}\n\\begin{figure}\\caption{cap}\\label{f}\\end{figure}\n\\begin{enumerate}\\item\\label{i} x \\end{enumerate}\n\nAAA \\cref{f} | \\Cref{f} | \\cref{e} | \\Cref{e} | \\cref{t} | \\cref{l} | \\cref{s} | \\cref{c} | \\cref{i} | \\cref{t,l}\n\\end{document}\n`,
    });
    const line = (r: LatexParseResult) => blocks(r.chapters).find((b) => b.text.startsWith("AAA"))?.text;
    expect(line(parseMem(doc("")))).toBe(
      "AAA fig. 1.1 | Figure 1.1 | eq. (1.1) | Equation (1.1) | theorem 1.1 | lemma 1.2 | section 1.1 | chapter 1 | item 1 | theorem 1.1 and lemma 1.2",
    );
    expect(line(parseMem(doc("capitalise")))).toBe(
      "AAA Fig. 1.1 | Figure 1.1 | Eq. (1.1) | Equation (1.1) | Theorem 1.1 | Lemma 1.2 | Section 1.1 | Chapter 1 | Item 1 | Theorem 1.1 and Lemma 1.2",
    );
  });

  it("makes code blocks from lstlisting, verbatim and minted, keeping indentation and %", () => {
    const res = parseMem({
      "main.tex": `${PREAMBLE}\\begin{document}\n\\chapter{C}\n\\begin{lstlisting}[language=Python]\ndef f(x):\n    return x % 2  # {\n\\end{lstlisting}\n\\begin{verbatim}\n  sage: 2^10\n\\end{verbatim}\n\\begin{minted}{python}\nprint("%s" % 1)\n\\end{minted}\n\\end{document}\n`,
    });
    expect(blocks(res.chapters).map((b) => [b.kind, b.text, b.source.line, b.source.endLine])).toEqual([
      ["code", "def f(x):\n    return x % 2  # {", 8, 11],
      ["code", "  sage: 2^10", 12, 14],
      ["code", 'print("%s" % 1)', 15, 17],
    ]);
  });

  it("keeps math verbatim (numbered rows get their printed \\tag), puts display math in its paragraph, and makes a lone display a math block", () => {
    const res = parseMem({
      "main.tex": `${PREAMBLE}\\begin{document}\n\\chapter{C}\nWe have $\\nabla^2 f(x)$ and\n\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}\nso done.\n\n\\[ e^{i\\pi} + 1 = 0 \\]\n\\end{document}\n`,
    });
    expect(blocks(res.chapters).map((b) => [b.kind, b.text])).toEqual([
      ["paragraph", "We have $\\nabla^2 f(x)$ and\n\\begin{align}\na &= b \\tag{1.1}\\\\\nc &= d \\tag{1.2}\n\\end{align}\nso done."],
      ["math", "\\[ e^{i\\pi} + 1 = 0 \\]"],
    ]);
  });

  it("reads parts from nested enumerates and from \\item[(a)]", () => {
    const res = parseMem({
      "main.tex": `${PREAMBLE}\\begin{document}\n\\chapter{C}\n\\begin{exercise}\n\\begin{enumerate}\n\\item[(a)] x\n\\item[(b)] y\n\\end{enumerate}\n\\end{exercise}\n\\begin{exercise}\n\\begin{enumerate}[label=(\\roman*)]\n\\item x\n\\item y\n\\item z\n\\end{enumerate}\n\\end{exercise}\n\\end{document}\n`,
    });
    expect(blocks(res.chapters).map((b) => b.parts)).toEqual([
      ["a", "b"],
      ["i", "ii", "iii"],
    ]);
  });

  it("treats an `exercises` container and an Exercises heading as exercise lists", () => {
    const res = parseMem({
      "main.tex": `${PREAMBLE}\\begin{document}\n\\chapter{C}\n\\begin{theorem} T \\end{theorem}\n\\section*{Exercises}\n\\begin{enumerate}[label=\\thechapter.\\arabic*]\n\\item First.\n\\item[7.9] Explicit.\n\\end{enumerate}\n\\end{document}\n`,
    });
    expect(blocks(res.chapters).map((b) => b.label)).toEqual(["Theorem 1.1", "Exercise 1.1", "Exercise 7.9"]);
  });

  it("warns once per unknown environment and keeps its text", () => {
    const res = parseMem({ "main.tex": `${PREAMBLE}\\begin{document}\n\\chapter{C}\n\\begin{foo} a \\end{foo}\n\\begin{foo} b \\end{foo}\n\\end{document}\n` });
    expect(res.diagnostics.map((d) => [d.line, d.message.slice(0, 25)])).toEqual([[8, 'unknown environment "foo"']]);
    expect(blocks(res.chapters)[0].text).toBe("a\n\nb");
  });

  it("parses a 2,000-line chapter quickly", () => {
    const chapter = readFileSync(path.join(DEMO_ROOT, "tex/chapters/derivatives.tex"), "utf8");
    // Four copies with distinct labels so nothing is reported as duplicate.
    const big = [0, 1, 2, 3].map((k) => chapter.replace(/\\(label|ref|eqref|cref)\{/g, `\\$1{c${k}-`)).join("\n");
    expect(big.split("\n").length).toBeGreaterThan(2000);
    const files = { "main.tex": readFileSync(path.join(DEMO_ROOT, "tex/notes.tex"), "utf8").replace(/\\include\{chapters\/derivatives\}/, "\\input{big}"), "big.tex": big };
    parseMem({ "main.tex": files["main.tex"], "big.tex": chapter }); // warm-up (JIT)
    // CPU time, not wall time: test files run in parallel and would otherwise measure each other.
    const c0 = process.cpuUsage();
    const res = parseMem(files);
    const cpu = process.cpuUsage(c0);
    const ms = (cpu.user + cpu.system) / 1000;
    // Only the references to Chapter 4, which is not part of this test document.
    expect(res.diagnostics.filter((d) => !d.message.includes("convexity"))).toEqual([]);
    expect(blocks(res.chapters).filter((b) => b.kind === "exercise").length).toBe(4 * 12);
    // About 600 ms of CPU on a slow shared 2-core VM (~200 ms on a laptop); the bound leaves headroom.
    expect(ms).toBeLessThan(2500);
  });
});

describe("never throws (property tests)", () => {
  const demoChapter = readFileSync(path.join(DEMO_ROOT, "tex/chapters/derivatives.tex"), "utf8");
  const wellFormed = (r: ParsedFile) => {
    expect(Array.isArray(r.chapters)).toBe(true);
    for (const d of r.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
    for (const b of blocks(r.chapters)) {
      expect(b.source.line).toBeGreaterThanOrEqual(1);
      expect(b.source.endLine).toBeGreaterThanOrEqual(b.source.line);
      expect(typeof b.text).toBe("string");
    }
  };

  it("survives arbitrary strings as the main file", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: "binary" }), (s) => {
        wellFormed(parseLatex({ root: "/mem", file: "main.tex", readText: (p) => (p === "main.tex" ? s : null) }));
      }),
      { numRuns: 150 },
    );
  });

  it("survives random sequences of LaTeX tokens, including includes of itself", () => {
    const token = fc.constantFrom(
      "\\begin{exercise}", "\\end{exercise}", "\\begin{theorem}[T]", "\\end{theorem}", "\\begin{enumerate}", "\\item", "\\item[(a)]",
      "\\end{enumerate}", "{", "}", "$", "$$", "\\[", "\\]", "%", "\\%", "\n", "\n\n", " x ", "\\chapter{C}", "\\section*{S}",
      "\\label{a}", "\\ref{a}", "\\eqref{b}", "\\input{main}", "\\input{other}", "\\iffalse", "\\fi", "\\else", "\\appendix",
      "\\setcounter{chapter}{", "\\newtheorem{x}{Y}[z]", "\\begin{lstlisting}", "\\end{lstlisting}", "\\begin{document}",
      "\\end{document}", "\\verb|", "\\begin{align}", "\\\\", "\\end{align}", "\\newenvironment{exercises}{\\begin{enumerate}}{",
      "\\begin{exercises}", "\\end{exercises}", "\\newif\\ifsol", "\\ifsol", "\\begin{comment}", "\\end{comment}",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 80 }), fc.array(token, { maxLength: 20 }), (main, other) => {
        const files: Record<string, string> = { "main.tex": PREAMBLE + main.join(""), "other.tex": other.join("") };
        wellFormed(parseLatex({ root: "/mem", file: "main.tex", readText: (p) => files[p] ?? null }));
      }),
      { numRuns: 150 },
    );
  });

  it("survives random mutations of a real chapter", () => {
    const lines = demoChapter.split("\n");
    const edit = fc.record({
      at: fc.nat({ max: demoChapter.length }),
      del: fc.nat({ max: 80 }),
      ins: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("{", "}", "\\begin{exercise}", "\\end{theorem}", "%", "$", "\\item", "\\fi")),
    });
    fc.assert(
      fc.property(fc.nat({ max: lines.length - 1 }), fc.integer({ min: 20, max: 160 }), fc.array(edit, { maxLength: 8 }), (from, len, edits) => {
        let s = lines.slice(from, from + len).join("\n");
        for (const e of edits) {
          const at = e.at % (s.length + 1);
          s = s.slice(0, at) + e.ins + s.slice(at + e.del);
        }
        const files: Record<string, string> = { "main.tex": `${PREAMBLE}\\begin{document}\n\\input{ch}\n\\end{document}\n`, "ch.tex": s };
        wellFormed(parseLatex({ root: "/mem", file: "main.tex", readText: (p) => files[p] ?? null }));
      }),
      { numRuns: 40 },
    );
  });
});

describe("parseLatex on pathological input", () => {
  it("reads a heading command and a theorem environment under another name, and expands commands that open and close one", () => {
    const r = parseMem({
      "main.tex": [
        "\\documentclass{book}\\usepackage{amsthm}",
        "\\newtheorem{theorem}{Theorem}[chapter]\\newtheorem{exercise}[theorem]{Exercise}",
        "\\newenvironment{ex}{\\begin{exercise}}{\\end{exercise}}",
        "\\newcommand{\\bex}{\\begin{exercise}}\\newcommand{\\eex}{\\end{exercise}}",
        "\\newcommand{\\chap}[1]{\\chapter{#1}}",
        "\\begin{document}",
        "\\chapter{One}",
        "\\begin{theorem}Alpha.\\end{theorem}",
        "\\begin{ex}Wrapped.\\end{ex}",
        "\\chap{Two}",
        "\\begin{exercise}Plain.\\end{exercise}",
        "\\bex Hidden.\\eex",
        "\\end{document}",
      ].join("\n"),
    });
    const labels = (n: SectionNode): string[] => [`${n.number} ${n.title}`, ...n.blocks.flatMap((b) => (b.label ? [`${b.label}: ${b.text}`] : [])), ...n.children.flatMap(labels)];
    expect(r.chapters.flatMap(labels)).toEqual(["1 One", "Theorem 1.1: Alpha.", "Exercise 1.2: Wrapped.", "2 Two", "Exercise 2.1: Plain.", "Exercise 2.2: Hidden."]);
    expect(r.diagnostics).toEqual([]);
  });

  it("follows plain TeX's \\input without braces, the name running to the next space or line end", () => {
    const chapter = (n: string) => `\\chapter{${n}}\n\\begin{exercise}Ex ${n}.\\end{exercise}\n`;
    const r = parseMem({
      "main.tex":
        "\\documentclass{book}\n\\usepackage{amsthm}\\newtheorem{exercise}{Exercise}[chapter]\n\\begin{document}\n\\input{ch/one}\n\\input ch/two\n\\input ch/three.tex\\relax\n\\end{document}\n",
      "ch/one.tex": chapter("One"),
      "ch/two.tex": chapter("Two"),
      "ch/three.tex": chapter("Three"),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.chapters.map((c) => `${c.number} ${c.title} ${c.blocks.map((b) => b.label).join(",")}`)).toEqual([
      "1 One Exercise 1.1",
      "2 Two Exercise 2.1",
      "3 Three Exercise 3.1",
    ]);
  });

  it("thousands of nested braces: an error at the line where the nesting goes too deep, no crash", () => {
    const r = parseMem({
      "main.tex": "\\documentclass{book}\n\\begin{document}\n\\input{ch}\n\\end{document}\n",
      "ch.tex": `\\chapter{Two}\nSome text.\n\n${"{".repeat(5000)}x${"}".repeat(5000)}\n`,
    });
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    expect(errors).toEqual([expect.objectContaining({ file: "ch.tex", line: 4, message: expect.stringMatching(/^braces nested more than 200 deep here: this part of the file \(lines \d+–\d+\) could not be parsed/) })]);
  });
});


describe("comment package", () => {
  it("drops environments \\excludecomment removes from the PDF, counters they set included (a local .sty may declare them)", () => {
    const r = parseMem({
      "main.tex": String.raw`\documentclass{book}
\usepackage{web}
\newtheorem{exercise}{Exercise}[chapter]
\begin{document}
\begin{htmlonly}
\setcounter{chapter}{-1}
\chapter{Only on the web}
\end{htmlonly}
\chapter{First}
\section{Variance}
\begin{exercise}Compute it.\end{exercise}
\end{document}`,
      "web.sty": String.raw`\RequirePackage{comment}
\excludecomment{htmlonly}`,
    });
    expect(r.chapters.map((c) => c.label)).toEqual(["Chapter 1"]);
    expect(r.chapters[0].children[0].label).toBe("Section 1.1");
    expect(r.chapters[0].children[0].blocks.find((b) => b.kind === "exercise")?.label).toBe("Exercise 1.1");
  });
});

describe("exercise lists declared by the course", () => {
  it("reads a \\newlist description list of exercises, '\\item[\\hyperlink{…}{1}.]' under a section's Exercises heading, as Exercise <section>.1", () => {
    const r = parseMem({
      "main.tex": String.raw`\documentclass{book}
\usepackage{enumitem,hyperref}
\newlist{exerciselist}{description}{4}
\begin{document}
\chapter{Logic}
\section{Statements}
Text.
\subsection[{Exercises}]{Exercises}
\begin{exerciselist}
\item[\hyperlink{a-1.1.1}{1}.]Classify each sentence.
\begin{enumerate}[label=(\alph*)]
\item One.
\item Two.
\end{enumerate}
\item[\hyperlink{a-1.1.2}{2}.]Suppose P and Q.
\end{exerciselist}
\section*{Exercises 2.4}
\begin{exerciselist}
\item[6.] Six.
\end{exerciselist}
\end{document}`,
    });
    const all = r.chapters.flatMap(function flat(n: SectionNode): Block[] {
      return [...n.blocks, ...n.children.flatMap(flat)];
    });
    const ex = all.filter((b) => b.kind === "exercise");
    expect(ex.map((b) => b.label)).toEqual(["Exercise 1.1.1", "Exercise 1.1.2", "Exercise 2.4.6"]);
    expect(ex[0].parts).toEqual(["a", "b"]);
  });
});

describe("\\IfFileExists", () => {
  it("takes the branch for what is in the folder, so a \\documentclass inside it counts (article: Section 1, Lemma 1.1)", () => {
    const files = {
      "main.tex": String.raw`\IfFileExists{house.cls}{\documentclass{house}}{\documentclass{amsart}}
\newtheorem{lemma}[subsection]{Lemma}
\begin{document}
\section{Introduction}
\begin{lemma}A lemma.\end{lemma}
\end{document}`,
    };
    const r = parseMem(files);
    expect(r.chapters[0].label).toBe("Section 1");
    expect(r.chapters[0].blocks.find((b) => b.kind === "lemma")?.label).toBe("Lemma 1.1");
    // With a local book class present, the book branch is taken.
    const book = parseMem({ ...files, "house.cls": "\\LoadClass{book}", "main.tex": files["main.tex"].replace("{\\documentclass{house}}", "{\\documentclass{book}}") });
    expect(book.chapters[0].label).not.toBe("Section 1");
  });
});

describe("thmtools \\declaretheorem", () => {
  it("declares theorem-like environments with name, sibling, numberwithin and numbered=no", () => {
    const r = parseMem({
      "main.tex": String.raw`\documentclass{book}
\usepackage{thmtools}
\declaretheorem[style=thmtheorem,name=Theorem,numberwithin=section]{theorem}
\declaretheorem[name=Lemma,sibling=theorem]{lemma}
\declaretheorem[name=Abuse of Notation,sibling=theorem]{abuse}
\declaretheorem[name=Remark,numbered=no]{remark}
\begin{document}
\chapter{One}
\section{First}
\begin{theorem}T.\end{theorem}
\begin{lemma}L.\end{lemma}
\begin{abuse}A.\end{abuse}
\begin{remark}R.\end{remark}
\end{document}`,
    });
    const blocks = r.chapters[0].children[0].blocks;
    expect(blocks.filter((b) => b.label).map((b) => b.label)).toEqual(["Theorem 1.1.1", "Lemma 1.1.2", "Abuse of Notation 1.1.3"]);
    expect(blocks.find((b) => b.kind === "remark")?.number).toBeUndefined();
  });
});
