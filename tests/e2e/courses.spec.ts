import type { Locator } from "@playwright/test";
import { expectAccessible, LOOKS, lookOptions } from "./axe";
import { expect, test } from "./fixtures";

const LA = "Linear Algebra Basics (second e2e course)";
const DEMO = "Introduction to Mathematics and Optimisation (demo notes)";

for (const look of LOOKS) {
  const slug = look.name.replace(" ", "-");
  const press = (l: Locator) => (look.phone ? l.tap() : l.click());

  test.describe(`a store with two courses (${look.name})`, () => {
    test.use({ ...lookOptions(look), llm: "two-courses" });

    test("a picker, each course its own chat, outline and history, the choice remembered", async ({ chat, page }) => {
      await page.goto("/");
      await expect(page.getByTestId("course-picker")).toBeVisible();
      await expect(page.getByTestId("banner-store")).toHaveCount(0);
      await expect(page.getByText("needs an ingested course")).toHaveCount(0);
      await expect(page.getByTestId("course-link")).toHaveCount(2);
      await expectAccessible(page, `course picker (${look.name})`);
      await chat.screenshot(`17-course-picker-${slug}`);

      await press(page.getByRole("link", { name: new RegExp(LA.replace(/[()]/g, ".")) }));
      await expect(page).toHaveURL(/\/c\/la-demo$/);
      await expect(chat.app).toHaveAttribute("data-ready", "true");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(LA);
      await chat.ask("What is a linear combination?");
      const answer = await chat.waitForAnswer();
      await expect(answer).toContainText("linear combination");
      await expect(answer).not.toContainText("element-chasing");

      // Its outline and history are its own.
      if (look.phone) await press(chat.toggleOutline);
      const outline = page.getByRole("navigation", { name: "Course outline" });
      await expect(outline).toContainText("Linear combinations");
      await expect(outline).not.toContainText("Numbers, logic and sets");
      await expect(page.getByTestId("history").getByRole("listitem")).toHaveCount(1);
      await expectAccessible(page, `second course's chat (${look.name})`);
      if (look.phone) await page.keyboard.press("Escape");

      // The toolbar leads back to the picker; the other course starts empty.
      await press(page.getByTestId("course-switch"));
      await expect(page.getByTestId("course-picker")).toBeVisible();
      await press(page.getByRole("link", { name: new RegExp(DEMO.replace(/[()]/g, ".")) }));
      await expect(page).toHaveURL(/\/c\/imo-demo$/);
      await expect(chat.app).toHaveAttribute("data-ready", "true");
      await expect(chat.userMessages).toHaveCount(0);
      await chat.ask("What does Exercise 1.41 ask?");
      await expect(await chat.waitForAnswer()).toContainText("element-chasing");
      if (look.phone) await press(chat.toggleOutline);
      await expect(page.getByTestId("history").getByRole("listitem")).toHaveCount(1);
      await expect(page.getByTestId("history")).toContainText("What does Exercise 1.41 ask?");

      // "/" opens the course chosen last; each course reopens its own conversation.
      await page.goto("/");
      await expect(page).toHaveURL(/\/c\/imo-demo$/);
      await page.goto("/c/la-demo");
      await expect(chat.app).toHaveAttribute("data-ready", "true");
      await expect(chat.userMessages).toHaveCount(1);
      await expect(chat.userMessages.first()).toContainText("What is a linear combination?");
    });

    test("hint mode without an LLM shows the exercise and its hints, not its worked solution", async ({ chat, page }) => {
      await page.goto("/c/la-demo");
      await expect(chat.app).toHaveAttribute("data-ready", "true");
      await chat.hintSwitch.check();
      await chat.ask("Can I have a hint for Exercise 1.3?");
      const answer = await chat.waitForAnswer();
      await expect(answer).toContainText("subtract the first equation");
      await expect(answer).toContainText("Hint.");
      await expect(answer).not.toContainText("the worked solution is");
      await expect(answer).not.toContainText("Solution.");
    });

    test("an unknown course is a 404, not an empty chat", async ({ page }) => {
      const res = await page.goto("/c/no-such-course");
      expect(res?.status()).toBe(404);
    });
  });
}

test("one course: no picker and no course link, the chat as before", async ({ chat, page }) => {
  await chat.goto();
  await expect(page.getByTestId("course-picker")).toHaveCount(0);
  await expect(page.getByTestId("course-switch")).toHaveCount(0);
  await expect(page.getByTestId("banner-store")).toHaveCount(0);
});
