import { expect, test } from "./fixtures";

test.describe("phone (390×844)", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("chat, passage panel and outline fit a phone screen", async ({ chat, page }) => {
    await chat.goto();
    await expect(chat.drawer).toBeHidden(); // closed by default on a small screen
    await chat.screenshot("07-phone-empty");

    await chat.ask("How do I prove the identity in Exercise 1.41? Is $A \\setminus (B \\cup C) = (A \\setminus B) \\cap (A \\setminus C)$?");
    const answer = await chat.waitForAnswer();
    await expect(answer.locator(".katex-display")).toHaveCount(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await chat.screenshot("08-phone-answer");

    await chat.chip("Exercise 1.41", answer).tap();
    await expect(chat.panel).toBeVisible();
    const box = await chat.panel.boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(380); // the panel takes the whole screen
    await expect(chat.panelText).toContainText("element-chasing");
    await chat.screenshot("09-phone-passage");
    await page.getByTestId("citation-panel-close").tap();
    await expect(chat.panel).toBeHidden();

    await chat.toggleOutline.tap();
    await expect(chat.drawer).toBeVisible();
    const outline = page.getByRole("navigation", { name: "Course outline" });
    await outline.getByText("Chapter 1: Numbers, logic and sets").tap();
    await outline.getByText("Section 1.6: More on sets").tap();
    await chat.screenshot("10-phone-outline");
    const request = page.waitForRequest((r) => r.url().endsWith("/api/chat"));
    await outline.getByRole("button", { name: /^Ask about Exercise 1\.41/ }).tap();
    await request;
    await expect(chat.drawer).toBeHidden();
    await chat.waitForAnswer();
    await expect(chat.userMessages.last()).toContainText("Exercise 1.41");
  });

  test("keyboard: the outline drawer takes focus when it opens, Escape closes it and focus returns", async ({ chat, page }) => {
    await chat.goto();
    await chat.toggleOutline.focus();
    await page.keyboard.press("Enter");
    await expect(chat.drawer).toBeVisible();
    await expect(page.getByRole("button", { name: "Close outline" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(chat.drawer).toBeHidden();
    await expect(chat.toggleOutline).toBeFocused();
    // Also when focus had fallen to the page itself.
    await page.keyboard.press("Enter");
    await expect(chat.drawer).toBeVisible();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("Escape");
    await expect(chat.drawer).toBeHidden();
    await expect(chat.toggleOutline).toBeFocused();
  });
});
