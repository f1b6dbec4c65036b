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

  it("shows every figure as an <img> whose alt text is the caption under it (a PDF too: the figure route draws it)", () => {
    const href = (f: string) => `/fig?file=${encodeURIComponent(f)}`;
    const text = "![Figure 2.1](<figs/a chord.pdf>)\n\nFigure 2.1: The chord of $f$ from **x** to \\(y\\) & more.\n\n![figure](photo.png)\n\nNo caption here.";
    const html = renderCourseText(text, { figureHref: href });
    expect(html).toContain('<img src="/fig?file=figs%2Fa%20chord.pdf" alt="Figure 2.1: The chord of f from x to y &amp; more."');
    // Without a caption after it, the image keeps the alt text the notes give it.
    expect(html).toContain('<img src="/fig?file=photo.png" alt="figure"');
    expect(html).not.toContain("<object");
    // Without a figure route only the caption shows.
    expect(renderCourseText(text)).not.toContain("<img");
  });

  it("does not throw on broken math: KaTeX shows the source instead", () => {
    const html = renderCourseText("bad $\\frac{a$ and $\\undefinedmacro{x}$");
    expect(html).toContain("katex-error");
  });

  it("links the notes' cross-references to their passages when asked, in any printed form", () => {
    const href = (l: string) => `/cite/${encodeURIComponent(l)}?course=c%26d`;
    const html = renderCourseText(
      "By [Theorem 1.40](5) and Section~1.6, see exercises 2.3 and Corollaries 4.1; Subsection 1.5.2, Example A.2. " +
        "Not theorem1.4, nor Theorem 1.40.5x, nor Examples alone, nor $\\text{Theorem 9.9}$.",
      { refHref: href },
    );
    const links = [...html.matchAll(/<a class="xref" href="([^"]*)" data-cite="([^"]*)">([^<]*)<\/a>/g)].map((m) => [m[2], m[3], m[1]]);
    expect(links).toEqual([
      ["Theorem 1.40", "Theorem 1.40", "/cite/Theorem%201.40?course=c%26d"],
      ["Section 1.6", "Section&nbsp;1.6", "/cite/Section%201.6?course=c%26d"],
      ["Exercise 2.3", "exercises 2.3", "/cite/Exercise%202.3?course=c%26d"],
      ["Corollary 4.1", "Corollaries 4.1", "/cite/Corollary%204.1?course=c%26d"],
      ["Subsection 1.5.2", "Subsection 1.5.2", "/cite/Subsection%201.5.2?course=c%26d"],
      ["Example A.2", "Example A.2", "/cite/Example%20A.2?course=c%26d"],
    ]);
    // Without refHref the text is left as it was.
    expect(renderCourseText("By Theorem 1.40.")).toBe("<p>By Theorem 1.40.</p>");
  });

  it("shows the plain-text export's bracketed cross-references without their brackets", () => {
    const href = (l: string) => `/cite/${encodeURIComponent(l)}`;
    const html = renderCourseText("Rewrite with [Theorem 1.40](5), then use [Theorem 1.40] on [0, 1].", { refHref: href });
    expect(html).toContain('<a class="xref" href="/cite/Theorem%201.40" data-cite="Theorem 1.40">Theorem 1.40</a>(5), then');
    expect(html).toContain("use <a");
    expect(html).not.toMatch(/\[<a|<\/a>\]/);
    expect(html).toContain("[0, 1]");
    expect(renderCourseText("See [Example 1.24].")).toBe("<p>See Example 1.24.</p>");
  });

  it("escapes what the link function returns", () => {
    const html = renderCourseText("See Theorem 1.2.", { refHref: () => '/cite/x" onmouseover="alert(1)' });
    expect(html).not.toContain('" onmouseover="');
    expect(html).toContain("&quot; onmouseover=&quot;");
  });
});

describe("renderCourseText on printed LaTeX text", () => {
  it("renders the course's macros with KaTeX when given them", () => {
    const text = "A ball $\\{x : \\norm{x-c}\\le r\\}$.";
    // Unknown to KaTeX, \\norm shows as red source.
    expect(renderCourseText(text)).toContain("<mtext>\\norm</mtext>");
    const html = renderCourseText(text, { macros: { "\\norm": "\\lVert #1\\rVert" } });
    expect(html).not.toContain("\\norm</");
    expect(html).not.toContain("#cc0000");
    expect(html).toContain("∥");
  });

  it("shows list items as their own paragraphs, nested ones indented, and no raw \\item", async () => {
    const { latexToPrintedText } = await import("@/lib/course/latex-printed");
    const text = latexToPrintedText("Parts:\n\\begin{enumerate}[label=(\\alph*)]\\item one \\begin{enumerate}\\item deep\\end{enumerate}\\item two\\end{enumerate}");
    const html = renderCourseText(text);
    expect(html).toBe('<p>Parts:</p>\n<p class="li">(a) one</p>\n<p class="li" style="margin-left:1.5em">(a) deep</p>\n<p class="li">(b) two</p>');
    expect(html).not.toContain("\\item");
  });

  it("shows the printed equation numbers, never KaTeX's own", () => {
    const html = renderCourseText("So\n\\begin{align}\na &= b \\tag{4.4.1}\\\\\nc &= d \\nonumber\n\\end{align}\nand\n\\begin{equation}\ne\n\\end{equation}");
    expect(html).not.toContain("katex-error");
    expect(html).toContain("4.4.1");
    // The untagged equation gets no number: KaTeX's automatic (1) would not be the book's.
    expect(html).not.toMatch(/>\(1\)</);
    expect(html.match(/class="katex-tag"/g)?.length).toBe(1);
  });

  it("shows captions, table rows, Markdown emphasis and escaped dollars as printed", () => {
    const html = renderCourseText("Figure 2.3: A *convex* function.\n\nname | value\n$a$ | 1\n\nIt costs \\$5 and `code` and **bold**.");
    expect(html).toContain('<p class="caption"><strong>Figure 2.3:</strong> A <em>convex</em> function.</p>');
    expect(html).toMatch(/<table class="tabular"><tbody><tr><td>name<\/td><td>value<\/td><\/tr><tr><td><span class="katex">[\s\S]*<\/td><td>1<\/td><\/tr><\/tbody><\/table>/);
    expect(html).toContain("It costs $5 and <code>code</code> and <strong>bold</strong>.");
  });
});
