import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The page's serious and critical axe violations (WCAG 2.1 A/AA and best practice), in a readable form. */
export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}

/** Fails the test, naming the state, when axe finds a serious or critical violation. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  expect(await seriousViolations(page), `axe on: ${state}`).toEqual([]);
}

/** Desktop and phone, light and dark: the four looks every state of the chat is checked in. */
export const LOOKS = [
  { name: "desktop light", colorScheme: "light", viewport: { width: 1280, height: 900 }, phone: false },
  { name: "desktop dark", colorScheme: "dark", viewport: { width: 1280, height: 900 }, phone: false },
  { name: "phone light", colorScheme: "light", viewport: { width: 390, height: 844 }, phone: true },
  { name: "phone dark", colorScheme: "dark", viewport: { width: 390, height: 844 }, phone: true },
] as const;

/** `test.use` options for one look (a phone is a touch device). */
export function lookOptions(look: (typeof LOOKS)[number]) {
  return { colorScheme: look.colorScheme, viewport: look.viewport, isMobile: look.phone, hasTouch: look.phone };
}
