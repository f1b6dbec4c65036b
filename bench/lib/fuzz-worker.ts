/**
 * One fuzz target in a worker thread, so `bench/fuzz.ts` can stop a parser that never returns (a synchronous
 * loop cannot be interrupted from its own thread). Posts each input before it runs it, then the report.
 */
import { parentPort, workerData } from "node:worker_threads";
import { FUZZ_TARGETS, fuzzTarget, showInput } from "../../tests/support/fuzz/targets";

const { name, runs, seed, boundMs } = workerData as { name: string; runs: number; seed: number; boundMs: number };
const target = FUZZ_TARGETS.find((t) => t.name === name);
if (!target) throw new Error(`no fuzz target ${name}`);
const report = await fuzzTarget(target, { runs, seed, boundMs, onInput: (input) => parentPort!.postMessage({ type: "input", input: showInput(input) }) });
parentPort!.postMessage({ type: "report", report });
