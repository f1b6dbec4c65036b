import { expect, type Locator, type Page, type Request } from "@playwright/test";
import { fileURLToPath } from "node:url";

const SCREENSHOTS = fileURLToPath(new URL("../screenshots/", import.meta.url));

/** The chat page (`/`), by its data-testid hooks. */
export class ChatPage {
  readonly app: Locator;
  readonly question: Locator;
  readonly send: Locator;
  readonly stop: Locator;
  readonly messages: Locator;
  readonly answers: Locator;
  readonly userMessages: Locator;
  readonly panel: Locator;
  readonly panelTitle: Locator;
  readonly panelText: Locator;
  readonly hintSwitch: Locator;
  readonly newConversation: Locator;
  readonly toggleOutline: Locator;
  readonly drawer: Locator;

  constructor(readonly page: Page) {
    this.app = page.getByTestId("chat-app");
    this.question = page.getByTestId("question");
    this.send = page.getByTestId("send");
    this.stop = page.getByTestId("stop");
    this.messages = page.getByTestId("messages");
    this.answers = page.getByTestId("assistant-message");
    this.userMessages = page.getByTestId("user-message");
    this.panel = page.getByTestId("citation-panel");
    this.panelTitle = page.getByTestId("citation-panel-title");
    this.panelText = page.getByTestId("citation-panel-text");
    this.hintSwitch = page.getByRole("switch", { name: "Hint mode" });
    this.newConversation = page.getByTestId("new-conversation");
    this.toggleOutline = page.getByTestId("toggle-outline");
    this.drawer = page.getByTestId("drawer");
  }

  /** Opens the chat and waits until the saved conversation (if any) has been restored. */
  async goto(): Promise<void> {
    await this.page.goto("/");
    await expect(this.app).toHaveAttribute("data-ready", "true");
  }

  lastAnswer(): Locator {
    return this.answers.last();
  }

  /** Types a question and sends it with Enter; resolves with the POST /api/chat request it made. */
  async ask(text: string): Promise<Request> {
    await this.question.fill(text);
    const request = this.page.waitForRequest((r) => r.url().endsWith("/api/chat") && r.method() === "POST");
    await this.question.press("Enter");
    return request;
  }

  /** Waits until no answer is streaming any more (ready, or error). */
  async waitForAnswer(): Promise<Locator> {
    await expect(this.messages).toHaveAttribute("data-status", /^(ready|error)$/, { timeout: 30_000 });
    const answer = this.lastAnswer();
    await expect(answer).toHaveAttribute("data-streaming", "false");
    return answer;
  }

  /** The citation chip named `label` in an answer (a button whose accessible name is the label). */
  chip(label: string, within: Locator = this.lastAnswer()): Locator {
    return within.getByRole("button", { name: label, exact: true }).and(within.getByTestId("citation-chip"));
  }

  async screenshot(name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
    await this.page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: opts.fullPage ?? false, animations: "disabled", caret: "hide" });
  }

  /** Text of an element without its rendered formulas (KaTeX keeps the TeX source in hidden MathML). */
  async proseText(locator: Locator): Promise<string> {
    return locator.evaluate((el) => {
      const clone = el.cloneNode(true) as HTMLElement;
      clone.querySelectorAll(".katex").forEach((k) => k.remove());
      return clone.textContent ?? "";
    });
  }
}
