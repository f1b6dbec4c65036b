import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";

/**
 * Real books for the retrieval evaluation (tests/eval/books/<name>/). A book's own text never enters the
 * repository: `source.json` pins repository, commit, paths and licence, and `buildBookCorpus` extracts exactly
 * that from a local git directory (a clone or a mirror) into the git-ignored `tests/eval/.corpus/<name>/`.
 */
export const bookSourceSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and dashes"),
  title: z.string().min(1),
  authors: z.string().min(1),
  subject: z.string().min(1),
  repo: z.string().regex(/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/, "owner/name"),
  commit: z.string().regex(/^[0-9a-f]{40}$/, "40 hex digits"),
  licence: z.string().min(1),
  licenceFile: z.string().optional(),
  /** A folder of the repository that is the book (a repository holding several editions): extracted as the root, `paths` relative to it. */
  root: z.string().regex(/^[^/.][^:]*[^/]$/, "a folder path inside the repository, no leading or trailing slash").optional(),
  paths: z.array(z.string().min(1)).min(1),
  course: z.object({ id: z.string().min(1), title: z.string().optional() }).passthrough(),
  covers: z.string().optional(),
  sealed: z.boolean().default(false),
  /**
   * Files a build step writes before TeX runs (the HoTT book's Makefile writes version.tex), path → content;
   * written into the corpus after extraction.
   */
  generated: z.record(z.string(), z.string()).optional(),
  /** What compiling the book needs (Debian TeX packages, missing private files) and how its truth was made. */
  notes: z.string().optional(),
});
export type BookSource = z.infer<typeof bookSourceSchema>;

export const BOOKS_DIR = "tests/eval/books";
export const CORPUS_DIR = "tests/eval/.corpus";

/**
 * A collection of books: where their source.json folders are and where their text is extracted. The retrieval
 * books (issue 11) and the LaTeX numbering books (issue 12, tests/eval/latex-books/: truth.jsonl of printed numbers).
 */
export interface BookSet {
  booksDir: string;
  corpusDir: string;
}
export const RETRIEVAL_BOOKS: BookSet = { booksDir: BOOKS_DIR, corpusDir: CORPUS_DIR };
export const LATEX_BOOKS: BookSet = { booksDir: "tests/eval/latex-books", corpusDir: "tests/eval/.corpus/latex" };

/** Every book folder with a source.json, sorted by name (sealed books last, so they are reported apart). */
export function listBooks(root = process.cwd(), set: BookSet = RETRIEVAL_BOOKS): BookSource[] {
  const dir = join(root, set.booksDir);
  if (!existsSync(dir)) return [];
  const books = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "source.json")))
    .map((d) => readBookSource(join(dir, d.name, "source.json")));
  return books.sort((a, b) => Number(a.sealed) - Number(b.sealed) || a.name.localeCompare(b.name));
}

/** Reads and validates one source.json; a bad field is an error naming the file. */
export function readBookSource(file: string): BookSource {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const r = bookSourceSchema.safeParse(data);
  if (!r.success) throw new Error(`${file}: ${r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  return r.data;
}

/** The git directory of a book's repository under a mirror root (`<root>/<owner>+<name>/repo[/.git]`). */
export function findGitDir(book: BookSource, mirrorRoot: string): string | undefined {
  const base = join(mirrorRoot, book.repo.replace("/", "+"), "repo");
  for (const dir of [join(base, ".git"), base]) if (existsSync(join(dir, "HEAD"))) return dir;
  return undefined;
}

/** The corpus folder of a book (built or not). */
export function corpusPath(book: BookSource, root = process.cwd(), set: BookSet = RETRIEVAL_BOOKS): string {
  return resolve(root, set.corpusDir, book.name);
}

/**
 * Extracts the pinned paths at the pinned commit from `gitDir` into the corpus folder (replacing what was
 * there) and writes `course.json` from `course`. Throws with a reason when the commit or a path is missing.
 */
export function buildBookCorpus(book: BookSource, gitDir: string, root = process.cwd(), set: BookSet = RETRIEVAL_BOOKS): { dir: string; files: number } {
  const git = (...args: string[]) => execFileSync("git", ["--git-dir", gitDir, ...args], { maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
  try {
    git("cat-file", "-e", `${book.commit}^{commit}`);
  } catch {
    throw new Error(`${book.name}: commit ${book.commit} is not in ${gitDir}`);
  }
  const dir = corpusPath(book, root, set);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const paths = book.licenceFile ? [...book.paths, book.licenceFile] : book.paths;
  let tar: Buffer;
  try {
    tar = git("archive", "--format=tar", book.root ? `${book.commit}:${book.root}` : book.commit, "--", ...paths.map((p) => p.replace(/\/$/, "")));
  } catch (e) {
    throw new Error(`${book.name}: git archive failed — a path in source.json is not in commit ${book.commit.slice(0, 10)} (${String((e as { stderr?: Buffer }).stderr ?? "").trim()})`);
  }
  execFileSync("tar", ["-x", "-C", dir], { input: tar, maxBuffer: 1 << 26 });
  for (const [file, content] of Object.entries(book.generated ?? {})) {
    if (file.startsWith("/") || file.split("/").includes("..")) throw new Error(`${book.name}: generated file "${file}" is outside the book folder`);
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  writeFileSync(join(dir, "course.json"), `${JSON.stringify(book.course, null, 2)}\n`);
  const files = execFileSync("find", [dir, "-type", "f"]).toString().trim().split("\n").length;
  return { dir, files };
}
