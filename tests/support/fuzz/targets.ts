/**
 * Property-based fuzzing of every parser of outside input (issue 13, item 6): the course loaders (plain-text
 * export, Markdown, LaTeX, course.json, a whole course folder), the references students type, the citations in
 * an answer, and the request parsers of the API (the chat body as it streams in, the search and cite queries).
 * One definition serves both the vitest suite (`tests/unit/fuzz/parsers.test.ts`, a few hundred inputs each) and
 * `npm run bench:fuzz` (≥ 10,000 inputs in all). The properties, for every input:
 *  - no crash: a parser reports bad input as data (a diagnostic, null, a 4xx TutorError or ZodError); anything it
 *    throws otherwise is a failure, and so is loadCourse's "could not be parsed" (a parser crash it caught);
 *  - no hang: each input is timed against a bound (the bench also runs in a worker a watchdog can stop);
 *  - every rejection carries where: a course diagnostic names a file of the input and a line inside it; a
 *    request rejection is a 4xx with a message that shows no stack and no server path.
 */
import fc from "fast-check";
import { COURSE_TARGETS } from "./course";
import { describeThrown as describe, fail, type FuzzTarget } from "./property";
import { REQUEST_TARGETS } from "./requests";
import { TYPED_TARGETS } from "./typed";

export { runParser } from "./course";
export { PropertyViolation, type FuzzTarget } from "./property";

export const FUZZ_TARGETS: FuzzTarget<any>[] = [...COURSE_TARGETS, ...TYPED_TARGETS, ...REQUEST_TARGETS];

export interface FuzzReport {
  name: string;
  runs: number;
  ms: number;
  slowestMs: number;
  slowestInput?: string;
  /** The first failing input (shrunk) and why. */
  failure?: { input: string; error: string; seed: number; path?: string };
}

/** Shows an input briefly (the whole of it is in the seed and path). */
export function showInput(x: unknown): string {
  const s = Buffer.isBuffer(x) ? `<${x.length} bytes> ${JSON.stringify(x.subarray(0, 200).toString("utf8"))}` : JSON.stringify(x, (_k, v) => (v && v.type === "Buffer" && Array.isArray(v.data) ? `<${v.data.length} bytes>` : v));
  return (s ?? String(x)).length > 400 ? `${(s ?? String(x)).slice(0, 400)}…` : (s ?? String(x));
}

/**
 * Runs one target on `runs` inputs. An input slower than `boundMs` is a failure ("hang"). `onInput` sees each
 * input before it runs (the bench's watchdog reports it if the parser never returns).
 */
export async function fuzzTarget(target: FuzzTarget<any>, opts: { runs: number; seed?: number; boundMs: number; onInput?: (input: unknown) => void }): Promise<FuzzReport> {
  let slowestMs = 0;
  let slowestInput: unknown;
  // One untimed input first: a parser's first call loads and compiles what it needs (grammars, word lists),
  // which is start-up, not a hang.
  await Promise.resolve(target.check(fc.sample(target.arbitrary, { numRuns: 1, seed: 0 })[0])).catch(() => {});
  const started = performance.now();
  const details = await fc.check(
    fc.asyncProperty(target.arbitrary, async (input) => {
      opts.onInput?.(input);
      const t0 = performance.now();
      await target.check(input);
      const ms = performance.now() - t0;
      if (ms > slowestMs) {
        slowestMs = ms;
        slowestInput = input;
      }
      if (ms > opts.boundMs) fail(`took ${Math.round(ms)} ms, over the ${opts.boundMs} ms bound for one input`);
    }),
    { numRuns: opts.runs, seed: opts.seed, endOnFailure: false },
  );
  const report: FuzzReport = { name: target.name, runs: details.numRuns, ms: Math.round(performance.now() - started), slowestMs: Math.round(slowestMs), slowestInput: showInput(slowestInput) };
  if (details.failed) {
    const err = details.errorInstance;
    report.failure = { input: showInput(details.counterexample?.[0]), error: describe(err), seed: details.seed, path: details.counterexamplePath ?? undefined };
  }
  return report;
}
