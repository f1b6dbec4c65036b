/**
 * First-token benchmark (`npm run bench:first-token [-- --runs=10] [--think-ms=1000] [--json]`): how long a student waits for
 * the first word of the first answer after opening the chat, against the built app (`server.ts`, as
 * `npm start` runs it) with the demo course and the scripted OpenAI-protocol LLM (which answers at once,
 * so what is measured is the app). Debian's Chromium opens the page in a fresh browser context each run (no
 * cache, no storage: a fresh page load), asks a question, and the page itself stamps the time from the key
 * press to the first answer text on screen. Each run then asks a second question on the same page, the
 * "warm" figure the first one should match.
 *
 * The question is sent `--think-ms` (default 1000) after the page is ready, as a student would after reading
 * and typing; `--think-ms=0` is the worst case.
 *
 * Printed: the very first question after the server started (run 0, also a fresh page), then p50/p90/max of
 * the fresh-page first questions and of the warm second ones, each split into the request's wait for the
 * response headers (server: retrieval, prompt) and the rest (stream to screen). A benchmark: it prints
 * numbers and asserts nothing. Needs `next build` first.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { ingestCourse } from "../lib/ingest/ingest-course";
import { startNextApp } from "../tests/support/next-app";
import { startFakeOpenAI } from "../tests/support/openai-server";

const ROOT = path.resolve(import.meta.dirname, "..");
const CHROMIUM = "/usr/bin/chromium";
const runsArg = process.argv.find((a) => a.startsWith("--runs="));
const RUNS = runsArg ? Number(runsArg.split("=")[1]) : 10;
const json = process.argv.includes("--json");
const thinkArg = process.argv.find((a) => a.startsWith("--think-ms="));
/**
 * From the page being ready to the question being sent: a student reads the page and types (several
 * seconds in practice); 1 s by default. `--think-ms=0` sends at once, the worst case.
 */
const THINK_MS = thinkArg ? Number(thinkArg.split("=")[1]) : 1000;
const log = (m: string) => process.stderr.write(`${m}\n`);

/** Different questions, so no run is helped by a cache a student would not have hit. */
const QUESTIONS = [
  "How do I prove the identity in Exercise 1.41?",
  "What is a convex function?",
  "Explain the mean value theorem with an example.",
  "What does Section 1.6 say about sets?",
  "How is the derivative defined?",
  "What is a bijection?",
];

interface Sample {
  /** Key press → first answer text on screen, ms. */
  firstText: number;
  /** Key press → response headers of POST /api/chat, ms (the server's part before streaming). */
  headers: number;
}

/**
 * Arms a watcher in the page: the time of the key press is taken by the page (keydown, capture phase), the
 * first text of a new answer by a MutationObserver; both on the page's own clock.
 */
async function askAndTime(page: Page, question: string): Promise<Sample> {
  const answersBefore = await page.getByTestId("assistant-message").count();
  await page.getByTestId("question").fill(question);
  // A string, not a function: tsx names functions with a helper the page does not have.
  await page.evaluate(`(() => {
    const before = ${answersBefore};
    const t = (window.__t = {});
    document.getElementById("question").addEventListener("keydown", (e) => {
      if (e.key === "Enter") t.pressed = performance.now();
    }, { capture: true, once: true });
    const observer = new MutationObserver(() => {
      const answers = document.querySelectorAll('[data-testid="assistant-message"]');
      const last = answers[answers.length - 1];
      if (answers.length > before && last && last.querySelector(".markdown")?.textContent?.trim()) {
        t.first = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.querySelector('[data-testid="messages"]'), { subtree: true, childList: true, characterData: true });
  })()`);
  const response = page.waitForResponse((r) => r.url().endsWith("/api/chat") && r.request().method() === "POST");
  await page.getByTestId("question").press("Enter");
  const res = await response;
  await page.waitForFunction("window.__t.first !== undefined", null, { timeout: 30_000 });
  await page.waitForSelector('[data-testid="messages"][data-status="ready"]', { timeout: 30_000 });
  const t = (await page.evaluate("window.__t")) as { pressed: number; first: number };
  const timing = res.request().timing();
  // timing.startTime is epoch ms; responseStart is relative to it. The page's clock is performance.now().
  const sentAt = (await page.evaluate(`${timing.startTime} - performance.timeOrigin`)) as number;
  return { firstText: t.first - t.pressed, headers: sentAt + timing.responseStart - t.pressed };
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

const s = (ms: number) => (ms / 1000).toFixed(3);

async function main() {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("no production build: run `npx next build` first");
  if (!existsSync(CHROMIUM)) throw new Error(`Debian's Chromium is missing (${CHROMIUM}): apt-get install -y chromium`);
  const tmp = mkdtempSync(path.join(tmpdir(), "tutor-bench-first-"));
  const db = path.join(tmp, "db");
  log("ingesting content/demo-course (full text)");
  await ingestCourse({ path: path.join(ROOT, "content/demo-course"), db, embedder: null, modelStatus: { available: false, modelId: "none" } });
  const fake = await startFakeOpenAI();
  const app = await startNextApp(
    {
      TUTOR_DB_DIR: db,
      TUTOR_MODEL_DIR: path.join(tmp, "no-models"),
      TUTOR_LLM_PROVIDER: "openai-compatible",
      TUTOR_LLM_BASE_URL: fake.url,
      TUTOR_LLM_MODEL: "fake",
      TUTOR_RATE_LIMIT_PER_MINUTE: "0",
      TUTOR_LLM_CALLS_PER_MINUTE: "0",
    },
    "bench",
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
  const first: Sample[] = [];
  const warm: Sample[] = [];
  try {
    for (let i = 0; i <= RUNS; i++) {
      // bypassCSP: the page's CSP forbids eval, which Playwright's string predicates use (no effect on timing).
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(app.url + "/");
      await page.waitForSelector('[data-testid="chat-app"][data-ready="true"]');
      await page.waitForTimeout(THINK_MS);
      const a = await askAndTime(page, QUESTIONS[i % QUESTIONS.length]);
      const b = await askAndTime(page, QUESTIONS[(i + 3) % QUESTIONS.length]);
      first.push(a);
      warm.push(b);
      log(`run ${i}${i === 0 ? " (server's first question)" : ""}: first question ${s(a.firstText)} s (headers ${s(a.headers)} s), second ${s(b.firstText)} s (headers ${s(b.headers)} s)`);
      await context.close();
    }
  } finally {
    await browser.close();
    await app.stop();
    await fake.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  const fresh = first.slice(1);
  const summary = (xs: Sample[]) => ({
    p50: quantile(xs.map((x) => x.firstText), 0.5),
    p90: quantile(xs.map((x) => x.firstText), 0.9),
    max: Math.max(...xs.map((x) => x.firstText)),
    headersP50: quantile(xs.map((x) => x.headers), 0.5),
  });
  const result = { runs: RUNS, thinkMs: THINK_MS, serverFirst: first[0], freshPage: summary(fresh), warm: summary(warm.slice(1)) };
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const line = (name: string, x: ReturnType<typeof summary>) =>
    `${name.padEnd(34)} p50 ${s(x.p50)} s  p90 ${s(x.p90)} s  max ${s(x.max)} s  (response headers p50 ${s(x.headersP50)} s)`;
  process.stdout.write(
    [
      `first token on screen, scripted LLM, ${RUNS} fresh page loads, question sent ${THINK_MS} ms after the page is ready (target: fresh-page p50 ≤ 0.600 s)`,
      `${"server's first question".padEnd(34)} ${s(first[0].firstText)} s  (response headers ${s(first[0].headers)} s)`,
      line("first question on a fresh page", result.freshPage),
      line("second question, same page", result.warm),
    ].join("\n") + "\n",
  );
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exit(1);
});
