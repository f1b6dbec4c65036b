import { sourceText } from "../lib/cite/source";
import { lookupCitation } from "../lib/cite/lookup";
import { env } from "../lib/env";
import { fail, parseCli } from "./lib/cli";

const USAGE = `Usage: npm run cite -- "<ref>" [--course id] [--db dir] [--json]

Prints the exact text of a numbered item or heading: "Exercise 1.41", "ex 1.41(b)", "Def. 8.2", "§1.6";
for a figure, table or equation the notes print ("Figure 2.1", "Table 3", "Equation (1.4.1)"), the passage printing it.
Exit 1 when the label is unknown (the nearest labels are listed) or ambiguous.`;

const { values, positionals } = parseCli(USAGE, { course: { type: "string" }, db: { type: "string" }, json: { type: "boolean" } });
const ref = positionals.join(" ").trim();
if (!ref) {
  process.stderr.write(`missing the reference\n\n${USAGE}\n`);
  process.exit(2);
}
const json = !!values.json;

async function main() {
  const result = await lookupCitation({ ref, course: values.course, db: values.db, defaultCourse: env.TUTOR_DEFAULT_COURSE });
  if (result.status === "found") {
    const it = result.item;
    if (json) {
      process.stdout.write(`${JSON.stringify(it)}\n`);
      return;
    }
    const where = [it.chapter, it.section].filter(Boolean).join(" › ");
    process.stdout.write(`${it.label}${it.title ? ` (${it.title})` : ""}${it.part ? ` — part (${it.part})` : ""}\n`);
    process.stdout.write(`${where}\n${sourceText(it.source)}\n\n${it.text}\n`);
    return;
  }
  if (result.status === "ambiguous") {
    if (json) process.stdout.write(`${JSON.stringify({ candidates: result.candidates })}\n`);
    else {
      process.stdout.write(`"${ref}" is ambiguous in ${result.course}; did you mean:\n`);
      for (const c of result.candidates) process.stdout.write(`  ${c.label}${c.title ? ` (${c.title})` : ""}\n`);
    }
    process.exit(1);
  }
  if (json) process.stdout.write(`${JSON.stringify({ error: "not-found", suggestions: result.suggestions })}\n`);
  process.stderr.write(`"${ref}" is not a label in ${result.course}.${result.suggestions.length ? ` Nearest: ${result.suggestions.join(", ")}` : ""}\n`);
  process.exit(1);
}

main().catch((e) => fail(e, { json }));
