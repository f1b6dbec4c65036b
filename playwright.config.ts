import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests: Debian's Chromium (/usr/bin/chromium, never a downloaded browser) drives the built app.
 * tests/e2e/global-setup.ts builds the app (unless E2E_SKIP_BUILD=1), ingests the demo course into a temp
 * store, starts the fake OpenAI-compatible LLM and three app instances (`server.ts`, as `npm start`: with the fake LLM, with
 * TUTOR_LLM_PROVIDER=none, and without an LLM over a store of two courses); tests pick one with the `llm` option
 * (tests/e2e/fixtures.ts).
 */
export default defineConfig({
  testDir: "tests/e2e",
  globalSetup: "./tests/e2e/global-setup.ts",
  workers: 1,
  retries: 0,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: "test-results/e2e",
  use: {
    browserName: "chromium",
    headless: true,
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
});
