import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { env } from "../lib/env";
import { BOOKS_DIR, CORPUS_DIR, corpusPath, listBooks } from "../lib/eval/books";
import { ingestCourse } from "../lib/ingest/ingest-course";
import { TutorError } from "../lib/errors";
import { parseEvalFile, runEvaluation, type EvalReport } from "../lib/retrieve/evaluate";
import { findPassages, type QueryEmbedder, type RetrievalMode } from "../lib/retrieve/search";
import { listCoursePassages, requireSnapshot, resolveCourse } from "../lib/store/read";
import { fail, parseCli } from "./lib/cli";

const USAGE = `Usage: npm run eval -- <questions.jsonl> [--course id] [--k 10] [--mode lexical|dense|hybrid] [--db dir] [--model-dir dir] [--json] [--misses]
       npm run eval -- --books [<name>…] [--mode …] [--json] [--misses]

Scores retrieval like the model card (accuracy@1/3/5/10, MRR@10, NDCG@10) overall and per kind, the
out-of-scope flag on off-topic questions, and labels the course lacks reported as absent. Without --mode,
runs all three modes. --json prints one line per mode (and book).

--books: every evaluation book whose corpus is built (npm run eval:corpus -- --all), or the ones named: each is
ingested (incrementally) into its own store ${CORPUS_DIR}/.db/<name> and scored on ${BOOKS_DIR}/<name>/questions.jsonl; then the
macro-average of the tuning books, and the sealed books apart. --misses is refused for sealed books.`;

const { values, positionals } = parseCli(USAGE, {
  course: { type: "string" },
  k: { type: "string" },
  mode: { type: "string" },
  db: { type: "string" },
  "model-dir": { type: "string" },
  json: { type: "boolean" },
  misses: { type: "boolean" },
  books: { type: "boolean" },
});
const modes = (values.mode ? [values.mode] : ["lexical", "dense", "hybrid"]) as RetrievalMode[];
const k = values.k ? Number(values.k) : 10;
if ((values.books ? false : positionals.length !== 1) || !modes.every((m) => ["lexical", "dense", "hybrid"].includes(m)) || !Number.isInteger(k) || k < 1 || k > 100) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

function readQuestions(file: string) {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new TutorError("bad-request", `cannot read ${file}`);
  }
  try {
    return parseEvalFile(text, file);
  } catch (e) {
    throw new TutorError("bad-request", (e as Error).message);
  }
}

async function loadModel(): Promise<QueryEmbedder | null | undefined> {
  if (!values["model-dir"]) return undefined;
  const { loadEmbedder } = await import("../lib/embed");
  return loadEmbedder({ dir: values["model-dir"] });
}

/** Every built book: ingest (changed passages only), score, then macro-averages (tuning and sealed apart). */
async function runBooks() {
  const all = listBooks();
  const unknown = positionals.filter((p) => !all.some((b) => b.name === p));
  if (unknown.length) throw new TutorError("bad-request", `unknown book: ${unknown.join(", ")} (have: ${all.map((b) => b.name).join(", ")})`);
  const chosen = all.filter((b) => !positionals.length || positionals.includes(b.name));
  const missing = chosen.filter((b) => !existsSync(join(corpusPath(b), "course.json")));
  for (const b of missing) process.stderr.write(`${b.name}: corpus not built — npm run eval:corpus -- ${b.name}\n`);
  const books = chosen.filter((b) => !missing.includes(b));
  if (!books.length) throw new TutorError("bad-request", "no evaluation book is built (npm run eval:corpus -- --all)");
  if (values.misses && books.some((b) => b.sealed)) throw new TutorError("bad-request", `--misses would show a sealed book's misses (${books.filter((b) => b.sealed).map((b) => b.name).join(", ")}); name the tuning books instead`);
  const embedder = await loadModel();
  const reports = new Map<string, EvalReport[]>();
  for (const book of books) {
    // One store per book: LanceDB's BM25 statistics span the whole table, so books sharing a store would
    // change each other's scores.
    const db = resolve(values.db ?? resolve(CORPUS_DIR, ".db"), book.name);
    const summary = await ingestCourse({ tex: "none", path: corpusPath(book), db, embedder: null, modelStatus: { available: false, modelId: "", reason: "evaluation runs without passage embeddings" }, allowErrors: true });
    if (!summary.written && !summary.check) throw new TutorError("bad-request", `${book.name}: ingest wrote nothing (${summary.errors[0]?.message ?? "no errors reported"})`);
    const questions = readQuestions(join(BOOKS_DIR, book.name, "questions.jsonl"));
    const snap = await requireSnapshot(db);
    const coursePassages = await listCoursePassages(snap, summary.course);
    for (const mode of modes) {
      const report = await runEvaluation({ questions, mode, coursePassages, search: (q) => findPassages({ question: q, course: summary.course, k, db, mode, embedder }) });
      if (!values.json) process.stdout.write(`\n=== ${book.name}${book.sealed ? " (SEALED)" : ""} — ${book.title}`);
      print(report, book.name);
      reports.set(book.name, [...(reports.get(book.name) ?? []), report]);
    }
  }
  for (const sealed of [false, true]) {
    const group = books.filter((b) => b.sealed === sealed);
    if (group.length < (sealed ? 1 : 2)) continue;
    modes.forEach((mode, i) => printMacro(group.map((b) => reports.get(b.name)![i]), `${sealed ? "sealed" : "tuning"} books (${group.map((b) => b.name).join(", ")})`, mode));
  }
}

/** Unweighted mean over books of the headline figures. */
function printMacro(rs: EvalReport[], name: string, mode: string) {
  const mean = (f: (r: EvalReport) => number) => Math.round((rs.reduce((s, r) => s + f(r), 0) / rs.length) * 1e3) / 1e3;
  const row = {
    macro: name,
    mode,
    "acc@1": mean((r) => r.overall["acc@1"]),
    "acc@5": mean((r) => r.overall["acc@5"]),
    "mrr@10": mean((r) => r.overall["mrr@10"]),
    "explicit-ref acc@1": mean((r) => r.by_kind["explicit-ref"]?.["acc@1"] ?? 0),
    "exercise-help acc@5": mean((r) => r.by_kind["exercise-help"]?.["acc@5"] ?? 0),
    "on-topic flagged": mean((r) => r.out_of_scope.flagged_on_topic),
    "on-topic doubted": mean((r) => r.out_of_scope.doubted_on_topic),
    "off-topic flagged": mean((r) => r.out_of_scope.flagged_off_topic),
    "off-topic declined": mean((r) => r.out_of_scope.declined_off_topic),
    "absent reported": mean((r) => r.absent.reported),
  };
  if (values.json) process.stdout.write(`${JSON.stringify(row)}\n`);
  else process.stdout.write(`\nmacro-average, ${name}, mode ${mode}:\n${Object.entries(row).slice(2).map(([k, v]) => `  ${k.padEnd(22)} ${v}`).join("\n")}\n`);
}

async function main() {
  if (values.books) return runBooks();
  const questions = readQuestions(positionals[0]);
  const embedder = await loadModel();
  const snap = await requireSnapshot(values.db);
  const course = await resolveCourse(snap, values.course, env.TUTOR_DEFAULT_COURSE);
  const coursePassages = await listCoursePassages(snap, course.id);
  for (const mode of modes) {
    const report = await runEvaluation({
      questions,
      mode,
      coursePassages,
      search: (q) => findPassages({ question: q, course: course.id, k, db: values.db, mode, embedder }),
    });
    print(report);
  }
}

function print(r: EvalReport, book?: string) {
  if (values.json) {
    const { misses, ...rest } = r;
    process.stdout.write(`${JSON.stringify({ ...(book ? { book } : {}), ...(values.misses ? r : rest) })}\n`);
    return;
  }
  const keys = ["acc@1", "acc@3", "acc@5", "acc@10", "mrr@10", "ndcg@10"] as const;
  const row = (name: string, m: Omit<EvalReport["overall"], never>, n: number) =>
    `${name.padEnd(14)} ${String(n).padStart(4)} ${keys.map((x) => m[x].toFixed(3).padStart(8)).join("")}`;
  process.stdout.write(`\nmode ${r.mode}${r.ran !== r.mode ? ` (ran: ${r.ran})` : ""}, ${r.n} questions\n`);
  process.stdout.write(`${"".padEnd(14)} ${"n".padStart(4)} ${keys.map((x) => x.padStart(8)).join("")}\n`);
  process.stdout.write(`${row("overall", r.overall, r.out_of_scope.on_topic_n)}\n`);
  for (const [kind, m] of Object.entries(r.by_kind)) process.stdout.write(`${row(kind, m, m.n)}\n`);
  const o = r.out_of_scope;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  process.stdout.write(
    `out of scope: ${pct(o.flagged_off_topic)} of ${o.off_topic_n} off-topic flagged (${pct(o.declined_off_topic)} declined, the rest passed on as a doubt), ` +
      `${pct(o.flagged_on_topic)} of ${o.on_topic_n} on-topic declined (${pct(o.doubted_on_topic)} passed on as a doubt)` +
      (r.absent.n ? `; labels the course lacks reported absent: ${pct(r.absent.reported)} of ${r.absent.n}` : "") +
      "\n",
  );
  if (values.misses) for (const m of r.misses) process.stdout.write(`  miss [${m.kind}] ${m.q}\n    expect ${m.expect.join(", ")} | got ${m.top.join(" ; ")}\n`);
}

main().catch((e) => fail(e, { json: !!values.json }));
