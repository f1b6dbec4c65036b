import { expect, test } from "@playwright/test";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { prepareMarkdown } from "@/components/markdown/prepare";
import { TutorMarkdown } from "@/components/markdown/tutor-markdown";

/**
 * The browser test of streaming math sees only the states the stream happens to show; this one renders
 * EVERY prefix of answers as they stream (the same component, server-side), so no half-written formula can
 * slip through: no KaTeX error, no TeX source outside rendered formulas, and the finished text renders all
 * four delimiters. Runs without a browser.
 */
const ANSWERS = [
  "Write the ratio as $\\frac{a}{b}$ with $b \\neq 0$, and inline \\(x^2 + 1\\) too.\n\nSumming gives $$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$ and\n\n\\[\\int_0^1 x\\,dx = \\frac{1}{2}\\]\n\nas in [Exercise 1.41].",
  "By [Theorem 1.40](5), $X \\setminus Y = X \\cap Y^c$.\n\n- first $a_1$\n- then $$a_2 = \\sqrt{2}$$\n\n**Hint.** use `$x$` in code and costs of $5 or $10.",
];

function visibleText(html: string): string {
  return html
    .replace(/<annotation[\s\S]*?<\/annotation>/g, "")
    .replace(/<code[\s\S]*?<\/code>/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&");
}

test("every prefix of a streamed answer renders without raw TeX or KaTeX errors", () => {
  for (const answer of ANSWERS) {
    for (let n = 1; n <= answer.length; n++) {
      const prefix = answer.slice(0, n);
      const html = renderToStaticMarkup(createElement(TutorMarkdown, { text: prefix, streaming: true }));
      const where = `prefix ${n}: ${JSON.stringify(prefix.slice(-30))}`;
      expect(html, where).not.toContain("katex-error");
      expect(html, where).not.toContain("math-source");
      expect(visibleText(html), where).not.toMatch(/\\(frac|sum|int|neq|sqrt|setminus|cap)|\\\(|\\\[|\$/);
    }
  }
});

test("the finished answer renders all four math delimiters and the citations", () => {
  const html = renderToStaticMarkup(createElement(TutorMarkdown, { text: ANSWERS[0] }));
  expect(html.match(/class="katex"/g)).toHaveLength(5);
  expect(html.match(/class="katex-display"/g)).toHaveLength(2);
  expect(html).toContain('data-label="Exercise 1.41"');
  // A lone dollar is a dollar once the answer is complete; code keeps its dollars.
  const second = renderToStaticMarkup(createElement(TutorMarkdown, { text: ANSWERS[1] }));
  expect(visibleText(second)).toContain("costs of $5 or $10");
  expect(second).toContain("<code>$x$</code>");
  expect(second).toContain('data-label="Theorem 1.40"');
  expect(visibleText(second)).toContain("(5)");
  expect(prepareMarkdown("see [Exercise 1.4", { streaming: true })).toEqual({ markdown: "see ", pending: true });
});
