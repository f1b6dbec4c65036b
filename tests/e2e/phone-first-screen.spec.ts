import type { Page } from "@playwright/test";
import { expectAccessible, LOOKS, lookOptions } from "./axe";
import { expect, test } from "./fixtures";

/**
 * A phone's first screen (issue 14): the notices above the chat are one line each and take at most 15 % of the
 * screen, a fresh page does not scroll away from its heading, a hidden notice stays hidden; `/course` follows
 * the course chosen in a store of several.
 */

/** After the page's own effects, the KaTeX warm-up and its fonts: whatever scrolling the load does has happened. */
async function settled(page: Page): Promise<void> {
  await expect(page.getByTestId("chat-app")).toHaveAttribute("data-ready", "true");
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  await expect(page.getByTestId("markdown-warm-up")).toHaveCount(0);
}

async function bannersHeight(page: Page): Promise<number> {
  return page.locator(".banners").evaluate((el) => el.getBoundingClientRect().height);
}

for (const look of LOOKS.filter((l) => l.phone)) {
  const slug = look.name.replace(" ", "-");

  test.describe(`first screen (${look.name})`, () => {
    test.use({ ...lookOptions(look), llm: "none" });

    test("the notices are one line each, ≤ 15 % of the screen, and the page starts at its heading", async ({ chat, page }) => {
      const screen = look.viewport.height;
      // Also on a small phone (iPhone SE), where the empty chat is taller than the screen: scrolling its end into
      // view on load moved the page down and hid the heading.
      for (const height of [667, screen]) {
        await page.setViewportSize({ width: look.viewport.width, height });
        await page.goto("/");
        await settled(page);
        expect(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight), `${height}px: the page can scroll`).toBeGreaterThanOrEqual(height < screen ? 1 : 0);
        expect(await page.evaluate(() => window.scrollY), `scrolled on load (${height}px screen)`).toBe(0);
        await expect(page.getByRole("heading", { level: 1 })).toBeInViewport();
        await expect(page.getByTestId("welcome").getByRole("heading", { level: 2 })).toBeInViewport();
        expect(await bannersHeight(page), `notices on a ${height}px screen`).toBeLessThanOrEqual(0.15 * height);
      }

      const noLlm = page.getByTestId("banner-no-llm");
      const fulltext = page.getByTestId("banner-fulltext");
      await expect(noLlm).toBeVisible();
      await expect(fulltext).toBeVisible();
      for (const b of [noLlm, fulltext]) expect((await b.boundingBox())!.height).toBeLessThanOrEqual(40);
      expect(await bannersHeight(page)).toBeLessThanOrEqual(0.15 * screen);
      await expectAccessible(page, `first screen, two notices (${look.name})`);
      await chat.screenshot(`20-phone-first-screen-${slug}`);

      // Hint mode adds a third notice: still within 15 %.
      await chat.hintSwitch.check();
      await expect(page.getByTestId("banner-hint")).toBeVisible();
      expect(await bannersHeight(page)).toBeLessThanOrEqual(0.15 * screen);
      await chat.hintSwitch.uncheck();

      // "More" opens the whole notice; it was there all along, one tap away.
      const more = noLlm.locator("summary");
      await expect(noLlm.getByText("a ready prompt you can copy")).toBeHidden();
      await more.tap();
      await expect(noLlm.getByText("a ready prompt you can copy")).toBeVisible();
      await expectAccessible(page, `a notice opened (${look.name})`);
      await more.tap();
      await expect(noLlm.getByText("a ready prompt you can copy")).toBeHidden();
    });

    test("a hidden notice stays hidden after a reload; focus moves to the next one", async ({ chat, page }) => {
      await page.goto("/");
      await settled(page);
      await page.getByTestId("banner-hide-no-llm").focus();
      await page.keyboard.press("Enter");
      await expect(page.getByTestId("banner-no-llm")).toHaveCount(0);
      await expect(page.getByTestId("banner-fulltext").locator("summary")).toBeFocused();
      await page.getByTestId("banner-hide-fulltext").tap();
      await expect(page.getByTestId("banner-fulltext")).toHaveCount(0);
      await expect(chat.hintSwitch).toBeFocused();
      await expectAccessible(page, `notices hidden (${look.name})`);

      await page.reload();
      await settled(page);
      await expect(page.getByTestId("banner-no-llm")).toHaveCount(0);
      await expect(page.getByTestId("banner-fulltext")).toHaveCount(0);
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      // Only the notices hidden: the answers still say what they are.
      await chat.ask("What does Exercise 1.41 ask?");
      await expect(await chat.waitForAnswer()).toContainText("element-chasing");
    });
  });

  test.describe(`the outline page in a store of two courses (${look.name})`, () => {
    test.use({ ...lookOptions(look), llm: "two-courses" });

    test("/course offers each course's outline, then follows the course chosen in the chat", async ({ page }) => {
      const res = await page.goto("/course");
      expect(res?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Choose a course's outline");
      await expect(page.getByText("several courses")).toHaveCount(0);
      await expectAccessible(page, `outline picker (${look.name})`);
      await page.getByRole("link", { name: /Linear Algebra Basics/ }).tap();
      await expect(page).toHaveURL(/\/course\?course=la-demo$/);
      await expect(page.getByTestId("outline")).toContainText("Linear combinations");

      // Chosen in the chat: the header's "Outline" opens that course's, and so does a bare /course.
      await page.goto("/c/imo-demo");
      await expect(page.getByTestId("chat-app")).toHaveAttribute("data-ready", "true");
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Outline" }).tap();
      await expect(page).toHaveURL(/\/course\?course=imo-demo$/);
      await expect(page.getByTestId("outline")).toContainText("Numbers, logic and sets");
      await page.goto("/course");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Introduction to Mathematics/);
      await expect(page.getByTestId("outline")).not.toContainText("Linear combinations");
      await expectAccessible(page, `a course's outline (${look.name})`);
    });
  });
}
