/**
 * TeX trace benchmark (`npm run bench:tex -- [<course folder> <main.tex>] [--runs 1|2] [--timeout 300] [--json]`):
 * compiles a LaTeX book with the real engine through `traceLatex` (temporary copy, instrumentation, time limit)
 * and prints how long it took, the trace's records by type and the numbered items by kind. The target for a
 * 300-page book is ≤ 60 s on this machine. Without a folder it runs the macro-boxes fixture.
 * A benchmark: it prints numbers and asserts nothing.
 */
import path from "node:path";
import { findTexEngine, numberedItemsFromTrace, traceLatex } from "../lib/course/latex/engine";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const json = args.includes("--json");
const runsFlag = flag("runs");
const timeoutS = Number(flag("timeout") ?? 300);
const positional = args.filter((a) => !a.startsWith("--"));
const ROOT = path.resolve(import.meta.dirname, "..");
const [root, main] = positional.length >= 2 ? positional : [path.join(ROOT, "tests/fixtures/latex-engine/macro-boxes"), "main.tex"];

const found = findTexEngine();
if (!found.engine) {
  process.stderr.write(`No TeX engine: ${found.reason}\n`);
  process.exit(1);
}
const result = await traceLatex({ root, main, timeoutMs: timeoutS * 1000, engine: found.engine, maxRuns: runsFlag === "2" ? 2 : 1 });
const items = numberedItemsFromTrace(result.records);
const count = <T>(xs: T[], key: (x: T) => string) => {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
};
const report = {
  book: path.join(root, main),
  engine: result.engine.version,
  ok: result.ok,
  seconds: Math.round(result.seconds * 10) / 10,
  runs: result.runs,
  records: result.records.length,
  recordsByType: count(result.records, (r) => r.type),
  unreadLines: result.unreadLines,
  items: items.length,
  itemsByKind: count(items, (i) => i.kind),
  errors: result.errors.length,
  firstErrors: result.errors.slice(0, 5).map((e) => `${e.file}:${e.line}: ${e.message}${e.context ? ` [${e.context}]` : ""}`),
};
if (json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  process.stdout.write(
    [
      `book       ${report.book}`,
      `engine     ${report.engine}`,
      `ok         ${report.ok}   (${report.runs} run${report.runs > 1 ? "s" : ""}, ${report.seconds} s)`,
      `records    ${report.records}  ${JSON.stringify(report.recordsByType)}  unread lines: ${report.unreadLines}`,
      `items      ${report.items}  ${JSON.stringify(report.itemsByKind)}`,
      `errors     ${report.errors}`,
      ...report.firstErrors.map((e) => `           ${e}`),
      "",
    ].join("\n"),
  );
}
