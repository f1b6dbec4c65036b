import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`accessibility (${colorScheme})`, () => {
    test.use({ colorScheme });

    test(`axe: no serious or critical violations — empty chat, answer, passage panel (${colorScheme})`, async ({ chat, page }) => {
      await chat.goto();
      expect(await seriousViolations(page)).toEqual([]);

      await chat.ask("How do I prove Exercise 1.41? Is $A \\setminus B = A \\cap B^c$?");
      const answer = await chat.waitForAnswer();
      await chat.chip("Exercise 1.41", answer).click();
      await expect(chat.panelText).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await chat.screenshot(`06-answer-${colorScheme}`);
    });
  });
}

test("screen-reader structure: labelled regions and a live log", async ({ chat, page }) => {
  await chat.goto();
  await expect(page.getByRole("log", { name: "Conversation" })).toHaveAttribute("aria-live", "polite");
  await expect(page.getByRole("textbox", { name: "Ask about the notes" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Course outline" })).toBeVisible();
  await chat.ask("What does Exercise 1.41 ask?");
  await chat.waitForAnswer();
  await expect(page.getByTestId("chat-status")).toHaveText("Answer complete.");
  await chat.chip("Exercise 1.41").click();
  await expect(page.getByRole("dialog", { name: "Exercise 1.41" })).toBeVisible();
});
