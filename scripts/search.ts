import { sourceText } from "../lib/cite/source";
import { env } from "../lib/env";
import { findPassages } from "../lib/retrieve/search";
import { fail, parseCli, warnNoModel } from "./lib/cli";

const USAGE = `Usage: npm run search -- "<question>" [--course id] [--k 5] [--db dir] [--json]

Prints the passages the tutor would retrieve for a question (label, items inside, score).`;

const { values, positionals } = parseCli(USAGE, { course: { type: "string" }, db: { type: "string" }, k: { type: "string" }, json: { type: "boolean" } });
const question = positionals.join(" ").trim();
const k = values.k === undefined ? 5 : Number(values.k);
if (!question || !Number.isInteger(k) || k < 1 || k > 100) {
  process.stderr.write(`${!question ? "missing the question" : "--k must be an integer from 1 to 100"}\n\n${USAGE}\n`);
  process.exit(2);
}

findPassages({ question, course: values.course, k, db: values.db, defaultCourse: env.TUTOR_DEFAULT_COURSE })
  .then((r) => {
    if (r.dense && !r.dense.available) warnNoModel({ modelId: env.TUTOR_MODEL, reason: r.dense.reason });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return;
    }
    process.stdout.write(`${r.results.length} passages from ${r.course} (${r.mode})${r.outOfScope ? " — the notes do not seem to cover this question" : ""}\n`);
    r.results.forEach((p, i) => {
      process.stdout.write(`${String(i + 1).padStart(2)}. ${p.headingPath}  [${p.score}; ${p.retrievers.join("+")}]\n`);
      if (p.refs.length) process.stdout.write(`    contains: ${p.refs.join(", ")}\n`);
      process.stdout.write(`    ${sourceText(p.source)}\n`);
    });
  })
  .catch((e) => fail(e, { json: !!values.json }));
