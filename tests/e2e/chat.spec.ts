import { expect, test } from "./fixtures";

/** Exact sentences of Exercise 1.41 in content/demo-course (notes/01-numbers-logic-sets.txt). */
const EX_141_SENTENCES = [
  "Prove by element-chasing (show both inclusions, or give a chain of equivalences) that",
  "Give a second proof of the identity in (a) without elements",
];

test.describe("chat with the fake LLM", () => {
  test("ask → streamed answer with rendered math → a citation opens the exact passage", async ({ chat, page, request }) => {
    await chat.goto();
    await expect(page.getByTestId("banner-fulltext")).toBeVisible();
    await expect(page.getByTestId("welcome")).toBeVisible();
    await chat.screenshot("01-empty");

    const req = await chat.ask("How do I prove the identity in Exercise 1.41? Is $A \\setminus (B \\cup C)$ related to \\(A^c\\)?");
    const body = req.postDataJSON() as { messages: unknown[]; hint?: boolean; course?: string };
    expect(body.messages).toHaveLength(1);
    expect(body.course).toBe("imo-demo");

    // The question's math is rendered too, both delimiters.
    await expect(chat.userMessages.last().locator(".katex")).toHaveCount(2);

    const answer = await chat.waitForAnswer();
    await expect(answer.locator(".katex").first()).toBeVisible();
    await expect(answer.locator(".katex-display")).toHaveCount(1);
    await expect(answer.locator(".katex-error")).toHaveCount(0);
    expect(await chat.proseText(answer)).not.toMatch(/\$|\\frac|\\sum/);

    // Citations: chips named by their label, verified by the server's check.
    const chip = chat.chip("Exercise 1.41", answer);
    await expect(chip).toBeVisible();
    await expect(chip).toHaveAttribute("data-verdict", "verified");
    await expect(chat.chip("Section 1.6", answer)).toBeVisible();
    await expect(answer.getByTestId("sources")).toContainText("Section 1.6");

    await chip.click();
    await expect(chat.panel).toBeVisible();
    await expect(chat.panelTitle).toHaveText("Exercise 1.41");
    const cited = (await (await request.get("/api/cite?ref=Exercise%201.41")).json()) as { text: string };
    for (const sentence of EX_141_SENTENCES) {
      expect(cited.text).toContain(sentence);
      await expect(chat.panelText).toContainText(sentence);
    }
    await expect(chat.panelText.locator(".katex").first()).toBeVisible();
    await expect(page.getByTestId("citation-panel-link")).toHaveAttribute("href", /\/cite\/Exercise%201\.41/);
    await chat.screenshot("02-answer-and-passage");

    // A reference inside the passage ("[Theorem 1.40](5)") opens that passage in the panel; Back returns.
    const xref = chat.panelText.locator('a.xref[data-cite="Theorem 1.40"]').first();
    await expect(xref).toHaveAttribute("href", /\/cite\/Theorem%201\.40/);
    await xref.click();
    await expect(chat.panelTitle).toContainText("Theorem 1.40");
    await expect(page.getByTestId("citation-panel-link")).toHaveAttribute("href", /\/cite\/Theorem%201\.40/);
    await expect(chat.panelText).not.toContainText(EX_141_SENTENCES[0]);
    await page.getByTestId("citation-panel-back").click();
    await expect(chat.panelTitle).toHaveText("Exercise 1.41");
    await expect(page.getByTestId("citation-panel-back")).toBeHidden();
    await expect(chat.panelText).toContainText(EX_141_SENTENCES[0]);

    await page.getByTestId("citation-panel-close").click();
    await expect(chat.panel).toBeHidden();
    await expect(chip).toBeFocused();
  });

  test("math renders while streaming, without raw TeX or KaTeX errors on screen", async ({ chat, page }) => {
    await chat.goto();
    await page.evaluate(() => {
      const w = window as unknown as { violations: string[]; sawMathWhileStreaming: boolean };
      w.violations = [];
      w.sawMathWhileStreaming = false;
      const check = () => {
        const answer = [...document.querySelectorAll<HTMLElement>('[data-testid="assistant-message"]')].at(-1);
        if (!answer) return;
        if (answer.querySelector(".katex-error, .math-source")) w.violations.push("KaTeX error shown");
        const clone = answer.cloneNode(true) as HTMLElement;
        clone.querySelectorAll(".katex").forEach((k) => k.remove());
        const text = clone.textContent ?? "";
        if (/\$|\\frac|\\sum|\\int|\\\(|\\\[|\\neq/.test(text)) w.violations.push(`raw TeX: …${text.slice(-60)}`);
        if (answer.dataset.streaming === "true" && answer.querySelector(".katex")) w.sawMathWhileStreaming = true;
      };
      new MutationObserver(check).observe(document.querySelector('[data-testid="messages"]')!, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await chat.ask("SLOW_MATH show me some formulas");
    const answer = await chat.waitForAnswer();
    const seen = await page.evaluate(() => {
      const w = window as unknown as { violations: string[]; sawMathWhileStreaming: boolean };
      return { violations: w.violations, sawMathWhileStreaming: w.sawMathWhileStreaming };
    });
    expect(seen.violations).toEqual([]);
    expect(seen.sawMathWhileStreaming).toBe(true);
    // All four delimiters: $…$, \(…\), $$…$$ and \[…\].
    await expect(answer.locator(".katex-display")).toHaveCount(2);
    await expect(answer.locator(".katex")).toHaveCount(5);
    await expect(chat.chip("Exercise 1.41", answer)).toBeVisible();
  });

  test("a follow-up question sends the conversation", async ({ chat }) => {
    await chat.goto();
    await chat.ask("What does Exercise 1.41 ask?");
    await chat.waitForAnswer();
    const req = await chat.ask("And why is that true?");
    const body = req.postDataJSON() as { messages: { role: string }[] };
    expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    await chat.waitForAnswer();
    await expect(chat.answers).toHaveCount(2);
    await expect(chat.userMessages.nth(1)).toContainText("And why is that true?");
  });

  test("hint mode: the request carries hint: true and the UI says so", async ({ chat, page }) => {
    await chat.goto();
    await chat.hintSwitch.check();
    await expect(page.getByTestId("banner-hint")).toBeVisible();
    await expect(chat.send).toHaveText("Ask for a hint");
    const req = await chat.ask("Where do I start in Exercise 1.41?");
    expect((req.postDataJSON() as { hint?: boolean }).hint).toBe(true);
    await chat.waitForAnswer();
    await expect(chat.userMessages.last().getByTestId("hint-badge")).toBeVisible();
    await expect(chat.lastAnswer().getByTestId("hint-badge")).toBeVisible();
    await chat.screenshot("03-hint-mode");

    await chat.hintSwitch.uncheck();
    const plain = await chat.ask("And part (b)?");
    expect((plain.postDataJSON() as { hint?: boolean }).hint).toBe(false);
  });

  test("stop mid-stream keeps the partial answer and marks it stopped", async ({ chat }) => {
    await chat.goto();
    await chat.ask("SLOW_STREAM tell me everything");
    const answer = chat.lastAnswer();
    await expect(answer).toContainText("slow2");
    await expect(chat.stop).toBeVisible();
    await chat.stop.click();
    await expect(answer.getByTestId("stopped")).toBeVisible();
    await expect(chat.stop).toBeHidden();
    const text = await answer.textContent();
    await chat.page.waitForTimeout(800);
    expect(await answer.textContent()).toBe(text);
    expect(text).not.toContain("slow39");
    await chat.screenshot("04-stopped");
    // The chat goes on.
    await chat.ask("What does Exercise 1.41 ask?");
    await chat.waitForAnswer();
    await expect(chat.answers).toHaveCount(2);
  });

  test("an upstream failure is shown as a message, with retry", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("UPSTREAM_FAIL what is a set?");
    const answer = await chat.waitForAnswer();
    await expect(answer.getByTestId("notice-upstream-error")).toContainText("HTTP 500");
    await expect(page.getByRole("alert").filter({ hasText: "HTTP 500" })).toHaveCount(1);
    await expect(answer.getByTestId("retry")).toBeVisible();
    await chat.screenshot("05-upstream-error");

    await chat.ask("BREAK_STREAM what is a set?");
    const broken = await chat.waitForAnswer();
    await expect(broken.getByTestId("notice-upstream-error")).toContainText("broke off");
    await expect(chat.question).toBeEditable();
  });

  test("an invented label is plain text, not a chip", async ({ chat }) => {
    await chat.goto();
    await chat.ask("FAKE_CITATION prove it");
    const answer = await chat.waitForAnswer();
    await expect(answer.getByTestId("citation-unknown")).toContainText("Exercise 9.99");
    await expect(answer.getByRole("button", { name: "Exercise 9.99" })).toHaveCount(0);
    await expect(answer.getByTestId("notice-ungrounded")).toBeVisible();
  });

  test("reload restores the conversation; new conversation and history", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("What does Exercise 1.41 ask?");
    await chat.waitForAnswer();
    await page.reload();
    await expect(chat.app).toHaveAttribute("data-ready", "true");
    await expect(chat.userMessages).toHaveCount(1);
    await expect(chat.userMessages.first()).toContainText("What does Exercise 1.41 ask?");
    const restored = chat.lastAnswer();
    await expect(chat.chip("Exercise 1.41", restored)).toHaveAttribute("data-verdict", "verified");
    await chat.chip("Exercise 1.41", restored).click();
    await expect(chat.panelTitle).toHaveText("Exercise 1.41");

    await chat.newConversation.click();
    await expect(page.getByTestId("welcome")).toBeVisible();
    await expect(chat.userMessages).toHaveCount(0);
    const history = page.getByTestId("history");
    const saved = history.getByRole("button", { name: "What does Exercise 1.41 ask?", exact: true });
    await expect(saved).toBeVisible();
    await saved.click();
    await expect(chat.userMessages).toHaveCount(1);
  });

  test("a reload mid-answer keeps the question and what had arrived; the history lists it at once", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("SLOW_LONG walk me through it");
    const answer = chat.lastAnswer();
    await expect(answer).toContainText("Step 3 of");
    // Saved while streaming (at most a second behind), and listed without waiting for the answer to end.
    await expect(page.getByTestId("history").getByRole("button", { name: "SLOW_LONG walk me through it", exact: true })).toBeVisible();
    await page.waitForTimeout(1200);
    await page.reload();
    await expect(chat.app).toHaveAttribute("data-ready", "true");
    await expect(chat.userMessages).toHaveCount(1);
    await expect(chat.userMessages.first()).toContainText("SLOW_LONG walk me through it");
    await expect(chat.lastAnswer()).toContainText("Step 1 of the argument");
  });

  test("a double-click on Send sends once and does not stop the answer it started", async ({ chat, page }) => {
    await chat.goto();
    await chat.question.fill("SLOW_LONG double");
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/api/chat")) requests.push(r.url());
    });
    await chat.send.dblclick();
    await expect(chat.lastAnswer()).toContainText("Step 2 of");
    await expect(chat.stop).toBeVisible(); // still streaming, not stopped
    expect(requests).toHaveLength(1);
    await chat.stop.click();
  });

  test("a question over the length limit is held back with a reason, and the draft is kept", async ({ chat, page }) => {
    await chat.goto();
    await chat.question.fill("x".repeat(4001));
    await expect(page.getByTestId("question-too-long")).toContainText("4,001 characters; at most 4,000");
    await expect(chat.send).toBeDisabled();
    await page.keyboard.press("Enter");
    await expect(chat.userMessages).toHaveCount(0);
    await expect(chat.question).toHaveValue("x".repeat(4001));
  });

  test("maths with < and > in plain text is shown as typed", async ({ chat }) => {
    await chat.goto();
    await chat.ask("Show that if a<b and c>0 then ac<bc, see Exercise 1.41");
    await expect(chat.userMessages.last()).toContainText("Show that if a<b and c>0 then ac<bc");
  });

  test("a malformed conversation in localStorage is skipped, not a broken page", async ({ chat, page }) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await chat.goto();
    await page.evaluate(() => {
      const broken = { id: "c1", updatedAt: Date.now(), title: "t", hint: false, messages: [null, { id: "m", role: "user", parts: "hello" }, { id: "a", role: "assistant", parts: [{ type: "data-notice" }, { type: "source-document", sourceId: 5 }] }] };
      const partly = { id: "c2", updatedAt: Date.now() - 1, title: "kept", hint: false, messages: [null, { id: "u", role: "user", parts: [{ type: "text", text: "What is a set?" }] }] };
      localStorage.setItem("course-tutor:conversations:v1", JSON.stringify([broken, partly]));
      localStorage.setItem("course-tutor:current:v1", "c2");
    });
    await page.reload();
    await expect(chat.app).toHaveAttribute("data-ready", "true");
    await expect(chat.userMessages).toHaveCount(1);
    await expect(chat.userMessages.first()).toContainText("What is a set?");
    expect(errors).toEqual([]);
  });

  test("deleting a conversation can be undone; outline items wait while an answer streams", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("SLOW_LONG keep me");
    await expect(chat.lastAnswer()).toContainText("Step 2 of");
    // While the answer streams, the outline's items cannot start another question.
    await expect(page.getByTestId("outline-nav")).toContainText("You can ask about an item when the answer is done.");
    await chat.stop.click();
    const history = page.getByTestId("history");
    await history.getByRole("button", { name: "Delete conversation: SLOW_LONG keep me" }).click();
    await expect(history.getByRole("button", { name: "SLOW_LONG keep me", exact: true })).toHaveCount(0);
    await expect(chat.userMessages).toHaveCount(0);
    await expect(page.getByTestId("conversation-deleted")).toContainText("Deleted “SLOW_LONG keep me”");
    await page.getByTestId("undo-delete").click();
    await expect(history.getByRole("button", { name: "SLOW_LONG keep me", exact: true })).toBeVisible();
    await expect(chat.userMessages.first()).toContainText("SLOW_LONG keep me");
  });

  test("the outline asks about an exercise", async ({ chat, page }) => {
    await chat.goto();
    await expect(chat.drawer).toBeVisible(); // open by default on a wide screen
    const outline = page.getByRole("navigation", { name: "Course outline" });
    await outline.getByText("Chapter 1: Numbers, logic and sets").click();
    await outline.getByText("Section 1.6: More on sets").click();
    const request = page.waitForRequest((r) => r.url().endsWith("/api/chat"));
    await outline.getByRole("button", { name: /^Ask about Exercise 1\.41/ }).click();
    const body = (await request).postDataJSON() as { messages: { parts: { text?: string }[] }[] };
    expect(body.messages.at(-1)!.parts[0].text).toContain("Exercise 1.41");
    await chat.waitForAnswer();
    await expect(chat.userMessages.last()).toContainText("Exercise 1.41");
  });

  test("copy prompt copies the question, the cited passages and the guidance", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("Which identity do I need in Exercise 1.41(b)?");
    const answer = await chat.waitForAnswer();
    await answer.getByTestId("copy-prompt").click();
    await expect(answer.getByTestId("copy-status")).toContainText("Prompt copied");
    const prompt = await page.evaluate(() => navigator.clipboard.readText());
    expect(prompt).toContain("Which identity do I need in Exercise 1.41(b)?");
    expect(prompt).toContain(EX_141_SENTENCES[0]);
    expect(prompt).toMatch(/Cite the notes by label/);
    expect(prompt).toContain("<course-notes>");
  });

  test("keyboard only: ask, open a citation, close it, focus returns", async ({ chat, page }) => {
    await chat.goto();
    // Tab from the top of the page reaches the question box.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
    for (let i = 0; i < 60 && !(await chat.question.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    await expect(chat.question).toBeFocused();
    await page.keyboard.type("How do I prove Exercise 1.41?");
    await page.keyboard.press("Enter");
    const answer = await chat.waitForAnswer();
    const chip = chat.chip("Exercise 1.41", answer);
    // Back from the question box (Shift+Tab) to the chip.
    await chat.question.focus();
    for (let i = 0; i < 40 && !(await chip.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Shift+Tab");
    await expect(chip).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(chat.panel).toBeVisible();
    await expect(chat.panelTitle).toBeFocused();
    await expect(chat.panelText).toContainText(EX_141_SENTENCES[0]);
    await page.keyboard.press("Escape");
    await expect(chat.panel).toBeHidden();
    await expect(chip).toBeFocused();
    // The hint switch toggles with the keyboard too.
    await chat.hintSwitch.focus();
    await page.keyboard.press("Space");
    await expect(chat.hintSwitch).toBeChecked();
  });
});
