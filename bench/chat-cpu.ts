/**
 * CPU per chat answer, in process and without Next (`npm run bench:chat-cpu [-- --answers=300] [--concurrency=20]`):
 * the demo course in a temp store, the scripted OpenAI-protocol LLM in a child process (answering at once, so its
 * time is not ours), and the chat route's own work — retrieval and prompt (`prepareTurn`), then the answer streamed
 * as the UI message stream the route sends — timed with process.cpuUsage(). Prints CPU ms per answer for retrieval
 * alone and for the whole answer: the server's own share of `bench:load`'s chat figures, measured apart from Next
 * and from other processes on a shared machine. Run it under `node --cpu-prof` to see where that time goes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { ingestCourse } from "../lib/ingest/ingest-course";
import { prepareTurn } from "../lib/tutor/answer";
import { answerResponse } from "../lib/tutor/answer-response";

const ROOT = path.resolve(import.meta.dirname, "..");
const arg = (name: string, d: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? d);
const ANSWERS = arg("answers", 300);
const CONCURRENCY = arg("concurrency", 20);
const ONLY = process.argv.find((a) => a.startsWith("--only="))?.split("=")[1];
/** Every question different, so no full-text ranking is reused (the per-snapshot cache): retrieval's cold cost. */
const DISTINCT = process.argv.includes("--distinct");
const log = (m: string) => process.stderr.write(`${m}\n`);

async function startFake(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests/support/openai-server.ts"), "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`fake LLM exited (${code})`)));
  });
  return { url, stop: () => child.kill() };
}

async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await task(next++);
  }));
}

async function measure(name: string, task: (i: number) => Promise<void>) {
  await pool(Math.min(40, ANSWERS), CONCURRENCY, task); // warm
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await pool(ANSWERS, CONCURRENCY, (i) => task(1000 + i));
  const cpu = process.cpuUsage(cpu0);
  const ms = (cpu.user + cpu.system) / 1000;
  log(`${name.padEnd(34)} ${(ms / ANSWERS).toFixed(2).padStart(7)} ms CPU per answer  (${ANSWERS} answers, ${CONCURRENCY} at a time, ${((performance.now() - t0) / 1000).toFixed(1)} s wall)`);
}

async function main() {
  const tmp = mkdtempSync(path.join(tmpdir(), "tutor-chat-cpu-"));
  const db = path.join(tmp, "db");
  const fake = await startFake();
  try {
    await ingestCourse({ path: path.join(ROOT, "content/demo-course"), db, embedder: null, modelStatus: { available: false, modelId: "none" } });
    const model = createOpenAICompatible({ name: "bench", baseURL: fake.url, includeUsage: true }).chatModel("fake");
    const question = (i: number) => (DISTINCT ? `hint for exercise 1.41 step ${i}` : "hint for exercise 1.41");
    if (ONLY !== "answer") await measure(`retrieval + prompt (prepareTurn)${DISTINCT ? ", distinct" : ""}`, async (i) => {
      await prepareTurn({ question: question(i), db });
    });
    if (ONLY !== "retrieval") await measure(`whole answer${DISTINCT ? ", distinct questions" : ""}`, async (i) => {
      const turn = await prepareTurn({ question: question(i + 100_000), db });
      const res = answerResponse(turn, { model, maxOutputTokens: 800 });
      const reader = res.body!.getReader();
      while (!(await reader.read()).done);
    });
  } finally {
    fake.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  process.stderr.write(`bench:chat-cpu failed: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
