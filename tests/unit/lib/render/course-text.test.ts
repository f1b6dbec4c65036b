import { describe, expect, it } from "vitest";
import { renderCourseText } from "@/lib/render/course-text";

describe("renderCourseText", () => {
  it("renders all four math delimiters and display environments with KaTeX", () => {
    const html = renderCourseText("Inline $a^2$ and \\(b_1\\); display $$\\frac{1}{2}$$ and \\[x\\] and \\begin{align} y &= 1 \\\\ z &= 2 \\end{align}");
    expect(html.match(/class="katex"/g)?.length).toBe(5);
    expect(html.match(/class="katex-display"/g)?.length).toBe(3);
    expect(html).not.toContain("$");
  });

  it("escapes HTML in prose and never executes markup from the notes", () => {
    const html = renderCourseText("<script>alert(1)</script> & <b>x</b> $1 < 2$");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("&amp;");
  });

  it("shows Sage blocks as code and hints as a labelled box", () => {
    const html = renderCourseText('Try:\n<div class="sage">\n<script type="text/x-sage">\nexpand((x+1)^3)\n</script>\n</div>\n\\begin{hint}\nUse $x$.\n\\end{hint}');
    expect(html).toContain('<pre class="code"><code>expand((x+1)^3)</code></pre>');
    expect(html).toMatch(/<div class="env env-hint"><div class="env-name">Hint<\/div><p>Use <span class="katex">/);
  });

  it("does not throw on broken math: KaTeX shows the source instead", () => {
    const html = renderCourseText("bad $\\frac{a$ and $\\undefinedmacro{x}$");
    expect(html).toContain("katex-error");
  });
});
