/**
 * PDF layouts of real books, compiled here by the real pdflatex: an exercise list printed with full numbers
 * ("1.3 Title.") under "Exercises" / "Chapter exercises" that runs on across sections and past a figure with
 * large text inside it (OpenIntro Statistics), and the SyncTeX page truth `npm run eval:pdf` scores against.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { parsePdf } from "@/lib/course/pdf";
import { foundInPdf, scorePdf, synctexLinePages, truthPages } from "@/lib/eval/pdf-eval";
import type { TruthRow } from "@/lib/eval/latex-eval";
import { popplerPages } from "../support/pdf-fixtures";
import { tempDir } from "./helpers";

const tmp = tempDir("pdf-layouts-");
afterAll(() => tmp.cleanup());

function compile(name: string, tex: string): { dir: string; pdf: string } {
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "main.tex"), tex);
  for (let i = 0; i < 2; i++) execFileSync("pdflatex", ["-synctex=1", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "main.tex"], { cwd: dir, stdio: "pipe", timeout: 120_000 });
  return { dir, pdf: path.join(dir, "main.pdf") };
}

const filler = (n: number, words: string) => Array.from({ length: n }, (_, i) => `${words} sentence ${i + 1} of the paragraph goes on for a while to fill the line.`).join(" ");

describe("exercises printed with their full number", () => {
  it("are Exercise 1.1 … 1.5 under 'Exercises' and 'Chapter exercises', across sections and past a figure's large words", async () => {
    const ex = (n: string, title: string) => `\\par\\medskip\\noindent\\textbf{${n}} \\textbf{${title}.} ${filler(3, title)}\n`;
    const tex = `\\documentclass{article}
\\begin{document}
\\section{Data basics}
${filler(6, "Body")}
\\subsection*{Exercises}
${ex("1.1", "Migraine and acupuncture")}
\\par\\medskip\\noindent\\hspace*{6cm}{\\Large Height}\\par\\noindent\\hspace*{5cm}150\\quad 160\\quad 170\\par
${ex("1.2", "Sinusitis and antibiotics")}
\\newpage
\\section{Sampling principles}
${filler(5, "More")}
\\subsection*{Exercises}
${ex("1.3", "Air pollution")}
${ex("1.4", "Buteyko method")}
\\section*{Chapter exercises}
${ex("1.5", "Pet names")}
\\end{document}
`;
    const { pdf } = compile("eoce", tex);
    const parsed = await parsePdf("main.pdf", new Uint8Array(readFileSync(pdf)));
    const found = foundInPdf(parsed.chapters).filter((f) => f.kind === "exercise");
    expect(found.map((f) => f.label)).toEqual(["Exercise 1.1", "Exercise 1.2", "Exercise 1.3", "Exercise 1.4", "Exercise 1.5"]);
    // Each on the page poppler prints it on.
    const pages = popplerPages(pdf);
    for (const f of found) {
      const n = f.label.split(" ")[1];
      expect(pages.findIndex((p) => new RegExp(`^${n.replace(".", "\\.")} `, "m").test(p)) + 1, f.label).toBe(f.page);
    }
  }, 120_000);
});

describe("a two-column paper", () => {
  it("reads each column in turn: every theorem and example of both columns, as printed, on its page, the text not mixed across the gutter", async () => {
    let body = "";
    for (let sec = 1; sec <= 4; sec++) {
      body += `\\section{Topic ${sec}}\n${filler(4, `Intro${sec}`)}\n\n`;
      for (let t = 1; t <= 4; t++) {
        body += `\\begin{theorem}\n${filler(1 + ((sec + t) % 3), `Thm${sec}x${t}`)}\n\\end{theorem}\n\n${filler(2 + (t % 4), `After${sec}x${t}`)}\n\n`;
        body += `\\begin{example}\n${filler(1, `Ex${sec}x${t}`)}\n\\end{example}\n\n`;
      }
    }
    const tex = `\\documentclass[twocolumn]{article}\n\\usepackage{amsthm}\n\\newtheorem{theorem}{Theorem}[section]\n\\newtheorem{example}[theorem]{Example}\n\\title{Two columns}\\author{Ann Author}\n\\begin{document}\\maketitle\n${body}\\end{document}\n`;
    const { pdf } = compile("twocolumn", tex);
    const parsed = await parsePdf("main.pdf", new Uint8Array(readFileSync(pdf)));
    const found = foundInPdf(parsed.chapters);
    const expected = [1, 2, 3, 4].flatMap((sec) => [`Section ${sec}`, ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `${n % 2 ? "Theorem" : "Example"} ${sec}.${n}`)]);
    expect(found.map((f) => f.label)).toEqual(expected);
    const pages = popplerPages(pdf);
    expect(pages.length - 1).toBeGreaterThan(1);
    for (const f of found.filter((x) => x.kind !== "section")) {
      // Anywhere on the page: poppler does not always start a line at the head (the fixture has no cross-references).
      expect(pages.findIndex((p) => new RegExp(`\\b${f.label.replace(".", "\\.")}\\.`).test(p)) + 1, f.label).toBe(f.page);
    }
    // Each theorem's text is its own: no words of the other column inside it.
    const blocks = parsed.chapters.flatMap((c) => [c, ...c.children]).flatMap((n) => n.blocks);
    for (const b of blocks.filter((x) => x.kind === "theorem")) {
      const tag = /Thm\d+x\d+/.exec(b.text)?.[0];
      expect(tag, b.label).toBeDefined();
      expect(b.text.replace(new RegExp(`${tag}|After\\d+x\\d+`, "g"), "").match(/(Thm|Ex|Intro)\d+x?\d*/g), b.label).toBeNull();
    }
  }, 120_000);
});

describe("the SyncTeX page truth of eval:pdf", () => {
  it("puts each lemma on the page poppler prints its head on, page breaks before heads included", async () => {
    // Lemmas after paragraphs of varying length: some heads land at the top of a page, after the break.
    const body = Array.from({ length: 24 }, (_, i) => `${filler(2 + (i % 5), `Para${i}`)}\n\n\\begin{lemma}\n${filler(1 + (i % 3), `Lemma${i}`)}\n\\end{lemma}\n`).join("\n");
    const tex = `\\documentclass{article}\n\\usepackage{amsthm}\n\\newtheorem{lemma}{Lemma}\n\\begin{document}\n${body}\\end{document}\n`;
    const { dir, pdf } = compile("synctex", tex);
    const rows: TruthRow[] = [];
    tex.split("\n").forEach((line, i) => {
      if (line.startsWith("\\begin{lemma}")) {
        const n = String(rows.length + 1);
        rows.push({ label: `Lemma ${n}`, kind: "lemma", name: "Lemma", number: n, file: "main.tex", line: i + 1, opener: "\\begin{lemma}" });
      }
    });
    const got = truthPages(rows, synctexLinePages(gunzipSync(readFileSync(path.join(dir, "main.synctex.gz"))).toString("utf8"), dir));
    const pages = popplerPages(pdf);
    const printed = rows.map((r) => pages.findIndex((p) => new RegExp(`^Lemma ${r.number}\\.`, "m").test(p)) + 1);
    expect(printed.every((p) => p > 0)).toBe(true);
    expect(new Set(printed).size).toBeGreaterThan(3);
    expect(got).toEqual(printed);
    // And the score pairs the PDF ingest's lemmas with them.
    const parsed = await parsePdf("main.pdf", new Uint8Array(readFileSync(pdf)));
    const score = scorePdf(rows, got, foundInPdf(parsed.chapters));
    expect(score.items).toEqual({ truth: 24, paged: 24, rightNumber: 24, rightPage: 24 });
  }, 120_000);
});
