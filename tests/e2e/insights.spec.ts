import AxeBuilder from "@axe-core/playwright";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test as base, type Page } from "@playwright/test";
import { queryInsights } from "../../lib/insights/store";
import { startNextApp, type RunningApp } from "../support/next-app";
import { startFakeOpenAI, type FakeOpenAI } from "../support/openai-server";
import { chatPageFixture } from "./fixtures";
import { ChatPage } from "./pages/chat";

/**
 * Issue 16 in the browser: on a course whose course.json turns insights on, the chat says once what is recorded,
 * each answer takes a 👍/👎 and a comment, kept in this browser and sent to the instructor's table (read back after
 * the server stopped: its buffer is written at shutdown). On the global setup's demo course (insights off) the
 * thumbs stay in the browser and nothing is sent.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let tmp: string;
let db: string;
let app: RunningApp;
let fake: FakeOpenAI;

const test = base.extend<{ chat: ChatPage }>({ chat: chatPageFixture });

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  tmp = mkdtempSync(path.join(tmpdir(), "tutor-e2e-insights-"));
  db = path.join(tmp, "db");
  const course = path.join(tmp, "course");
  cpSync(path.join(ROOT, "content/demo-course"), course, { recursive: true });
  const json = JSON.parse(readFileSync(path.join(course, "course.json"), "utf8"));
  writeFileSync(path.join(course, "course.json"), JSON.stringify({ ...json, insights: { retentionDays: 90 } }, null, 2));
  const models = path.join(tmp, "models");
  const env = { ...process.env, TUTOR_DB_DIR: db, TUTOR_MODEL_DIR: models, LOG_LEVEL: "warn" };
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/ingest.ts", course, "--db", db, "--tex", "none"], { cwd: ROOT, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ingest failed: ${r.stderr}`);
  fake = await startFakeOpenAI({ script: () => ({ text: "Start from [Exercise 1.41] and write $A \\setminus B$ out." }) });
  app = await startNextApp(
    { TUTOR_DB_DIR: db, TUTOR_MODEL_DIR: models, TUTOR_RATE_LIMIT_PER_MINUTE: "0", TUTOR_LLM_CALLS_PER_MINUTE: "0", TUTOR_LLM_PROVIDER: "openai-compatible", TUTOR_LLM_BASE_URL: fake.url, TUTOR_LLM_MODEL: "fake" },
    "insights on",
  );
});
test.afterAll(async () => {
  await app?.stop();
  await fake?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}

test("insights on: the notice says what is recorded, once; thumbs and a comment reach the instructor's table", async ({ chat, page }) => {
  await page.goto(`${app.url}/`);
  await expect(chat.app).toHaveAttribute("data-ready", "true");
  const notice = page.getByTestId("banner-insights");
  await expect(notice).toContainText("Your instructor sees what the class asks");
  await notice.locator("summary").click();
  await expect(notice).toContainText("The text of your question is not kept.");
  await expect(notice).toContainText("deleted after 90 days");

  await chat.ask("How do I prove the identity in Exercise 1.41?");
  const answer = await chat.waitForAnswer();
  const down = answer.getByRole("button", { name: "Not helpful" });
  await expect(down).toHaveAttribute("aria-pressed", "false");
  const sentRating = page.waitForResponse((r) => r.url().endsWith("/api/feedback"));
  await down.click();
  expect((await sentRating).status()).toBe(200);
  await expect(down).toHaveAttribute("aria-pressed", "true");
  await answer.getByTestId("feedback-comment").fill("It skips the step with the complement.");
  const sentComment = page.waitForResponse((r) => r.url().endsWith("/api/feedback"));
  await answer.getByTestId("feedback-comment-send").click();
  const response = await sentComment;
  expect(response.status()).toBe(200);
  expect(JSON.parse(response.request().postData() ?? "{}")).toMatchObject({ course: "imo-demo", rating: "down", comment: "It skips the step with the complement." });
  await expect(answer.getByTestId("feedback-status")).toHaveText("Thanks: sent to your instructor, without your name.");
  expect(await seriousViolations(page)).toEqual([]);

  // Hidden for good in this browser; the thumbs stay with the conversation after a reload.
  await notice.getByTestId("banner-hide-insights").click();
  await expect(notice).toHaveCount(0);
  await page.reload();
  await expect(chat.app).toHaveAttribute("data-ready", "true");
  await expect(page.getByTestId("banner-insights")).toHaveCount(0);
  await expect(chat.lastAnswer().getByRole("button", { name: "Not helpful" })).toHaveAttribute("aria-pressed", "true");

  // The server writes its buffer when it stops: one row, the thumbs and comment on it, no question text.
  await app.stop();
  const rows = await queryInsights({ db, course: "imo-demo" });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ named: ["Exercise 1.41"], cited: ["Exercise 1.41"], verdicts: ["verified"], rating: "down", comment: "It skips the step with the complement.", question: null });
});

test("insights off: the thumbs stay in the browser and nothing is sent", async ({ chat, page }) => {
  const url = process.env.E2E_APP_URL;
  if (!url) throw new Error("E2E_APP_URL is unset: run with `npx playwright test` (the global setup starts the apps)");
  const feedbackRequests: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/feedback")) feedbackRequests.push(r.url());
  });
  await page.goto(`${url}/`);
  await expect(chat.app).toHaveAttribute("data-ready", "true");
  await expect(page.getByTestId("banner-insights")).toHaveCount(0);
  await chat.ask("How do I prove the identity in Exercise 1.41?");
  const answer = await chat.waitForAnswer();
  const up = answer.getByRole("button", { name: "Helpful", exact: true });
  await up.click();
  await expect(up).toHaveAttribute("aria-pressed", "true");
  await expect(answer.getByTestId("feedback-status")).toHaveText("Saved in this browser.");
  await page.reload();
  await expect(chat.app).toHaveAttribute("data-ready", "true");
  await expect(chat.lastAnswer().getByRole("button", { name: "Helpful", exact: true })).toHaveAttribute("aria-pressed", "true");
  expect(feedbackRequests).toEqual([]);
});
