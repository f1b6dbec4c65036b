import { expect, test } from "./fixtures";

/**
 * A label the notes do not have ("exercise 9.99" on the demo course, whose exercises stop in chapter 5) is said
 * in the chat, with the nearest real labels, so no passage is taken for it: as a notice beside the LLM's answer,
 * and as the first sentence of the no-LLM answer (the nearest labels as citation chips). The nearest labels are
 * read from the app's own /api/search, not written into the test.
 */
const QUESTION = "hint for exercise 9.99";

async function nearestOf(request: import("@playwright/test").APIRequestContext): Promise<string[]> {
  const res = await request.get(`/api/search?q=${encodeURIComponent(QUESTION)}`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { absent: { label: string; nearest: string[] }[] };
  expect(body.absent.map((a) => a.label)).toEqual(["Exercise 9.99"]);
  const nearest = body.absent[0].nearest.slice(0, 3);
  expect(nearest.length).toBeGreaterThan(0);
  return nearest;
}

test.describe("a label the notes do not have", () => {
  test("with the LLM: a notice says it does not exist and names the nearest labels", async ({ chat, request }) => {
    const nearest = await nearestOf(request);
    await chat.goto();
    await chat.ask(QUESTION);
    const answer = await chat.waitForAnswer();
    const notice = answer.getByTestId("notice-absent-label");
    await expect(notice).toBeVisible();
    await expect(notice).toContainText("No such label in the notes");
    await expect(notice).toContainText("The notes have no Exercise 9.99");
    for (const label of nearest) await expect(notice).toContainText(label);
    // The label asked about is never turned into a citation chip of its own.
    await expect(chat.chip("Exercise 9.99", answer)).toHaveCount(0);
  });

  test.describe("without an LLM", () => {
    test.use({ llm: "none" });

    test("the answer's first sentence says so, with the nearest labels as chips", async ({ chat, request }) => {
      const nearest = await nearestOf(request);
      await chat.goto();
      await chat.ask(QUESTION);
      const answer = await chat.waitForAnswer();
      const firstParagraph = answer.locator("p").first();
      await expect(firstParagraph).toContainText("The notes have no Exercise 9.99");
      for (const label of nearest) await expect(chat.chip(label, answer).first()).toBeVisible();
      await expect(chat.chip("Exercise 9.99", answer)).toHaveCount(0);
    });
  });
});
