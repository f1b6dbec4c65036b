import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startNextApp, type RunningApp } from "../support/next-app";
import { defaultScript, startFakeOpenAI, type FakeChatRequest, type ScriptedReply } from "../support/openai-server";
import { LANGUAGE_RULE } from "../../lib/tutor/prompt";

/** Regenerations count up, so each version of an answer differs ("VERSIONED"). */
let versionedReplies = 0;

/** A question in Danish (the words a Danish question is made of, not a marker the test adds). */
const DANISH = /\b(hvad|hvordan|hvorfor|jeg|betyder|opgave|beviser)\b/i;

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CHROMIUM = "/usr/bin/chromium";

/**
 * The fake LLM's default script, plus one reply for the streaming-math test: a formula-heavy answer in
 * small pieces, so that half-written TeX ("$\frac{a") is on screen between chunks.
 */
export function e2eScript(req: FakeChatRequest): ScriptedReply {
  const lastUser = [...req.messages].reverse().find((m) => m.role === "user")?.content ?? "";
  if (lastUser.includes("VERSIONED")) {
    versionedReplies++;
    return { text: `Answer number ${versionedReplies}: start from [Exercise 1.41] and write $A \\setminus B$ out.` };
  }
  if (lastUser.includes("ALIGN_EQ")) {
    // Auto-numbered equations: each answer's should be (1), (2), whatever came before on the page.
    return { text: "Two equations:\n\n$$\\begin{align} a &= b + c \\\\ c &= d \\end{align}$$\n\nas in [Exercise 1.41]." };
  }
  // The language rule decides the reply's language, as a real model would follow it: a Danish question gets
  // a Danish answer only when the system prompt asks for one (the labels stay as the notes print them).
  const system = req.messages.filter((m) => m.role === "system").map((m) => m.content).join("\n");
  if (DANISH.test(lastUser) && system.includes(LANGUAGE_RULE)) {
    return { text: "Her er ideen, trin for trin: brug [Exercise 1.41] og skriv $A \\setminus B = A \\cap B^c$, så følger det af [Section 1.6]." };
  }
  if (lastUser.includes("SLOW_MATH")) {
    const text =
      "Write the ratio as $\\frac{a}{b}$ with $b \\neq 0$, and inline \\(x^2 + 1\\) too.\n\n" +
      "Summing gives $$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$ and also\n\n\\[\\int_0^1 x\\,dx = \\frac{1}{2}\\]\n\nas in [Exercise 1.41].";
    return { chunks: text.match(/[\s\S]{1,4}/g) ?? [text], chunkDelayMs: 25 };
  }
  if (lastUser.includes("SLOW_LONG")) {
    // A long answer in slow pieces: a reload lands mid-stream.
    const text = Array.from({ length: 60 }, (_, i) => `Step ${i + 1} of the argument about [Exercise 1.41].`).join(" ");
    return { chunks: text.match(/[\s\S]{1,40}/g) ?? [text], chunkDelayMs: 120 };
  }
  if (lastUser.includes("CITE_FIGURES")) {
    // A figure and an equation the demo prints (its Figure 4.1 and display (4.3.1), no items of the store), and a figure it does not.
    return { text: "The chord lies above the graph, as [Figure 4.1] shows; Newton's step is [Equation (4.3.1)]. There is no [Figure 4.9]." };
  }
  if (lastUser.includes("CITE_GROUPS")) {
    // Ranges and lists of one kind (one chip each), an invented label, two kinds in one pair of brackets. Slow
    // with CITE_GROUPS_SLOW, so that Stop lands before the end (the invented label arrives early).
    const text =
      "Compare [Theorem 9.99] with [Exercises 1.41–1.46] and [Theorems 1.8, 1.9]; see also [Section 1.6, Exercise 1.41]. " +
      "The identity $A \\setminus (B \\cup C) = (A \\setminus B) \\cap (A \\setminus C)$ follows." +
      (lastUser.includes("SLOW") ? Array.from({ length: 40 }, (_, i) => ` Step ${i + 1}.`).join("") : "");
    return lastUser.includes("SLOW") ? { chunks: text.match(/[\s\S]{1,12}/g) ?? [text], chunkDelayMs: 120 } : { text };
  }
  return defaultScript(req);
}

function run(cmd: string, args: string[], env: Record<string, string>, what: string, logFile?: string): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (logFile) writeFileSync(logFile, `${r.stdout ?? ""}\n${r.stderr ?? ""}`);
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${(r.stdout ?? "").slice(-3000)}\n${(r.stderr ?? "").slice(-3000)}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Debian's Chromium is missing (${CHROMIUM}). Install it with: sudo apt-get install -y chromium`);
  }
  const tmp = mkdtempSync(path.join(tmpdir(), "tutor-e2e-"));
  const db = path.join(tmp, "db");
  // An empty model folder: the e2e runs are the same with or without a downloaded embedding model
  // (full-text retrieval, so the full-text banner shows).
  const models = path.join(tmp, "models");
  mkdirSync(models);
  const common = { TUTOR_DB_DIR: db, TUTOR_MODEL_DIR: models, LOG_LEVEL: "warn", TUTOR_RATE_LIMIT_PER_MINUTE: "0", TUTOR_LLM_CALLS_PER_MINUTE: "0", NEXT_TELEMETRY_DISABLED: "1" };

  if (process.env.E2E_SKIP_BUILD !== "1" || !existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
    const log = path.join(tmp, "next-build.log");
    process.stdout.write(`e2e: next build (log: ${log})\n`);
    run(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], { NEXT_TELEMETRY_DISABLED: "1" }, "next build", log);
  }
  process.stdout.write("e2e: ingesting content/demo-course\n");
  run(process.execPath, ["--import", "tsx", "scripts/ingest.ts", "content/demo-course", "--db", db], common, "ingest");
  // A second store with two courses (the demo and tests/e2e/courses/la-demo): the course picker and per-course chats.
  const twoDb = path.join(tmp, "db-two");
  const two = { ...common, TUTOR_DB_DIR: twoDb };
  run(process.execPath, ["--import", "tsx", "scripts/ingest.ts", "content/demo-course", "--db", twoDb], two, "ingest (two courses)");
  run(process.execPath, ["--import", "tsx", "scripts/ingest.ts", "tests/e2e/courses/la-demo", "--db", twoDb], two, "ingest (two courses)");

  const fake = await startFakeOpenAI({ script: e2eScript });
  const apps: RunningApp[] = [];
  try {
    const withLlm = await startNextApp({ ...common, TUTOR_LLM_PROVIDER: "openai-compatible", TUTOR_LLM_BASE_URL: fake.url, TUTOR_LLM_MODEL: "fake", TUTOR_LLM_TIMEOUT_MS: "15000" }, "fake LLM");
    apps.push(withLlm);
    const noLlm = await startNextApp({ ...common, TUTOR_LLM_PROVIDER: "none" }, "no LLM");
    apps.push(noLlm);
    const twoCourses = await startNextApp({ ...two, TUTOR_LLM_PROVIDER: "none" }, "two courses, no LLM");
    apps.push(twoCourses);
    process.env.E2E_TWO_COURSES_URL = twoCourses.url;
    process.env.E2E_APP_URL = withLlm.url;
    process.env.E2E_NOLLM_URL = noLlm.url;
    process.stdout.write(`e2e: app ${withLlm.url} (fake LLM ${fake.url}), no-LLM app ${noLlm.url}\n`);
  } catch (e) {
    await Promise.all(apps.map((a) => a.stop()));
    await fake.close();
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await fake.close();
    rmSync(tmp, { recursive: true, force: true });
  };
}
