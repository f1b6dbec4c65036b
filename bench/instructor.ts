/**
 * `npm run bench:instructor [-- --rows 100000]`: the instructor page with 100,000 recorded questions (issue 16,
 * target ≤ 1 s). Ingests the demo course into a temp store (no model: full-text, no TeX), seeds the rows into
 * its insights table, then times, for each period, the page's data (`buildInstructorReport`: the LanceDB reads,
 * the figures, the grouping), the server render of the page's HTML, and the CSV export. Prints numbers; asserts
 * nothing about time.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { ingestCourse } from "../lib/ingest/ingest-course";
import { reportCsv } from "../lib/instructor/csv";
import { PERIODS, type Period } from "../lib/instructor/figures";
import { buildInstructorReport } from "../lib/instructor/report";
import { listCourseItems, requireSnapshot } from "../lib/store/read";
import { InstructorDashboard } from "../components/instructor/dashboard";
import { makeInsightRows, seedInsights } from "../tests/support/seed-insights";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const ms = (t: number) => `${t.toFixed(0).padStart(5)} ms`;

async function main() {
  const rows = Number(flag("rows") ?? 100_000);
  const runs = Number(flag("runs") ?? 3);
  const tmp = mkdtempSync(path.join(tmpdir(), "tutor-bench-instructor-"));
  const db = path.join(tmp, "db");
  try {
    const t0 = performance.now();
    const summary = await ingestCourse({ path: path.join(ROOT, "content/demo-course"), db, tex: "none", embedder: null, modelStatus: { available: false, modelId: "none" } });
    const t1 = performance.now();
    const items = await listCourseItems(await requireSnapshot(db), summary.course);
    const now = Date.now();
    await seedInsights(db, makeInsightRows({ course: summary.course, items, count: rows, now, days: 150, seed: 7, keepQuestions: true }));
    const t2 = performance.now();
    process.stdout.write(`store: demo course ingested in ${ms(t1 - t0)}; ${rows.toLocaleString("en")} recorded questions over 150 days seeded in ${ms(t2 - t1)}\n`);
    process.stdout.write(`${"period".padEnd(7)} ${"questions".padStart(9)}  ${"data".padStart(8)} (read / figures / groups)   ${"render".padStart(8)}  ${"csv".padStart(8)}  ${"total".padStart(8)}\n`);
    for (let run = 0; run < runs; run++) {
      for (const period of Object.keys(PERIODS) as Period[]) {
        const a = performance.now();
        const report = await buildInstructorReport({ db, course: summary.course, period, now, embedder: null });
        const b = performance.now();
        const html = renderToStaticMarkup(createElement(InstructorDashboard, { report }));
        const c = performance.now();
        const csv = reportCsv(report);
        const d = performance.now();
        const t = report.timings;
        process.stdout.write(
          `${period.padEnd(7)} ${String(report.figures.totals.questions).padStart(9)}  ${ms(b - a)} (${t.readMs.toFixed(0)} / ${t.figuresMs.toFixed(0)} / ${t.groupsMs.toFixed(0)})`.padEnd(58) +
            `${ms(c - b)}  ${ms(d - c)}  ${ms(d - a)}   run ${run + 1}, html ${(html.length / 1024).toFixed(0)} kB, csv ${(csv.length / 1024).toFixed(0)} kB\n`,
        );
      }
    }
    process.stdout.write("target: the page (data + render) ≤ 1000 ms with 100,000 recorded questions\n");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
