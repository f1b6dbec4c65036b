import { expect, test } from "./fixtures";

test.describe("no LLM configured (TUTOR_LLM_PROVIDER=none)", () => {
  test.use({ llm: "none" });

  test("says so, answers with the passages and offers the ready prompt", async ({ chat, page }) => {
    await chat.goto();
    await expect(page.getByTestId("banner-no-llm")).toContainText("No language model is configured");
    await chat.ask("What does Exercise 1.41 ask?");
    const answer = await chat.waitForAnswer();
    await expect(answer.getByTestId("notice-no-llm")).toHaveCount(0); // said once, in the banner
    await expect(answer).toContainText("element-chasing");
    await expect(answer.locator(".katex").first()).toBeVisible();
    await expect(chat.chip("Exercise 1.41", answer).first()).toBeVisible();
    await answer.getByTestId("sources").scrollIntoViewIfNeeded();
    await chat.screenshot("11-no-llm");

    await answer.getByTestId("copy-prompt").click();
    await expect(answer.getByTestId("copy-status")).toContainText("Prompt copied");
    const prompt = await page.evaluate(() => navigator.clipboard.readText());
    expect(prompt).toContain("What does Exercise 1.41 ask?");
    expect(prompt).toContain("element-chasing");
  });
});
