import { test as base, expect, type Page } from "@playwright/test";
import { ChatPage } from "./pages/chat";

/** The chat page, failing the test on any uncaught exception or console error (hydration mismatch, React warning…). */
export async function chatPageFixture({ page }: { page: Page }, use: (chat: ChatPage) => Promise<void>): Promise<void> {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/Failed to load resource/.test(m.text())) problems.push(`console.error: ${m.text()}`);
  });
  await use(new ChatPage(page));
  expect(problems).toEqual([]);
}

/**
 * `llm`: which app instance of the global setup a test talks to — "fake" (the fake OpenAI-compatible
 * server), "none" (TUTOR_LLM_PROVIDER=none) or "two-courses" (no LLM, a store with two courses). Clipboard access is granted so "Copy prompt" can be read back.
 */
export const test = base.extend<{ llm: "fake" | "none" | "two-courses"; chat: ChatPage }>({
  llm: ["fake", { option: true }],
  baseURL: async ({ llm }, use) => {
    const url = llm === "none" ? process.env.E2E_NOLLM_URL : llm === "two-courses" ? process.env.E2E_TWO_COURSES_URL : process.env.E2E_APP_URL;
    if (!url) throw new Error("E2E_APP_URL / E2E_NOLLM_URL are unset: run the tests with `npx playwright test` (global setup starts the apps)");
    await use(url);
  },
  context: async ({ context, baseURL }, use) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
    await use(context);
  },
  chat: chatPageFixture,
});

export { expect };
