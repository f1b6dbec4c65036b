/**
 * Property-based fuzzing of every parser of outside input, a few hundred inputs each (the properties and the
 * inputs: tests/support/fuzz/targets.ts; `npm run bench:fuzz` runs ≥ 10,000). A failure prints the shrunk
 * input and fast-check's seed and path to replay it.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { ParsedFile } from "@/lib/course/types";
import { FUZZ_TARGETS, fuzzTarget, runParser } from "../../support/fuzz/targets";

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

describe("the fuzz properties can fail", () => {
  const file = "a\nb\nc";
  const parsed = (diagnostics: ParsedFile["diagnostics"]): ParsedFile => ({ chapters: [], diagnostics, files: ["n.txt"] });
  it("a parser that throws, a diagnostic outside its file or without a message, a parser crash loadCourse caught", () => {
    expect(() => runParser(() => { throw new TypeError("x is undefined"); }, "n.txt", { "n.txt": file })).toThrow(/threw TypeError: x is undefined/);
    expect(() => runParser(() => parsed([{ severity: "error", file: "n.txt", line: 4, message: "m" }]), "n.txt", { "n.txt": file })).toThrow(/n\.txt:4, outside its 3 lines/);
    expect(() => runParser(() => parsed([{ severity: "error", file: "other.txt", line: 1, message: "m" }]), "n.txt", { "n.txt": file })).toThrow(/names file "other\.txt"/);
    expect(() => runParser(() => parsed([{ severity: "warning", file: "n.txt", line: 1, message: " " }]), "n.txt", { "n.txt": file })).toThrow(/has no message/);
    expect(() => runParser(() => parsed([{ severity: "error", file: "n.txt", line: 1, message: "could not be parsed (boom)" }]), "n.txt", { "n.txt": file })).toThrow(/a parser crashed/);
    expect(() => runParser(() => parsed([{ severity: "error", file: "n.txt", line: 3, message: "ok" }]), "n.txt", { "n.txt": file })).not.toThrow();
  });

  it("an input slower than the bound is a failure, shrunk and reported with its seed", async () => {
    const slow = { name: "slow", what: "", arbitrary: fc.nat(), check: async (n: number) => { if (n > 5) await new Promise((r) => setTimeout(r, 30)); } };
    const report = await fuzzTarget(slow, { runs: 50, boundMs: 20, seed: 1 });
    expect(report.failure?.error).toMatch(/over the 20 ms bound/);
    expect(report.failure?.input).toBe("6");
  });
});
