import { loadOutline } from "../app/api/outline/outline";
import { readInsightsColumn } from "../lib/insights/config";
import { buildInsightsReport, parseSince } from "../lib/insights/report";
import { formatReport } from "../lib/insights/report-text";
import { queryInsights } from "../lib/insights/store";
import { requireSnapshot, resolveCourse } from "../lib/store/read";
import { fail, parseCli } from "./lib/cli";

const USAGE = `Usage: npm run insights -- --course <id> [--since 30d] [--db dir] [--json]

What students asked a course whose course.json turns "insights" on (the figures of the instructor page):
questions per chapter › section › exercise, the most asked exercises, the questions the notes did not cover,
the answers flagged ungrounded or given a thumbs down, and questions per ISO week.
--since: a period back from now (30d, 12w, 6m, 1y) or a date (2026-09-01); default: every row kept.
--json prints the whole report as one object (lib/insights/report.ts InsightsReport).`;

const { values } = parseCli(USAGE, { course: { type: "string" }, since: { type: "string" }, db: { type: "string" }, json: { type: "boolean" } });
if (!values.course) {
  process.stderr.write(`missing --course\n\n${USAGE}\n`);
  process.exit(2);
}
let since: number | null = null;
if (values.since !== undefined) {
  try {
    since = parseSince(values.since);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

async function main() {
  const snap = await requireSnapshot(values.db);
  const course = await resolveCourse(snap, values.course);
  const config = readInsightsColumn(course.insights);
  const outline = await loadOutline({ course: course.id, db: values.db });
  const until = Date.now();
  const rows = await queryInsights({ db: values.db, course: course.id, ...(since !== null ? { since } : {}), until });
  const report = buildInsightsReport(rows, outline, { since, until });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ insights: config, ...report })}\n`);
    return;
  }
  if (!config) process.stderr.write(`note: ${course.id}'s course.json has no "insights": nothing is being recorded (rows kept from before are shown).\n`);
  process.stdout.write(formatReport(report, config));
}

main().catch((e) => fail(e, { json: !!values.json }));
