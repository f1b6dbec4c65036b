import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { TutorError } from "../errors";
import { ingestCourse } from "../ingest/ingest-course";
import { CORPUS_DIR, corpusPath, listBooks, type BookSource } from "./books";

/**
 * The evaluation books a command works on: every book whose corpus is built, or the ones named (an unknown name
 * is an error naming the books there are; a named book not built is said on stderr and skipped).
 */
export function chooseBuiltBooks(names: string[], warn: (line: string) => void): BookSource[] {
  const all = listBooks();
  const unknown = names.filter((p) => !all.some((b) => b.name === p));
  if (unknown.length) throw new TutorError("bad-request", `unknown book: ${unknown.join(", ")} (have: ${all.map((b) => b.name).join(", ")})`);
  const chosen = all.filter((b) => !names.length || names.includes(b.name));
  const missing = chosen.filter((b) => !existsSync(join(corpusPath(b), "course.json")));
  for (const b of missing) warn(`${b.name}: corpus not built — npm run eval:corpus -- ${b.name}\n`);
  const books = chosen.filter((b) => !missing.includes(b));
  if (!books.length) throw new TutorError("bad-request", "no evaluation book is built (npm run eval:corpus -- --all)");
  return books;
}

/**
 * Ingests a book (changed passages only) into its own store `<dbRoot>/<name>` — one store per book: LanceDB's BM25
 * statistics span the whole table, so books sharing a store would change each other's scores. No embeddings.
 */
export async function ingestBookStore(book: BookSource, dbRoot = resolve(CORPUS_DIR, ".db")): Promise<{ db: string; course: string }> {
  const db = resolve(dbRoot, book.name);
  const summary = await ingestCourse({ tex: "none", path: corpusPath(book), db, embedder: null, modelStatus: { available: false, modelId: "", reason: "evaluation runs without passage embeddings" }, allowErrors: true });
  if (!summary.written && !summary.check) throw new TutorError("bad-request", `${book.name}: ingest wrote nothing (${summary.errors[0]?.message ?? "no errors reported"})`);
  return { db, course: summary.course };
}
