import type { Locator } from "@playwright/test";
import { expectAccessible, LOOKS, lookOptions } from "./axe";
import { expect, test } from "./fixtures";

for (const look of LOOKS) {
  const slug = look.name.replace(" ", "-");
  const press = (l: Locator) => (look.phone ? l.tap() : l.click());

  test.describe(`no-LLM answer (${look.name})`, () => {
    test.use({ ...lookOptions(look), llm: "none" });

    test("the best passage whole, the others folded to heading and first line; the notes' cross-references are plain links", async ({ chat, page }) => {
      await chat.goto();
      await chat.ask("What does Exercise 1.41 ask?");
      const answer = await chat.waitForAnswer();
      const passages = answer.getByTestId("no-llm-passage");
      expect(await passages.count()).toBeGreaterThanOrEqual(2);
      const best = passages.first();
      await expect(best).toContainText("element-chasing");
      await expect(best.locator(".katex").first()).toBeVisible();

      const folded = passages.nth(1);
      await expect(folded).not.toHaveAttribute("open");
      const summary = folded.getByTestId("no-llm-passage-summary");
      await expect(summary).toBeVisible();
      await expect(folded.locator("blockquote")).toBeHidden();
      await press(summary);
      await expect(folded).toHaveAttribute("open");
      await expect(folded.locator("blockquote")).toBeVisible();

      // Quoted notes: their references are links to the passage, never verdict chips; no brackets left.
      await expect(answer.locator("blockquote [data-testid='citation-chip']")).toHaveCount(0);
      const xref = best.locator("blockquote [data-testid='citation-link']", { hasText: "Theorem 1.40" }).first();
      await expect(xref).toBeVisible();
      expect(await chat.proseText(answer.getByTestId("no-llm-answer"))).not.toMatch(/\[(?:Theorem|Example|Exercise|Section|Definition) \d/);
      await expectAccessible(page, `no-LLM answer, one passage unfolded (${look.name})`);
      await chat.screenshot(`15-no-llm-answer-${slug}`);

      await press(xref);
      await expect(chat.panelTitle).toContainText("Theorem 1.40");
      expect(await chat.proseText(chat.panelText)).not.toMatch(/\[(?:Theorem|Example) \d/);
    });

    test("hint mode: the exercise and its hints, no other passage", async ({ chat }) => {
      await chat.goto();
      await chat.hintSwitch.check();
      await chat.ask("A hint for Exercise 1.41, please");
      const answer = await chat.waitForAnswer();
      await expect(answer.getByTestId("no-llm-passage")).toHaveCount(1);
      await expect(answer).toContainText("element-chasing");
      await expect(answer).toContainText("Hint.");
      // The text around the exercise in its section is not shown.
      await expect(answer.getByTestId("no-llm-answer")).not.toContainText("Once the identities");
      await expect(answer.getByTestId("no-llm-answer")).not.toContainText("ordered pair");
      await expectAccessible(chat.page, `no-LLM hint answer (${look.name})`);
      await chat.screenshot(`16-no-llm-hint-${slug}`);
    });
  });
}
