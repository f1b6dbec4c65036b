import { resolve } from "node:path";
import { env } from "../lib/env";
import { chooseBuiltBooks, ingestBookStore } from "../lib/eval/book-store";
import { refProbes, type RefProbe } from "../lib/eval/ref-forms";
import { absentProbes, reportsAbsent } from "../lib/eval/absent-forms";
import { TutorError } from "../lib/errors";
import { headingLabels, isHit } from "../lib/retrieve/evaluate";
import { findPassages } from "../lib/retrieve/search";
import { listCourseItems, requireSnapshot, resolveCourse } from "../lib/store/read";
import { fail, parseCli } from "./lib/cli";

const USAGE = `Usage: npm run eval:refs -- [--db dir] [--course id] [--json] [--misses]
       npm run eval:refs -- --books [<name>…] [--json] [--misses]

The explicit-reference stress check: for every numbered label in the course's store, the forms students type
("Exercise 2.1.6", "ex 2.1.6", "Thm. 3.2", "§2.1", and where the course numbers exercises 1, 2, 3… within a
section or chapter, "2.1 #6", "problem 6 in section 2.1", "the 6th exercise in section 2.1"), each in a short
question, searched like a student's question (lexical, no model). Prints acc@1 per form (the first result holds the
label) and how many existing labels were wrongly reported as absent; then labels the course lacks, typed the same
ways ("Theorem 19.1", "problem 47 in section 2.1"), and the share reported absent.

--books: every evaluation book whose corpus is built, or the ones named (ingested like npm run eval -- --books).
Sealed books print aggregates per form only; --misses (one line per failed probe) is refused for them.`;

const { values, positionals } = parseCli(USAGE, {
  db: { type: "string" },
  course: { type: "string" },
  books: { type: "boolean" },
  json: { type: "boolean" },
  misses: { type: "boolean" },
});
if (!values.books && positionals.length) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

interface FormScore {
  n: number;
  hits: number;
  wronglyAbsent: number;
}

/** Runs every probe of one course through the production search; per-form scores and the failed probes. */
async function check(db: string | undefined, courseId: string) {
  const snap = await requireSnapshot(db);
  const items = await listCourseItems(snap, courseId);
  // A label printed with nothing under it (an empty "Section 6.E" of a preview edition) has no passage to find.
  const withPassage = new Set(items.filter((i) => i.passage_id).map((i) => i.label));
  const probes = refProbes(items).filter((p) => withPassage.has(p.label));
  const byForm = new Map<string, FormScore>();
  const byKind = new Map<string, FormScore>();
  const failed: (RefProbe & { got: string; absent: string[] })[] = [];
  for (const p of probes) {
    const r = await findPassages({ question: p.question, course: courseId, db, mode: "lexical", embedder: null, k: 1 });
    const top = r.results[0];
    const hit = !!top && isHit({ id: top.id, refs: top.refs, headings: headingLabels(top.headingPath) }, [p.label]);
    const wronglyAbsent = r.absent.some((a) => a.label === p.label);
    for (const [map, key] of [[byForm, p.form], [byKind, p.kind]] as const) {
      const s = map.get(key) ?? { n: 0, hits: 0, wronglyAbsent: 0 };
      s.n++;
      if (hit) s.hits++;
      if (wronglyAbsent) s.wronglyAbsent++;
      map.set(key, s);
    }
    if (!hit || wronglyAbsent) failed.push({ ...p, got: top ? `${top.label} [${top.refs.slice(0, 4).join(", ")}]` : "(nothing)", absent: r.absent.map((a) => a.label) });
  }
  const labels = new Set(probes.map((p) => p.label)).size;
  // Labels the course lacks, typed like real ones: each must be reported absent.
  const absent = new Map<string, { n: number; reported: number }>();
  const notReported: { question: string; absent: string[] }[] = [];
  for (const p of absentProbes(items)) {
    const r = await findPassages({ question: p.question, course: courseId, db, mode: "lexical", embedder: null, k: 1 });
    const ok = reportsAbsent(p, r.absent);
    const s = absent.get(p.form) ?? { n: 0, reported: 0 };
    absent.set(p.form, { n: s.n + 1, reported: s.reported + (ok ? 1 : 0) });
    if (!ok) notReported.push({ question: p.question, absent: r.absent.map((a) => a.label) });
  }
  return { labels, probes: probes.length, byForm, byKind, failed, absent, notReported };
}

function print(name: string, result: Awaited<ReturnType<typeof check>>, sealed: boolean) {
  const total = [...result.byForm.values()].reduce((a, s) => ({ n: a.n + s.n, hits: a.hits + s.hits, wronglyAbsent: a.wronglyAbsent + s.wronglyAbsent }), { n: 0, hits: 0, wronglyAbsent: 0 });
  if (values.json) {
    const scores = (m: Map<string, FormScore>) => Object.fromEntries([...m].map(([f, s]) => [f, { n: s.n, "acc@1": s.n ? s.hits / s.n : 0, wrongly_absent: s.wronglyAbsent }]));
    const absentN = [...result.absent.values()].reduce((a, s) => a + s.n, 0);
    const absentShare = absentN ? [...result.absent.values()].reduce((a, s) => a + s.reported, 0) / absentN : 0;
    const line = { book: name, sealed, labels: result.labels, probes: result.probes, "acc@1": total.n ? total.hits / total.n : 0, wrongly_absent: total.wronglyAbsent, forms: scores(result.byForm), kinds: scores(result.byKind), absent: { n: absentN, reported: absentShare, forms: Object.fromEntries(result.absent) } };
    process.stdout.write(`${JSON.stringify(values.misses && !sealed ? { ...line, failed: result.failed } : line)}\n`);
    return;
  }
  process.stdout.write(`\n=== ${name}${sealed ? " (SEALED: aggregates only)" : ""} — ${result.labels} labels, ${result.probes} probes\n`);
  process.stdout.write(`${"form".padEnd(30)} ${"n".padStart(5)} ${"acc@1".padStart(7)} ${"wrongly absent".padStart(15)}\n`);
  const row = (f: string, s: FormScore) => `${f.padEnd(30)} ${String(s.n).padStart(5)} ${(s.n ? s.hits / s.n : 0).toFixed(3).padStart(7)} ${String(s.wronglyAbsent).padStart(15)}\n`;
  for (const [f, s] of result.byForm) process.stdout.write(row(f, s));
  process.stdout.write(row("all forms", total));
  process.stdout.write(`${"kind of label".padEnd(30)}\n`);
  for (const [k, s] of [...result.byKind].sort((a, b) => b[1].n - a[1].n)) process.stdout.write(row(`  ${k}`, s));
  process.stdout.write(`${"labels the course lacks".padEnd(30)} ${"n".padStart(5)} ${"reported absent".padStart(16)}\n`);
  for (const [f, s] of result.absent) process.stdout.write(`  ${f.padEnd(28)} ${String(s.n).padStart(5)} ${(s.n ? s.reported / s.n : 0).toFixed(3).padStart(16)}\n`);
  if (values.misses && !sealed) for (const m of result.notReported) process.stdout.write(`  not reported absent: ${m.question}${m.absent.length ? ` | absent: ${m.absent.join(", ")}` : ""}\n`);
  if (values.misses && !sealed) for (const m of result.failed) process.stdout.write(`  miss [${m.form}] ${m.question}\n    expect ${m.label} | got ${m.got}${m.absent.length ? ` | absent: ${m.absent.join(", ")}` : ""}\n`);
}

async function main() {
  if (!values.books) {
    const snap = await requireSnapshot(values.db);
    const course = await resolveCourse(snap, values.course, env.TUTOR_DEFAULT_COURSE);
    print(course.id, await check(values.db, course.id), false);
    return;
  }
  const books = chooseBuiltBooks(positionals, (line) => process.stderr.write(line));
  if (values.misses && books.some((b) => b.sealed)) throw new TutorError("bad-request", `--misses would show a sealed book's probes (${books.filter((b) => b.sealed).map((b) => b.name).join(", ")}); name the tuning books instead`);
  for (const book of books) {
    const { db, course } = await ingestBookStore(book, values.db ? resolve(values.db) : undefined);
    print(book.name, await check(db, course), book.sealed);
  }
}

main().catch((e) => fail(e, { json: !!values.json }));
