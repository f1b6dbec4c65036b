/**
 * `npm run bench:insights [-- --rows 100000]`: the instructor's figures over a large insights table. Seeds a temp
 * store with `--rows` answered questions of the demo course (spread over 20 weeks, labels of its real outline),
 * then times reading one period's rows (`queryInsights`) and building the report (`buildInsightsReport`), and the
 * buffered write path (`recordInsight` + `flushInsights`) per row. Prints wall and CPU milliseconds (medians); asserts nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadOutline } from "../app/api/outline/outline";
import { ingestCourse } from "../lib/ingest/ingest-course";
import { buildInsightsReport } from "../lib/insights/report";
import { appendInsights, flushInsights, newAnswerId, queryInsights, recordInsight, type InsightRow } from "../lib/insights/store";

const { values } = parseArgs({ options: { rows: { type: "string", default: "100000" }, repeat: { type: "string", default: "5" } } });
const total = Number(values.rows);
const repeat = Number(values.repeat);
const DAY = 86_400_000;

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-insights-"));
  const db = path.join(dir, "db");
  try {
    await ingestCourse({ tex: "none", path: path.resolve("content/demo-course"), db, embedder: null, modelStatus: { available: false, modelId: "none" } });
    const outline = await loadOutline({ course: "imo-demo", db });
    const labels = outline.chapters.flatMap((c) => [...c.items, ...c.sections.flatMap((s) => s.items)]).map((i) => i.label);
    const sections = outline.chapters.flatMap((c) => c.sections.map((s) => s.label));
    const now = Date.now();
    let seed = 1;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const row = (): InsightRow => {
      const named = rand() < 0.6 ? [labels[Math.floor(rand() ** 2 * labels.length)]] : [];
      const verified = rand() < 0.8;
      return {
        answer_id: newAnswerId(), course: "imo-demo", time: now - rand() * 140 * DAY, named, absent: rand() < 0.02 ? ["Exercise 9.99"] : [],
        retrieved: [sections[Math.floor(rand() * sections.length)]], cited: named, verdicts: named.map(() => (verified ? "verified" : "unknown")),
        grounded: verified && named.length > 0, scope: rand() < 0.05 ? "declined" : rand() < 0.1 ? "doubted" : "in", hint: rand() < 0.3,
        mode: "llm", rating: rand() < 0.05 ? "down" : rand() < 0.1 ? "up" : null, comment: null, question: null,
      };
    };
    let t = performance.now();
    for (let done = 0; done < total; done += 10_000) await appendInsights(Array.from({ length: Math.min(10_000, total - done) }, row), { db });
    process.stdout.write(`seeded ${total.toLocaleString("en")} rows in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);

    for (const [name, since] of [["all rows", undefined], ["last 30 days", now - 30 * DAY]] as const) {
      const query: number[] = [];
      const build: number[] = [];
      const queryCpu: number[] = [];
      const buildCpu: number[] = [];
      const cpu = () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      };
      let n = 0;
      for (let i = 0; i < repeat; i++) {
        t = performance.now();
        let c = cpu();
        const rows = await queryInsights({ db, course: "imo-demo", ...(since ? { since } : {}) });
        query.push(performance.now() - t);
        queryCpu.push(cpu() - c);
        t = performance.now();
        c = cpu();
        buildInsightsReport(rows, outline, { since: since ?? null });
        build.push(performance.now() - t);
        buildCpu.push(cpu() - c);
        n = rows.length;
      }
      const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(0);
      // CPU time beside wall time: on a shared machine the wall clock mostly measures the other processes.
      process.stdout.write(
        `${name}: ${n.toLocaleString("en")} rows; queryInsights median ${med(query)} ms wall / ${med(queryCpu)} ms CPU (LanceDB's threads included), buildInsightsReport median ${med(build)} ms wall / ${med(buildCpu)} ms CPU (of ${repeat})\n`,
      );
    }

    const writes = 2000;
    t = performance.now();
    for (let i = 0; i < writes; i++) recordInsight(row(), { db });
    const buffered = performance.now() - t;
    await flushInsights(db);
    process.stdout.write(`recordInsight: ${((buffered / writes) * 1000).toFixed(1)} µs a row buffered; ${writes} rows flushed in ${((performance.now() - t) / 1000).toFixed(2)} s\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
