import { readFileSync } from "node:fs";
import { env } from "../lib/env";
import { TutorError } from "../lib/errors";
import { parseEvalFile, runEvaluation, type EvalReport } from "../lib/retrieve/evaluate";
import { findPassages, type QueryEmbedder, type RetrievalMode } from "../lib/retrieve/search";
import { listCoursePassages, requireSnapshot, resolveCourse } from "../lib/store/read";
import { fail, parseCli } from "./lib/cli";

const USAGE = `Usage: npm run eval -- <questions.jsonl> [--course id] [--k 10] [--mode lexical|dense|hybrid] [--db dir] [--model-dir dir] [--json] [--misses]

Scores retrieval like the model card (accuracy@1/3/5/10, MRR@10, NDCG@10) overall and per kind, and the
out-of-scope flag on off-topic questions. Without --mode, runs all three modes. --json prints one line per mode.`;

const { values, positionals } = parseCli(USAGE, {
  course: { type: "string" },
  k: { type: "string" },
  mode: { type: "string" },
  db: { type: "string" },
  "model-dir": { type: "string" },
  json: { type: "boolean" },
  misses: { type: "boolean" },
});
const modes = (values.mode ? [values.mode] : ["lexical", "dense", "hybrid"]) as RetrievalMode[];
const k = values.k ? Number(values.k) : 10;
if (positionals.length !== 1 || !modes.every((m) => ["lexical", "dense", "hybrid"].includes(m)) || !Number.isInteger(k) || k < 1 || k > 100) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

async function main() {
  let text: string;
  try {
    text = readFileSync(positionals[0], "utf8");
  } catch {
    throw new TutorError("bad-request", `cannot read ${positionals[0]}`);
  }
  let questions;
  try {
    questions = parseEvalFile(text, positionals[0]);
  } catch (e) {
    throw new TutorError("bad-request", (e as Error).message);
  }
  let embedder: QueryEmbedder | null | undefined;
  if (values["model-dir"]) {
    const { loadEmbedder } = await import("../lib/embed");
    embedder = await loadEmbedder({ dir: values["model-dir"] });
  }
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

function print(r: EvalReport) {
  if (values.json) {
    const { misses, ...rest } = r;
    process.stdout.write(`${JSON.stringify(values.misses ? r : rest)}\n`);
    return;
  }
  const keys = ["acc@1", "acc@3", "acc@5", "acc@10", "mrr@10", "ndcg@10"] as const;
  const row = (name: string, m: Omit<EvalReport["overall"], never>, n: number) =>
    `${name.padEnd(14)} ${String(n).padStart(4)} ${keys.map((x) => m[x].toFixed(3).padStart(8)).join("")}`;
  process.stdout.write(`\nmode ${r.mode}${r.ran !== r.mode ? ` (ran: ${r.ran})` : ""}, ${r.n} questions\n`);
  process.stdout.write(`${"".padEnd(14)} ${"n".padStart(4)} ${keys.map((x) => x.padStart(8)).join("")}\n`);
  process.stdout.write(`${row("overall", r.overall, r.out_of_scope.on_topic_n)}\n`);
  for (const [kind, m] of Object.entries(r.by_kind)) process.stdout.write(`${row(kind, m, m.n)}\n`);
  process.stdout.write(
    `out of scope: ${(r.out_of_scope.flagged_off_topic * 100).toFixed(1)}% of ${r.out_of_scope.off_topic_n} off-topic flagged, ` +
      `${(r.out_of_scope.flagged_on_topic * 100).toFixed(1)}% of ${r.out_of_scope.on_topic_n} on-topic flagged\n`,
  );
  if (values.misses) for (const m of r.misses) process.stdout.write(`  miss [${m.kind}] ${m.q}\n    expect ${m.expect.join(", ")} | got ${m.top.join(" ; ")}\n`);
}

main().catch((e) => fail(e, { json: !!values.json }));
