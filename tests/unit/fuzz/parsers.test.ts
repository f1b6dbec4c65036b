/**
 * Property-based fuzzing of every parser of outside input, a few hundred inputs each (the properties and the
 * inputs: tests/support/fuzz/targets.ts; `npm run bench:fuzz` runs ≥ 10,000). A failure prints the shrunk
 * input and fast-check's seed and path to replay it.
 */
import { describe, expect, it } from "vitest";
import { FUZZ_TARGETS, fuzzTarget } from "../../support/fuzz/targets";

/** Inputs per target here; the bench runs many more. */
const RUNS = 200;
/**
 * One input's bound. The parsers take milliseconds on these inputs; a bound this loose is not a speed check,
 * it catches a pattern that backtracks or a loop that does not end, even on a loaded machine.
 */
const BOUND_MS = 5000;

describe("parsers under fuzzing: no crash, no hang, file:line on every rejection", () => {
  for (const target of FUZZ_TARGETS) {
    it(`${target.name}: ${target.what}`, async () => {
      const runs = Math.max(20, Math.round(RUNS * Math.min(1, target.weight ?? 1)));
      const report = await fuzzTarget(target, { runs, boundMs: BOUND_MS });
      expect(report.failure, report.failure && `${report.failure.error}\ninput: ${report.failure.input}\nreplay: seed ${report.failure.seed}, path ${report.failure.path}`).toBeUndefined();
      expect(report.runs).toBe(runs);
    }, 180_000);
  }
});
