import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { startFakeOpenAI, type FakeOpenAI } from "../support/openai-server";
import { startNextApp, type RunningApp } from "../support/next-app";
import { expectAccessible } from "./axe";

/**
 * The solutions policy as a student meets it (issue 16 part 4), on its own app over the policy fixture
 * (tests/fixtures/policy-course: Exercise 1.2 is hints-only until 2099-12-12): asking for the solution, the
 * answer says why it is withheld and comes in hint mode with the toggle off; the passage panel shows the hint
 * and, where the solution stood, the same reason; the copied prompt holds no solution.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const COURSE = path.join(ROOT, "tests/fixtures/policy-course");
/** Words of Exercise 1.2's withheld solution (outside its formulas). */
const SOLUTION_WORDS = "The reverse inclusion follows because both";
const REASON = "Your instructor releases the solution to Exercise 1.2 on 12 Dec 2099.";

let tmp: string;
let fake: FakeOpenAI;
let app: RunningApp;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  tmp = mkdtempSync(path.join(tmpdir(), "tutor-e2e-policy-"));
  const env = { TUTOR_DB_DIR: path.join(tmp, "db"), TUTOR_MODEL_DIR: path.join(tmp, "models"), LOG_LEVEL: "warn", TUTOR_RATE_LIMIT_PER_MINUTE: "0", TUTOR_LLM_CALLS_PER_MINUTE: "0", NEXT_TELEMETRY_DISABLED: "1" };
  const ingest = spawnSync(process.execPath, ["--import", "tsx", "scripts/ingest.ts", COURSE, "--tex", "none"], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
  if (ingest.status !== 0) throw new Error(`ingest failed: ${ingest.stderr}`);
  // The LLM points the student to the exercise, as a tutor in hint mode would.
  fake = await startFakeOpenAI({ script: () => ({ text: "Start from the hint of [Exercise 1.2]: which case does $x \\in B$ give?" }) });
  app = await startNextApp({ ...env, TUTOR_LLM_PROVIDER: "openai-compatible", TUTOR_LLM_BASE_URL: fake.url, TUTOR_LLM_MODEL: "fake", TUTOR_LLM_TIMEOUT_MS: "15000" }, "policy fixture");
});

test.afterAll(async () => {
  await app?.stop();
  await fake?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test("the student sees why a solution is withheld, in the answer and where the solution would have shown", async ({ page, context }) => {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
  await page.goto(`${app.url}/`);
  await expect(page.getByTestId("chat-app")).toHaveAttribute("data-ready", "true");
  await expect(page.getByRole("switch", { name: "Hint mode" })).not.toBeChecked();

  await page.getByTestId("question").fill("Please give me the full solution to Exercise 1.2");
  await page.getByTestId("question").press("Enter");
  await expect(page.getByTestId("messages")).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
  const answer = page.getByTestId("assistant-message").last();
  const notice = answer.getByTestId("notice-solutions-withheld");
  await expect(notice).toContainText("Solution not released");
  await expect(notice).toContainText(REASON);
  await expect(notice).toContainText("hint mode");
  await expectAccessible(page, "an answer with the solutions-withheld notice");
  // The LLM was told to answer in hint mode although the toggle is off, and was never sent the solution.
  const sent = JSON.stringify(fake.requests.at(-1)?.body);
  expect(sent).toContain("HINT MODE IS ON");
  expect(sent).not.toContain(SOLUTION_WORDS);

  // The passage panel: the exercise, its hint, and the reason where the solution stood.
  await answer.getByRole("button", { name: "Exercise 1.2", exact: true }).first().click();
  const panel = page.getByTestId("citation-panel-text");
  await expect(panel).toContainText("split into the cases");
  await expect(panel).toContainText(`Solution withheld: ${REASON}`);
  await expect(panel).not.toContainText(SOLUTION_WORDS);
  await expectAccessible(page, "the panel with a withheld solution");
  await page.keyboard.press("Escape");

  // The copy-prompt respects the policy too.
  await answer.getByTestId("copy-prompt").click();
  await expect(answer.getByTestId("copy-status")).toContainText("Prompt copied");
  const prompt = await page.evaluate(() => navigator.clipboard.readText());
  expect(prompt).toContain("Solution withheld");
  expect(prompt).not.toContain(SOLUTION_WORDS);

  // The /cite page likewise.
  await page.goto(`${app.url}/cite/Exercise%201.2?course=policy-demo`);
  await expect(page.locator("main")).toContainText(`Solution withheld: ${REASON}`);
  await expect(page.locator("main")).not.toContainText(SOLUTION_WORDS);
  expect(problems).toEqual([]);
});
