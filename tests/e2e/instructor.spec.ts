import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { startNextApp, type RunningApp } from "../support/next-app";
import { expectAccessible } from "./axe";

/**
 * The instructor page (issue 16) in the browser. The global setup's apps run without TUTOR_INSTRUCTOR_TOKEN
 * (the page must not exist there); this file starts its own app with a token over a store of the demo course
 * with insights on and 2,000 questions seeded over 100 days, and checks sign-in, the figures, the CSV and axe in light and dark.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TOKEN = "e2e-instructor-token-0123456789abcdef";
const ROWS = 2000;

let app: RunningApp | undefined;
let tmp = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  tmp = mkdtempSync(path.join(tmpdir(), "tutor-e2e-instructor-"));
  const course = path.join(tmp, "course");
  cpSync(path.join(ROOT, "content/demo-course"), course, { recursive: true });
  const json = JSON.parse(readFileSync(path.join(course, "course.json"), "utf8"));
  writeFileSync(path.join(course, "course.json"), JSON.stringify({ ...json, insights: { keepQuestions: true } }, null, 2));
  const db = path.join(tmp, "db");
  const seeded = spawnSync(process.execPath, ["--import", "tsx", "tests/e2e/seed-instructor.ts", db, course, String(ROWS)], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, LOG_LEVEL: "warn", TUTOR_MODEL_DIR: path.join(tmp, "no-models") },
  });
  if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
  app = await startNextApp(
    { TUTOR_DB_DIR: db, TUTOR_MODEL_DIR: path.join(tmp, "no-models"), TUTOR_INSTRUCTOR_TOKEN: TOKEN, TUTOR_LLM_PROVIDER: "none", TUTOR_RATE_LIMIT_PER_MINUTE: "0" },
    "instructor",
  );
});

test.afterAll(async () => {
  await app?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test("without TUTOR_INSTRUCTOR_TOKEN the page and its APIs do not exist", async ({ page, request }) => {
  const base = process.env.E2E_NOLLM_URL;
  if (!base) throw new Error("E2E_NOLLM_URL is unset: run with `npx playwright test` (the global setup starts the apps)");
  const res = await page.goto(`${base}/instructor/imo-demo`);
  expect(res?.status()).toBe(404);
  await expect(page.getByText(/could not be found|not found/i).first()).toBeVisible();
  for (const p of ["/api/instructor/imo-demo", "/api/instructor/imo-demo/export.csv"]) {
    expect((await request.get(`${base}${p}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status(), p).toBe(404);
  }
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`sign in, read the figures, download the CSV, sign out (${colorScheme})`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 }, baseURL: app!.url });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && !/Failed to load resource/.test(m.text())) problems.push(m.text());
    });

    const first = await page.goto("/instructor/imo-demo");
    expect(first?.status()).toBe(401);
    await expect(page.getByRole("heading", { name: "Instructor sign-in" })).toBeVisible();
    await expectAccessible(page, `instructor sign-in (${colorScheme})`);

    await page.getByLabel("Instructor token").fill("not-the-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("sign-in-failed")).toBeVisible();
    expect(page.url()).not.toContain("not-the-token");

    await page.getByLabel("Instructor token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/instructor\/imo-demo$/);
    expect(page.url()).not.toContain(TOKEN);
    await expect(page.getByTestId("instructor-page")).toBeVisible();
    const cookie = (await context.cookies()).find((c) => c.name === "tutor-instructor");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    expect(cookie?.value).not.toContain(TOKEN);

    // The figures of the default period (30 days) are those the JSON API gives for it.
    const api = await (await context.request.get("/api/instructor/imo-demo?period=30d")).json();
    await expect(page.getByTestId("total-questions")).toHaveText(String(api.totals.questions));
    expect(api.totals.questions).toBeGreaterThan(200);
    const top = api.topExercises[0];
    await expect(page.locator(`.heat-items li[data-label="${top.label}"]`).first()).toHaveAttribute("data-count", String(top.questions));
    await expect(page.getByTestId("top-exercises").locator("tbody tr").first()).toContainText(top.label);
    await expect(page.getByTestId("not-covered")).toContainText("sourdough");
    await expectAccessible(page, `instructor page (${colorScheme})`);
    // The tables behind the charts, opened.
    for (const summary of await page.getByText("The numbers as a table").all()) await summary.click();
    await expect(page.getByTestId("weeks")).toBeVisible();
    await expectAccessible(page, `instructor page, tables open (${colorScheme})`);

    await page.getByRole("link", { name: "All", exact: true }).click();
    await expect(page).toHaveURL(/period=all$/);
    await expect(page.getByTestId("total-questions")).toHaveText(String(ROWS));

    const download = page.waitForEvent("download");
    await page.getByTestId("csv-link").click();
    const file = await (await download).path();
    const csv = readFileSync(file, "utf8").split("\r\n");
    expect(csv[0]).toBe("kind,label,title,parent,questions,not_covered,ungrounded,thumbs_down,terms,example");
    expect(csv[1]).toMatch(new RegExp(`^total,imo-demo,.*,all,${ROWS},`));

    // An unknown course: a 404 page that links the instructor pages of the courses there are.
    const miss = await page.goto("/instructor/no-such-course");
    expect(miss?.status()).toBe(404);
    await expect(page.getByTestId("course-not-found")).toContainText("No course “no-such-course” here");
    await page.getByRole("link", { name: "imo-demo", exact: true }).click();
    await expect(page).toHaveURL(/\/instructor\/imo-demo$/);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.goto("/instructor/imo-demo");
    await expect(page.getByRole("heading", { name: "Instructor sign-in" })).toBeVisible();
    expect(problems).toEqual([]);
    await context.close();
  });
}
