import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startNextApp, type RunningApp } from "../support/next-app";
import { startFakeOpenAI } from "../support/openai-server";
import { compileDemoPdf, demoCourseWithPdf, popplerPages } from "../support/pdf-fixtures";
import { expect, test } from "./fixtures";

/**
 * A course read from a PDF, in the browser: the demo course with its LaTeX chapters given as the PDF
 * pdflatex makes of them (compiled here), ingested into a store of its own and served by an app instance
 * of its own (with the fake LLM). A citation's panel shows the page, rendered with the passage highlighted, and
 * opens the PDF at it.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let tmp = "";
let app: RunningApp | undefined;
let fake: Awaited<ReturnType<typeof startFakeOpenAI>> | undefined;
let pdf = "";

test.beforeAll(async () => {
  test.setTimeout(300_000);
  tmp = mkdtempSync(path.join(tmpdir(), "tutor-e2e-pdf-"));
  pdf = compileDemoPdf(tmp);
  const course = demoCourseWithPdf(tmp, pdf);
  const env = { TUTOR_DB_DIR: path.join(tmp, "db"), TUTOR_MODEL_DIR: path.join(tmp, "no-models"), LOG_LEVEL: "warn", TUTOR_RATE_LIMIT_PER_MINUTE: "0", TUTOR_LLM_CALLS_PER_MINUTE: "0" };
  execFileSync(process.execPath, ["--import", "tsx", "scripts/ingest.ts", course, "--tex", "none"], { cwd: ROOT, env: { ...process.env, ...env }, stdio: "pipe" });
  fake = await startFakeOpenAI({});
  app = await startNextApp({ ...env, TUTOR_LLM_PROVIDER: "openai-compatible", TUTOR_LLM_BASE_URL: fake.url, TUTOR_LLM_MODEL: "fake" }, "PDF course");
});

test.afterAll(async () => {
  await app?.stop();
  await fake?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test("a citation of the PDF shows its page, rendered with the passage highlighted, and opens the PDF at that page", async ({ page, context }) => {
  await page.goto(`${app!.url}/`);
  await page.getByTestId("question").fill("Explain Theorem 3.12, Taylor's theorem with Lagrange remainder");
  await page.getByTestId("send").click();
  const answer = page.getByTestId("assistant-message").last();
  const chip = answer.getByTestId("citation-chip").and(answer.locator("[data-verdict='verified']")).first();
  await expect(chip).toBeVisible({ timeout: 30_000 });
  const label = (await chip.getAttribute("data-label"))!;
  await chip.click();

  const source = page.getByTestId("citation-panel-source");
  await expect(source).toHaveText(/notes\.pdf, pages? \d+/);
  const link = page.getByTestId("citation-panel-pdf");
  const href = (await link.getAttribute("href"))!;
  const shown = Number(/#page=(\d+)$/.exec(href)![1]);
  expect(await source.textContent()).toContain(`page${/pages/.test((await source.textContent())!) ? "s" : ""} ${shown}`);
  // The page poppler's pdftotext finds the label printed on (an item at the start of a line, a heading as "3.2 Title").
  const printed = popplerPages(pdf)[shown - 1];
  const number = label.replace(/^\S+\s+/, "");
  expect(printed).toMatch(new RegExp(`^\\s*(${label.replace(/\./g, "\\.")}|${number.replace(/\./g, "\\.")}\\s)`, "m"));

  // The page, rendered, with the passage highlighted on it.
  const view = page.getByTestId("pdf-page-view");
  await expect(view).toBeVisible({ timeout: 30_000 });
  await expect(view).toHaveAttribute("data-page", String(shown));
  await expect.poll(() => view.locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 30_000 }).toBe(true);
  const marks = view.getByTestId("pdf-highlight");
  expect(await marks.count()).toBeGreaterThan(0);
  const frame = (await view.locator(".pdf-page-frame").boundingBox())!;
  const mark = (await marks.first().boundingBox())!;
  // A highlight lies on the page image, not outside it.
  expect(mark.width).toBeGreaterThan(5);
  expect(mark.x).toBeGreaterThanOrEqual(frame.x - 1);
  expect(mark.y + mark.height).toBeLessThanOrEqual(frame.y + frame.height + 1);

  // The link serves the course's PDF …
  const res = await context.request.get(`${app!.url}${href.split("#")[0]}`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/pdf");
  expect((await res.body()).subarray(0, 5).toString()).toBe("%PDF-");
  // … and opens it at the page, in a new tab.
  const [tab] = await Promise.all([context.waitForEvent("page"), link.click()]);
  await tab.waitForURL(/\/api\/pdf\?course=imo-demo-pdf&file=notes\.pdf#page=\d+$/, { waitUntil: "commit" }).catch(() => undefined);
  expect(tab.url()).toContain(`#page=${shown}`);

  // The citation's own page says the same.
  await page.goto(`${app!.url}/cite/${encodeURIComponent(label)}`);
  await expect(page.getByTestId("cite-source")).toContainText(`notes.pdf, page`);
  await expect(page.getByTestId("cite-pdf-link")).toHaveAttribute("href", href);
  await expect(page.getByTestId("pdf-page-view")).toHaveAttribute("data-page", String(shown));
  await expect(page.getByTestId("pdf-page-view").getByTestId("pdf-highlight").first()).toBeVisible();
});
