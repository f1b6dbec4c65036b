import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

/**
 * Issue 14, items 4–5: the chat basics students know from other chat apps (Escape stops, copy answer,
 * regenerate with versions, edit and resend, conversation titles rendered/dated/searchable/renameable,
 * outline items with titles, equation numbers per answer) and the reply language.
 */

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}

/**
 * The equation numbers each answer shows. KaTeX draws them as CSS counters in `::before`, which no DOM
 * text holds; Chromium's layout snapshot has the text it actually laid out.
 */
async function equationNumbersByAnswer(page: Page): Promise<string[][]> {
  const cdp = await page.context().newCDPSession(page);
  const snap = await cdp.send("DOMSnapshot.captureSnapshot", { computedStyles: [] });
  await cdp.detach();
  const { strings } = snap;
  const doc = snap.documents[0];
  const attr = (node: number, name: string): string | undefined => {
    const a = doc.nodes.attributes?.[node] ?? [];
    for (let i = 0; i < a.length; i += 2) if (strings[a[i]] === name) return strings[a[i + 1]];
    return undefined;
  };
  const pseudo = new Set(doc.nodes.pseudoType?.index ?? []);
  const parent = doc.nodes.parentIndex ?? [];
  const answerOf = (node: number): number | undefined => {
    for (let n: number | undefined = node; n !== undefined && n >= 0; n = parent[n]) if (attr(n, "data-testid") === "assistant-message") return n;
    return undefined;
  };
  // Text pieces of each ::before of a KaTeX HTML equation number ("(", "1", ")"), in layout order.
  const byPseudo = new Map<number, string>();
  doc.layout.nodeIndex.forEach((node, i) => {
    const t = doc.layout.text[i];
    if (!pseudo.has(node) || t < 0) return;
    if (!(attr(parent[node], "class") ?? "").split(/\s+/).includes("eqn-num")) return;
    byPseudo.set(node, (byPseudo.get(node) ?? "") + strings[t]);
  });
  const answers = new Map<number, string[]>();
  for (const [node, text] of byPseudo) {
    const a = answerOf(node);
    if (a === undefined) continue;
    answers.set(a, [...(answers.get(a) ?? []), text]);
  }
  return [...answers.entries()].sort((x, y) => x[0] - y[0]).map(([, nums]) => nums);
}

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

const historyRow = (page: Page, text: string | RegExp): Locator => page.getByTestId("history-row").filter({ hasText: text });

test.describe("chat basics (desktop)", () => {
  test("Escape stops a streaming answer; the partial answer is kept and marked", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("SLOW_STREAM tell me everything");
    const answer = chat.lastAnswer();
    await expect(answer).toContainText("slow2");
    await expect(chat.question).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(answer.getByTestId("stopped")).toBeVisible();
    await expect(page.getByTestId("chat-status")).toHaveText("Answer stopped.");
    const text = await answer.textContent();
    await page.waitForTimeout(800);
    expect(await answer.textContent()).toBe(text);
    expect(text).not.toContain("slow39");

    // Also with focus elsewhere on the page (a button of the toolbar).
    await chat.ask("SLOW_STREAM once more");
    await expect(chat.lastAnswer()).toContainText("slow1");
    await chat.newConversation.focus();
    await page.keyboard.press("Escape");
    await expect(chat.lastAnswer().getByTestId("stopped")).toBeVisible();
  });

  test("copy answer copies its Markdown with the math source and the citations as written", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("How do I prove Exercise 1.41?");
    const answer = await chat.waitForAnswer();
    await answer.getByTestId("copy-answer").click();
    await expect(answer.getByTestId("copy-answer-status")).toContainText("Answer copied");
    const copied = await clipboard(page);
    // The fake LLM's default answer (tests/support/openai-server.ts), exactly as it streamed.
    expect(copied).toMatch(/^Here is the idea, step by step\. By \[[A-Z][a-z]+ \d+(\.\d+)*\], write the ratio as \$\\frac\{a\}\{b\}\$ with \$b \\neq 0\$\./);
    expect(copied).toContain("$$\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$$");
    expect(copied).not.toContain("katex");
    // What is on screen is the rendered form of the same text.
    expect(await chat.proseText(answer)).not.toContain("\\frac");
  });

  test("regenerate keeps the earlier answer as version 1/2; the shown version is what a follow-up sends, and it survives a reload", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("VERSIONED what is a set difference?");
    const answer = await chat.waitForAnswer();
    const first = (await answer.textContent())!.match(/Answer number (\d+)/)![1];
    await expect(answer.getByTestId("versions")).toHaveCount(0);
    // The server's check of the first version's citation (whatever retrieval found for it): switching back must restore it.
    const firstChip = chat.chip("Exercise 1.41", answer);
    await expect(firstChip).toHaveAttribute("data-verdict", /^(verified|not-retrieved)$/);
    const firstVerdict = (await firstChip.getAttribute("data-verdict"))!;

    const again = page.waitForRequest((r) => r.url().endsWith("/api/chat"));
    await answer.getByTestId("retry").click();
    expect(((await again).postDataJSON() as { trigger: string }).trigger).toBe("regenerate-message");
    const regenerated = await chat.waitForAnswer();
    await expect(chat.answers).toHaveCount(1);
    const second = (await regenerated.textContent())!.match(/Answer number (\d+)/)![1];
    expect(second).not.toBe(first);
    await expect(regenerated.getByTestId("version-count")).toHaveText("Version 2/ of 2");
    await expect(regenerated.getByTestId("version-next")).toBeDisabled();
    await chat.screenshot("14-versions-light");

    await regenerated.getByTestId("version-prev").click();
    await expect(regenerated.getByTestId("version-count")).toHaveText("Version 1/ of 2");
    await expect(regenerated).toContainText(`Answer number ${first}`);
    await expect(chat.chip("Exercise 1.41", regenerated)).toHaveAttribute("data-verdict", firstVerdict);
    expect(await seriousViolations(page)).toEqual([]);

    await page.reload();
    await expect(chat.app).toHaveAttribute("data-ready", "true");
    const restored = chat.lastAnswer();
    await expect(restored.getByTestId("version-count")).toHaveText("Version 1/ of 2");
    await expect(restored).toContainText(`Answer number ${first}`);

    // The follow-up carries the version on screen, and none of the others.
    const follow = await chat.ask("And why is that true?");
    const body = follow.postDataJSON() as { messages: { role: string; parts: { type: string; text?: string }[]; metadata?: Record<string, unknown> }[] };
    const earlier = body.messages[1];
    expect(earlier.parts.filter((p) => p.type === "text").map((p) => p.text).join("")).toContain(`Answer number ${first}`);
    expect(JSON.stringify(body)).not.toContain(`Answer number ${second}`);
    expect(earlier.metadata?.versions).toBeUndefined();
    await chat.waitForAnswer();
  });

  test("a question can be edited and sent again: the new question replaces it and is answered anew", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("What is a set?");
    await chat.waitForAnswer();
    await chat.ask("And what is Exercise 1.41 about?");
    await chat.waitForAnswer();
    await expect(chat.answers).toHaveCount(2);

    const firstQuestion = chat.userMessages.first();
    await firstQuestion.getByTestId("edit-question").click();
    const field = firstQuestion.getByTestId("edit-question-field");
    await expect(field).toBeFocused();
    await expect(field).toHaveValue("What is a set?");
    expect(await seriousViolations(page)).toEqual([]);
    // Escape cancels, and does not stop or close anything else.
    await field.press("Escape");
    await expect(firstQuestion.getByTestId("question-editor")).toHaveCount(0);
    await expect(firstQuestion.getByTestId("edit-question")).toBeFocused();

    await firstQuestion.getByTestId("edit-question").click();
    await field.fill("What is the union of two sets, $A \\cup B$?");
    const request = page.waitForRequest((r) => r.url().endsWith("/api/chat"));
    await field.press("Enter");
    const body = (await request).postDataJSON() as { messages: { role: string; parts: { text?: string }[] }[] };
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0].parts[0].text).toBe("What is the union of two sets, $A \\cup B$?");
    await chat.waitForAnswer();
    await expect(chat.userMessages).toHaveCount(1);
    await expect(chat.answers).toHaveCount(1);
    await expect(chat.userMessages.first().locator(".katex")).toHaveCount(1);
    await expect(chat.userMessages.first()).not.toContainText("Exercise 1.41 about");
  });

  test("conversation titles: math rendered, dated, searchable, renameable (kept over a reload and new answers)", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("What is $\\nabla f$ for $f(x, y) = x^2 + y^2$?");
    await chat.waitForAnswer();
    await chat.newConversation.click();
    await chat.ask("What does Exercise 1.41 ask?");
    await chat.waitForAnswer();

    const gradient = historyRow(page, /What is/).filter({ has: page.locator(".katex") });
    await expect(gradient).toHaveCount(1);
    const title = gradient.getByTestId("history-title");
    await expect(title.locator(".katex")).toHaveCount(2);
    expect(await chat.proseText(title)).not.toMatch(/\$|\\nabla/);
    const date = gradient.getByTestId("history-date");
    await expect(date).toHaveText(/^Today, \d\d:\d\d$/);
    const when = Date.parse((await date.getAttribute("datetime"))!);
    expect(Math.abs(Date.now() - when)).toBeLessThan(10 * 60_000);

    // Search: words of the messages (the answer's too), case and accents ignored; no match says so.
    const search = page.getByTestId("history-search");
    await search.fill("DOES EXERCISE 1.41");
    await expect(page.getByTestId("history-row")).toHaveCount(1);
    await expect(page.getByTestId("history-row")).toContainText("What does Exercise 1.41 ask?");
    await search.fill("nabla");
    await expect(page.getByTestId("history-row")).toHaveCount(1);
    await search.fill("fourier transform");
    await expect(page.getByTestId("history-no-match")).toContainText("fourier transform");
    expect(await seriousViolations(page)).toEqual([]);
    await search.fill("");
    await expect(page.getByTestId("history-row")).toHaveCount(2);

    // Rename: Enter saves; Escape cancels; the name stays after a reload and after more questions.
    await gradient.getByTestId("history-rename").click();
    const input = page.getByTestId("history-rename-input");
    await expect(input).toBeFocused();
    await input.fill("Gradient of $x^2+y^2$");
    expect(await seriousViolations(page)).toEqual([]);
    await input.press("Enter");
    const renamed = historyRow(page, "Gradient of");
    await expect(renamed.locator(".katex")).toHaveCount(1);
    await expect(renamed.getByTestId("history-rename")).toBeFocused();
    await renamed.getByTestId("history-rename").click();
    await page.getByTestId("history-rename-input").fill("not this");
    await page.getByTestId("history-rename-input").press("Escape");
    await expect(historyRow(page, "not this")).toHaveCount(0);
    await expect(chat.drawer).toBeVisible();

    await page.reload();
    await expect(chat.app).toHaveAttribute("data-ready", "true");
    await historyRow(page, "Gradient of").getByTestId("history-item").click();
    await chat.ask("And its Hessian?");
    await chat.waitForAnswer();
    await expect(historyRow(page, "Gradient of")).toHaveCount(1);
    await expect(page.getByTestId("history-item").first()).toHaveAttribute("aria-current", "true");
    await expect(page.getByTestId("history-item").first()).toContainText("Gradient of");
    await chat.screenshot("15-history-light");
  });

  test("outline items show their titles, with math rendered", async ({ chat, page, request }) => {
    const outline = (await (await request.get("/api/outline")).json()) as {
      chapters: { label: string; title: string; items: { label: string; title: string }[]; sections: { label: string; title: string; items: { label: string; title: string }[] }[] }[];
    };
    // The first section whose items have titles (the LaTeX and Markdown chapters' [Convex set]-style ones).
    const found = outline.chapters.flatMap((c) => c.sections.map((s) => ({ c, s }))).find(({ s }) => s.items.some((i) => i.title));
    expect(found).toBeDefined();
    const { c, s } = found!;
    const item = s.items.find((i) => i.title)!;
    await chat.goto();
    const nav = page.getByRole("navigation", { name: "Course outline" });
    await nav.getByText(`${c.label}: ${c.title}`).click();
    await nav.getByText(`${s.label}: ${s.title}`, { exact: true }).click();
    const button = nav.locator(`[data-testid="outline-item"][data-label="${item.label}"]`);
    await expect(button).toBeVisible();
    await expect(button.getByTestId("outline-item-title")).toBeVisible();
    expect((await chat.proseText(button.getByTestId("outline-item-title"))).trim().length).toBeGreaterThan(0);
    await expect(button).toContainText(item.label);
    await expect(button).toHaveAccessibleName(new RegExp(`^Ask about ${item.label.replace(/\./g, "\\.")}: `));
    // Every titled item of the section shows its title, not only its label.
    for (const i of s.items.filter((x) => x.title && !x.title.includes("$"))) {
      await expect(nav.locator(`[data-testid="outline-item"][data-label="${i.label}"]`)).toContainText(i.title);
    }
    await chat.screenshot("16-outline-titles-light");
  });

  test("equation numbers restart in each answer: align in the second answer is (1), (2)", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("ALIGN_EQ first");
    await chat.waitForAnswer();
    await chat.ask("ALIGN_EQ second");
    await chat.waitForAnswer();
    await expect(chat.answers.nth(1).locator(".eqn-num")).toHaveCount(2);
    expect(await equationNumbersByAnswer(page)).toEqual([
      ["(1)", "(2)"],
      ["(1)", "(2)"],
    ]);
  });

  test("a Danish question gets a Danish answer (the prompt carries the language rule); labels stay as printed", async ({ chat }) => {
    await chat.goto();
    await chat.ask("Hvordan beviser jeg identiteten i Exercise 1.41?");
    const answer = await chat.waitForAnswer();
    // The scripted LLM answers in Danish only when the system prompt asks it to follow the student's language.
    await expect(answer).toContainText("Her er ideen, trin for trin");
    await expect(chat.chip("Exercise 1.41", answer)).toHaveAttribute("data-verdict", "verified");
    await expect(answer.getByTestId("notice-ungrounded")).toHaveCount(0);
  });
});

test.describe("no LLM: a Danish question", () => {
  test.use({ llm: "none" });

  test("the passages and the English notices stay as they are; the ready prompt carries the language rule", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("Hvad betyder Exercise 1.41?");
    const answer = await chat.waitForAnswer();
    await expect(answer).toContainText("element-chasing");
    await expect(page.getByTestId("banner-no-llm")).toBeVisible();
    await expect(chat.chip("Exercise 1.41", answer).first()).toBeVisible();
    await answer.getByTestId("copy-prompt").click();
    await expect(answer.getByTestId("copy-status")).toContainText("Prompt copied");
    const prompt = await clipboard(page);
    expect(prompt).toContain("Answer in the language the student's latest question is written in");
    expect(prompt).toContain("Hvad betyder Exercise 1.41?");
  });
});

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`phone (390×844, ${colorScheme})`, () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme });

    test(`versions, edit, copy and the conversation list fit a phone; axe clean (${colorScheme})`, async ({ chat, page }) => {
      await chat.goto();
      await chat.ask("VERSIONED what is $\\nabla f$ for a long question that needs more than one line on a phone?");
      const answer = await chat.waitForAnswer();
      await answer.getByTestId("retry").tap();
      const regenerated = await chat.waitForAnswer();
      await expect(regenerated.getByTestId("version-count")).toHaveText("Version 2/ of 2");
      await regenerated.getByTestId("version-prev").tap();
      await expect(regenerated.getByTestId("version-count")).toHaveText("Version 1/ of 2");
      await regenerated.getByTestId("copy-answer").tap();
      await expect(regenerated.getByTestId("copy-answer-status")).toContainText("Answer copied");
      expect(await clipboard(page)).toMatch(/^Answer number \d+: start from \[Exercise 1\.41\] and write \$A \\setminus B\$ out\.$/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
      await chat.screenshot(`17-phone-versions-${colorScheme}`);

      await chat.userMessages.first().getByTestId("edit-question").tap();
      await expect(chat.userMessages.first().getByTestId("edit-question-field")).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
      await chat.screenshot(`18-phone-edit-${colorScheme}`);
      await chat.userMessages.first().getByTestId("edit-cancel").tap();

      await chat.toggleOutline.tap();
      await expect(chat.drawer).toBeVisible();
      const row = historyRow(page, /VERSIONED/);
      await expect(row.getByTestId("history-title").locator(".katex")).toHaveCount(1);
      await expect(row.getByTestId("history-date")).toHaveText(/^Today, /);
      const box = await row.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      await page.getByTestId("history-search").fill("nabla");
      await expect(page.getByTestId("history-row")).toHaveCount(1);
      await row.getByTestId("history-rename").tap();
      // Escape in the rename box cancels it, and leaves the drawer open.
      await page.getByTestId("history-rename-input").press("Escape");
      await expect(chat.drawer).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await chat.screenshot(`19-phone-history-${colorScheme}`);
    });
  });
}

test.describe("dark (desktop)", () => {
  test.use({ colorScheme: "dark" });

  test("versions, the question editor, search and rename pass axe in dark mode", async ({ chat, page }) => {
    await chat.goto();
    await chat.ask("VERSIONED a question about $A \\setminus B$");
    const answer = await chat.waitForAnswer();
    await answer.getByTestId("retry").click();
    await expect(chat.lastAnswer().getByTestId("version-count")).toHaveText("Version 2/ of 2");
    await chat.userMessages.first().getByTestId("edit-question").click();
    await page.getByTestId("history-search").fill("setminus");
    await page.getByTestId("history-rename").first().click();
    await expect(page.getByTestId("history-rename-input")).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);
    await chat.screenshot("20-basics-dark");
  });
});
