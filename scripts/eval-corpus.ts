import { env } from "../lib/env";
import { buildBookCorpus, findGitDir, LATEX_BOOKS, listBooks, RETRIEVAL_BOOKS } from "../lib/eval/books";
import { parseCli } from "./lib/cli";

const USAGE = `Usage: npm run eval:corpus -- <name…|--all> [--latex] [--git-dir dir] [--mirror dir]

Extracts each evaluation book (tests/eval/books/<name>/source.json: repo, commit, paths) from a local git
directory into the git-ignored tests/eval/.corpus/<name>/, with its course.json. The git directory is
--git-dir (one book), else <mirror>/<owner>+<name>/repo (--mirror, default TUTOR_BOOKS_MIRROR).
--latex: the LaTeX numbering books instead (tests/eval/latex-books/ → tests/eval/.corpus/latex/; npm run eval:latex).`;

const { values, positionals } = parseCli(USAGE, {
  all: { type: "boolean" },
  "git-dir": { type: "string" },
  mirror: { type: "string" },
  latex: { type: "boolean" },
});
const set = values.latex ? LATEX_BOOKS : RETRIEVAL_BOOKS;
const books = listBooks(process.cwd(), set);
const chosen = values.all ? books : books.filter((b) => positionals.includes(b.name));
const unknown = positionals.filter((p) => !books.some((b) => b.name === p));
if ((!values.all && !positionals.length) || unknown.length || (values["git-dir"] && chosen.length !== 1)) {
  process.stderr.write(`${unknown.length ? `unknown book: ${unknown.join(", ")} (have: ${books.map((b) => b.name).join(", ") || "none"})\n\n` : ""}${USAGE}\n`);
  process.exit(2);
}
let failed = 0;
for (const book of chosen) {
  const gitDir = values["git-dir"] ?? findGitDir(book, values.mirror ?? env.TUTOR_BOOKS_MIRROR);
  if (!gitDir) {
    process.stderr.write(`${book.name}: no git directory for ${book.repo} under ${values.mirror ?? env.TUTOR_BOOKS_MIRROR} — clone it (git clone https://github.com/${book.repo}) and pass --git-dir\n`);
    failed++;
    continue;
  }
  try {
    const { dir, files } = buildBookCorpus(book, gitDir, process.cwd(), set);
    process.stdout.write(`${book.name}${book.sealed ? " (sealed)" : ""}: ${files} files → ${dir}\n`);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
