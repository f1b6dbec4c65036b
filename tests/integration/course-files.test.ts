/**
 * Course folders as instructors write them: Markdown files whose `# Title` prints no number take their
 * chapter number from their place, and course.json mistakes are reported at line:column with a "did you mean".
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listItems } from "@/lib/course/items";
import { loadCourse } from "@/lib/course/load-course";
import { runCli, tempDir } from "./helpers";

const tmp = tempDir("course-files-");
afterAll(() => tmp.cleanup());
const folder = (name: string, files: Record<string, string>) => {
  const dir = path.join(tmp.dir, name);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
};
const md = (title: string) => `# ${title}\n\nIntro to ${title}.\n\n## First part\n\n**Definition.** A ${title} thing.\n\n:::exercise\nShow it for ${title}.\n:::\n`;

describe("Markdown chapters without printed numbers", () => {
  it("take their number from their place in course.json files, sections and items numbering within", () => {
    const names = ["Sets", "Functions", "Limits", "Series", "Integrals"];
    const files = Object.fromEntries(names.map((n, i) => [`${String.fromCharCode(101 - i)}-${n.toLowerCase()}.md`, md(n)]));
    const order = Object.keys(files);
    const dir = folder("five", { ...files, "course.json": JSON.stringify({ title: "Five", files: order }) });
    const doc = loadCourse({ path: dir });
    expect(doc.diagnostics).toEqual([]);
    const labels = listItems(doc).map((i) => `${i.label} ${i.title}`.trim());
    // course.json's order, not the names' (e- … a-).
    expect(labels.filter((l) => l.startsWith("Chapter"))).toEqual(names.map((n, i) => `Chapter ${i + 1} ${n}`));
    expect(labels).toContain("Section 4.1 First part");
    expect(labels).toContain("Exercise 5.2");
    expect(listItems(doc).find((i) => i.label === "Exercise 3.2")!.text).toBe("Show it for Limits.");
  });

  it("follow name order without course.json, and continue after a file that prints its numbers", () => {
    const dir = folder("mixed", {
      "01-intro.md": "# 1 Intro\n\n## 1.1 Start\n\n:::exercise\nOne.\n:::\n",
      "02-more.md": "# 2 More\n\nText.\n",
      "03-last.md": md("Last"),
    });
    const doc = loadCourse({ path: dir });
    expect(listItems(doc).filter((i) => i.kind === "chapter").map((i) => i.label)).toEqual(["Chapter 1", "Chapter 2", "Chapter 3"]);
    expect(doc.diagnostics).toEqual([]);
  });

  it("printed and unprinted numbers mixed in one file: warned once", () => {
    const dir = folder("mixed-in-file", { "notes.md": "# 4 Four\n\n## Part\n\n## Other part\n\n# Five\n\ntext\n" });
    const doc = loadCourse({ path: dir });
    expect(listItems(doc).filter((i) => i.kind === "chapter").map((i) => i.label)).toEqual(["Chapter 4", "Chapter 5"]);
    const mixed = doc.diagnostics.filter((d) => /mixed/.test(d.message));
    expect(mixed).toHaveLength(1);
    expect(mixed[0]).toMatchObject({ file: "notes.md", line: 7 });
  });
});

describe("course.json mistakes", () => {
  it("an unknown key is reported at its line:column with the key it resembles", () => {
    const dir = folder("typo", { "course.json": '{\n  "id": "typo",\n    "tittle": "Typo"\n}\n', "a.md": md("A") });
    const doc = loadCourse({ path: dir });
    const e = doc.diagnostics.find((d) => d.file === "course.json")!;
    expect(e).toMatchObject({ severity: "error", line: 3, column: 5 });
    expect(e.message).toMatch(/^unknown key "tittle" — did you mean "title"\?/);
  });

  it("a key nothing resembles gets no guess; a wrong value is at the value", () => {
    const dir = folder("wrong", { "course.json": '{ "colour": "red",\n  "files": [] }', "a.md": md("A") });
    const messages = loadCourse({ path: dir }).diagnostics.filter((d) => d.file === "course.json").map((d) => `${d.line}:${d.column} ${d.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^1:3 unknown key "colour" \(course\.json knows id, title/));
    expect(messages).toContainEqual(expect.stringMatching(/^2:12 files: /));
  });

  it("the ingest prints file:line:column", () => {
    const dir = folder("cli", { "course.json": '{\n  "title": "T",\n  "id": "cli" "x"\n}\n', "a.md": md("A") });
    const r = runCli("ingest", [dir, "--db", path.join(tmp.dir, "db-cli")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/course\.json:3:15: error: not valid JSON \(a comma expected here\)/);
  }, 120_000);
});

describe("a folder as an instructor keeps it", () => {
  it("reads the notes and says what it skipped and why: transcripts, exams, slides, READMEs, build output", () => {
    const dir = folder("repo", {
      "README.md": "# My course\n\nHow to build.\n",
      "notes/01-sets.md": md("Sets"),
      "notes/02-maps.md": md("Maps"),
      "videos/lecture-01.txt": "So today we talk about sets. Chapter one is where we start, and then...\n",
      "exams/2023.md": "# Exam 2023\n\n## Problem 1\n\n:::exercise\nProve it.\n:::\n",
      "tex/book.tex": "\\documentclass{book}\n\\begin{document}\n\\chapter{Tex}\n\\end{document}\n",
      "tex/slides.tex": "\\documentclass[11pt]{beamer}\n\\begin{document}\n\\section{S}\n\\end{document}\n",
      "build/notes.md": md("Built copy"),
      "export.txt": "Chapter 3: Sums\n\nExercise 3.1: Add.\n/Exercise\n",
    });
    const doc = loadCourse({ path: dir });
    expect(doc.files.sort()).toEqual(["export.txt", "notes/01-sets.md", "notes/02-maps.md", "tex/book.tex"]);
    const why = Object.fromEntries((doc.skipped ?? []).map((s) => [s.file, s.reason]));
    expect(why["videos/lecture-01.txt"]).toMatch(/without the export's markers/);
    expect(why["exams/2023.md"]).toMatch(/an exam, test or solutions \(its title: "Exam 2023"\)/);
    expect(why["tex/slides.tex"]).toMatch(/slides/);
    expect(why["README.md"]).toMatch(/README/);
    expect(why["build/"]).toMatch(/build-output/);
    expect(doc.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
