import type { Locator } from "@playwright/test";
import { expectAccessible, LOOKS, lookOptions } from "./axe";
import { expect, test } from "./fixtures";

/** The scripted answer (tests/e2e/global-setup.ts, CITE_GROUPS) cites a range, a list, two kinds in one pair of brackets and a label the demo course lacks. */
for (const look of LOOKS) {
  const slug = look.name.replace(" ", "-");
  const press = (l: Locator) => (look.phone ? l.tap() : l.click());

  test.describe(`citations (${look.name})`, () => {
    test.use(lookOptions(look));

    test("a range or a list is one chip, an invented label is struck and flagged, the panel switches between a chip's labels", async ({ chat, page }) => {
      await chat.goto();
      await chat.ask("CITE_GROUPS: how does Exercise 1.41 relate to the others?");
      const answer = await chat.waitForAnswer();

      const range = chat.chip("Exercises 1.41–1.46", answer);
      await expect(range).toBeVisible();
      // 1.42–1.45 are definitions, examples and a proposition in these notes: the range stands for its two exercises.
      await expect(range).toHaveAttribute("data-labels", "Exercise 1.41|Exercise 1.46");
      await expect(chat.chip("Theorems 1.8, 1.9", answer)).toHaveAttribute("data-labels", "Theorem 1.8|Theorem 1.9");
      // Two kinds in one pair of brackets are two references.
      await expect(chat.chip("Section 1.6", answer)).toBeVisible();
      await expect(chat.chip("Exercise 1.41", answer)).toHaveAttribute("data-verdict", "verified");
      // Nothing of the brackets is left as text ("–[Exercise 1.46]").
      expect(await chat.proseText(answer.locator(".markdown"))).not.toMatch(/[[\]]/);

      const unknown = answer.getByTestId("citation-unknown");
      await expect(unknown).toHaveCount(1);
      await expect(unknown).toContainText("Theorem 9.99");
      await expect(unknown).toHaveAttribute("title", "Not in these notes: Theorem 9.99");
      await expect(unknown.locator("s")).toHaveCSS("text-decoration-line", "line-through");
      await expect(answer.getByRole("button", { name: "Theorem 9.99" })).toHaveCount(0);

      // The range opens its first label; the panel offers the other one.
      await press(range);
      await expect(chat.panelTitle).toContainText("Exercise 1.41");
      const group = page.getByTestId("citation-panel-group");
      await expect(group.getByRole("button")).toHaveText(["Exercise 1.41", "Exercise 1.46"]);
      await expect(page.getByTestId("citation-preview")).toHaveCount(0); // a tap or click opens the panel, no card
      // The notes' "[Theorem 1.40](5)" and "[Theorem 1.40]" read without brackets, as links.
      await expect(chat.panelText.locator("a.xref", { hasText: "Theorem 1.40" }).first()).toBeVisible();
      expect(await chat.proseText(chat.panelText)).not.toMatch(/\[Theorem|\]\(\d\)/);
      await press(group.getByRole("button", { name: "Exercise 1.46" }));
      await expect(chat.panelTitle).toContainText("Exercise 1.46");
      await expect(page.getByTestId("citation-panel-back")).toHaveCount(0);
      await expectAccessible(page, `panel of a range (${look.name})`);
      await chat.screenshot(`14-citation-group-${slug}`);
    });

    test("while streaming and after Stop, an invented label is flagged and no verdict is claimed", async ({ chat }) => {
      await chat.goto();
      await chat.ask("CITE_GROUPS_SLOW: Exercise 1.41 again");
      const answer = chat.lastAnswer();
      const unknown = answer.getByTestId("citation-unknown");
      await expect(unknown).toContainText("Theorem 9.99");
      await expect(answer).toHaveAttribute("data-streaming", "true");
      await expect(chat.chip("Exercises 1.41–1.46", answer)).toHaveAttribute("data-verdict", "pending");
      await press(chat.stop);
      await expect(answer.getByTestId("stopped")).toBeVisible();
      await expect(unknown).toContainText("Theorem 9.99");
      await expect(unknown.locator("s")).toHaveCSS("text-decoration-line", "line-through");
      // The labels exist; whether the tutor was given them was never checked, so no ✓ and no "?".
      await expect(chat.chip("Exercises 1.41–1.46", answer)).toHaveAttribute("data-verdict", "exists");
      await expect(answer.locator('[data-verdict="verified"], [data-verdict="not-retrieved"]')).toHaveCount(0);
      await expectAccessible(chat.page, `stopped answer (${look.name})`);
    });

    if (!look.phone) {
      test("hover and keyboard focus preview the passage, math rendered; Escape hides the card, Enter opens the panel", async ({ chat, page }) => {
        await chat.goto();
        await chat.ask("CITE_GROUPS: Exercise 1.41?");
        const answer = await chat.waitForAnswer();
        const chip = chat.chip("Exercise 1.41", answer);
        const preview = page.getByTestId("citation-preview");

        await chip.hover();
        await expect(preview).toBeVisible();
        await expect(preview).toContainText("Exercise 1.41");
        await expect(preview).toContainText("element-chasing");
        await expect(preview.getByTestId("citation-preview-text").locator(".katex").first()).toBeVisible();
        await expect(chip).toHaveAttribute("aria-describedby", /\S+ \S+/);
        await expectAccessible(page, `preview card (${look.name})`);
        await chat.screenshot(`14-citation-preview-${slug}`);
        await page.mouse.move(1, 1);
        await expect(preview).toBeHidden();

        // From the question box back to the chip, by keyboard only.
        await chat.question.focus();
        for (let i = 0; i < 40 && !(await chip.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Shift+Tab");
        await expect(chip).toBeFocused();
        await expect(preview).toBeVisible();
        await expect(preview).toContainText("element-chasing");
        await page.keyboard.press("Escape");
        await expect(preview).toBeHidden();
        await expect(chip).toBeFocused();
        await page.keyboard.press("Enter");
        await expect(chat.panelTitle).toContainText("Exercise 1.41");
      });
    }
  });
}

test("a figure and an equation the notes print are chips like items: verified, previewed, opened whole; a figure they lack is flagged", async ({ chat, page }) => {
  await chat.goto();
  await chat.ask("CITE_FIGURES: what do figure 4.1 and eq (4.3.1) show?");
  const answer = await chat.waitForAnswer();
  // Both are named by the question, so both passages were given to the tutor.
  await expect(chat.chip("Figure 4.1", answer)).toHaveAttribute("data-verdict", "verified");
  const equation = chat.chip("Equation 4.3.1", answer);
  await expect(equation).toHaveAttribute("data-verdict", "verified");
  const unknown = answer.getByTestId("citation-unknown");
  await expect(unknown).toHaveCount(1);
  await expect(unknown).toContainText("Figure 4.9");

  // (The figure's own card and panel: the next test.)
  const preview = page.getByTestId("citation-preview");
  await equation.hover();
  await expect(preview).toBeVisible();
  // The card starts where the passage prints the equation, not at the passage's first paragraph.
  await expect(preview.getByTestId("citation-preview-text")).toContainText("(4.3.1)");
  await expect(preview.getByTestId("citation-preview-text")).not.toContainText("Newton's method in one variable");
  await page.mouse.move(1, 1);
  await equation.click();
  await expect(chat.panelTitle).toContainText("Equation 4.3.1");
  // The whole passage that prints it.
  await expect(chat.panelText).toContainText("We want to solve an equation");
  await expect(chat.panelText).toContainText("(4.3.1)");
  await expectAccessible(page, "panel of an equation");
});

test("a figure the notes include as a PDF shows as an image, in its card and in its panel, with its caption as alt text", async ({ chat, page }) => {
  // Stricter than the fixture: no console error of any kind (a CSP refusal, a failed image load) and every figure served whole.
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  const figures: { status: number; type: string | null }[] = [];
  page.on("response", (r) => {
    if (r.url().includes("/api/figure")) figures.push({ status: r.status(), type: r.headers()["content-type"] ?? null });
  });
  const alt = "Figure 4.1: A convex function: the chord from (x,f(x)) to (y,f(y)) lies above the graph.";
  const loaded = (img: Locator) => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0);

  await chat.goto();
  await chat.ask("CITE_FIGURES: what does figure 4.1 show?");
  const answer = await chat.waitForAnswer();
  const figure = chat.chip("Figure 4.1", answer);
  await expect(figure).toHaveAttribute("data-verdict", "verified");

  // The hover card starts at the figure: its image, then its caption.
  const preview = page.getByTestId("citation-preview");
  await figure.hover();
  await expect(preview).toBeVisible();
  const cardImage = preview.getByRole("img", { name: alt });
  await expect(cardImage).toBeVisible();
  await expect.poll(() => loaded(cardImage)).toBe(true);
  await expect(preview.getByTestId("citation-preview-text")).toContainText("Figure 4.1: A convex function");
  await page.mouse.move(1, 1);
  await expect(preview).toBeHidden();

  // The panel: the whole passage, the figure drawn as a PNG above its caption.
  await figure.click();
  await expect(chat.panelTitle).toContainText("Figure 4.1");
  const panelImage = chat.panelText.getByRole("img", { name: alt });
  await panelImage.scrollIntoViewIfNeeded();
  await expect(panelImage).toBeVisible();
  await expect.poll(() => loaded(panelImage)).toBe(true);
  const size = await panelImage.evaluate((el: HTMLImageElement) => ({ w: el.naturalWidth, h: el.naturalHeight, shownW: el.getBoundingClientRect().width }));
  // The demo's figure is 205.5 × 138.9 pt, drawn at 150 dpi.
  expect(Math.abs(size.w - 428)).toBeLessThanOrEqual(1);
  expect(Math.abs(size.h - 289)).toBeLessThanOrEqual(1);
  expect(size.shownW).toBeGreaterThan(100);
  await expect(chat.panelText.locator("object")).toHaveCount(0);
  await expectAccessible(page, "panel of a figure");

  expect(figures.length).toBeGreaterThan(0);
  for (const f of figures) expect(f).toEqual({ status: 200, type: "image/png" });
  expect(problems).toEqual([]);
});

test("a figure request for a file that is not one of the course's figures is a 404 with the reason", async ({ page }) => {
  for (const file of ["tex/notes.tex", "tex/figures/missing.pdf", "../../etc/passwd"]) {
    const r = await page.request.get(`/api/figure?course=imo-demo&file=${encodeURIComponent(file)}`);
    expect(r.status(), file).toBe(404);
    expect(await r.json()).toEqual({ error: "not-found", message: `"${file}" is not a figure of imo-demo.` });
  }
  const missing = await page.request.get("/api/figure?course=imo-demo");
  expect(missing.status()).toBe(400);
  expect((await missing.json()).message).toContain("file");
});
