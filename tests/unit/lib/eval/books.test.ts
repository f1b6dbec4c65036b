import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildBookCorpus, findGitDir, listBooks, readBookSource } from "../../../../lib/eval/books";

const tmp = mkdtempSync(join(tmpdir(), "books-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function makeRepo(): { gitDir: string; commit: string } {
  const work = join(tmp, "mirror", "someone+book", "repo");
  mkdirSync(join(work, "src"), { recursive: true });
  writeFileSync(join(work, "src", "main.tex"), "\\documentclass{book}\\begin{document}\\chapter{One}\\end{document}\n");
  writeFileSync(join(work, "src", "unused.tex"), "not extracted\n");
  writeFileSync(join(work, "LICENSE"), "CC BY-SA\n");
  const git = (...a: string[]) => execFileSync("git", ["-C", work, "-c", "user.name=t", "-c", "user.email=t@t", ...a]).toString().trim();
  git("init", "-q");
  git("add", ".");
  git("commit", "-qm", "book");
  return { gitDir: join(work, ".git"), commit: git("rev-parse", "HEAD") };
}

function writeSource(root: string, data: object) {
  mkdirSync(join(root, "tests/eval/books/demo-book"), { recursive: true });
  writeFileSync(join(root, "tests/eval/books/demo-book/source.json"), JSON.stringify(data));
}

describe("evaluation books", () => {
  const { gitDir, commit } = makeRepo();
  const base = {
    name: "demo-book", title: "A book", authors: "Someone", subject: "calculus", repo: "someone/book", commit,
    licence: "CC-BY-SA-4.0", licenceFile: "LICENSE", paths: ["src/main.tex"], course: { id: "demo-book", main: "src/main.tex" },
  };

  it("extracts exactly the pinned paths at the pinned commit, with course.json", () => {
    const root = join(tmp, "project1");
    writeSource(root, base);
    const [book] = listBooks(root);
    expect(findGitDir(book, join(tmp, "mirror"))).toBe(gitDir);
    const { dir } = buildBookCorpus(book, gitDir, root);
    expect(readFileSync(join(dir, "src/main.tex"), "utf8")).toContain("\\chapter{One}");
    expect(existsSync(join(dir, "src/unused.tex"))).toBe(false);
    expect(existsSync(join(dir, "LICENSE"))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "course.json"), "utf8"))).toEqual({ id: "demo-book", main: "src/main.tex" });
  });

  it("extracts one folder of the repository as the book when source.json names a root (a repository of several editions)", () => {
    const root = join(tmp, "project-root");
    writeSource(root, { ...base, root: "src", licenceFile: undefined, paths: ["main.tex"], course: { id: "demo-book", main: "main.tex" } });
    const { dir } = buildBookCorpus(listBooks(root)[0], gitDir, root);
    expect(readFileSync(join(dir, "main.tex"), "utf8")).toContain("\\chapter{One}");
    expect(existsSync(join(dir, "src"))).toBe(false);
    expect(existsSync(join(dir, "unused.tex"))).toBe(false);
  });

  it("names the missing path or commit instead of building a partial corpus", () => {
    const root = join(tmp, "project2");
    writeSource(root, { ...base, paths: ["src/nope.tex"] });
    expect(() => buildBookCorpus(listBooks(root)[0], gitDir, root)).toThrow(/path in source.json is not in commit/);
    writeSource(root, { ...base, commit: "0".repeat(40) });
    expect(() => buildBookCorpus(listBooks(root)[0], gitDir, root)).toThrow(/is not in/);
  });

  it("rejects a source.json with a bad field, naming the file and the field", () => {
    const root = join(tmp, "project3");
    writeSource(root, { ...base, commit: "abc" });
    expect(() => readBookSource(join(root, "tests/eval/books/demo-book/source.json"))).toThrow(/source\.json: commit: 40 hex digits/);
  });
});
