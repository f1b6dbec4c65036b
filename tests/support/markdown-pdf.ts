/**
 * The Markdown → PDF path instructors use: the demo course's Markdown chapter rendered to HTML with the
 * project's own Markdown stack (unified + remark-parse/gfm/math/directive; a plain mdast → HTML walk, as
 * no rehype stringifier is installed), its headings and numbered items printed with the numbers the
 * Markdown ingest gives them ("Exercise 5.3 (Title)."), math as its TeX source, then printed to PDF by
 * Debian's Chromium (headless `--print-to-pdf`; never a downloaded browser). `printMarkdownPdf` in
 * `pdf-fixtures.ts` prints the demo course's chapter with it.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Root, RootContent } from "mdast";
import remarkDirective from "remark-directive";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { listItems } from "@/lib/course/items";
import { loadCourse } from "@/lib/course/load-course";
import type { CourseItem } from "@/lib/course/types";

type Node = RootContent | Root;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/** Renders Markdown to an HTML page; `labels` gives each numbered heading and item (by source line) its printed label. */
export function markdownToHtml(markdown: string, labels: Map<number, CourseItem>, title: string): string {
  const tree = unified().use(remarkParse).use(remarkGfm).use(remarkMath).use(remarkDirective).parse(markdown) as Root;
  const html = (n: Node): string => {
    const kids = () => ("children" in n ? (n.children as Node[]).map(html).join("") : "");
    const item = "position" in n && n.position ? labels.get(n.position.start.line) : undefined;
    switch (n.type) {
      case "root":
        return kids();
      case "heading": {
        // A heading that prints its number is shown as written ("Section 5.1: Least squares"); one that does not gets the ingest's number.
        const text = kids();
        const shown = item && !text.includes(item.number) ? `${item.number} ${text}` : text;
        return `<h${n.depth}>${shown}</h${n.depth}>\n`;
      }
      case "paragraph": {
        if ((n.data as { directiveLabel?: boolean } | undefined)?.directiveLabel) return "";
        if (item && n.children[0]?.type === "strong") {
          const rest = n.children.slice(1).map(html).join("");
          return `<p><strong>${esc(item.label)}${item.title ? ` (${esc(item.title)})` : ""}.</strong>${rest}</p>\n`;
        }
        return `<p>${kids()}</p>\n`;
      }
      case "containerDirective": {
        const first = n.children[0];
        const isLabel = first?.type === "paragraph" && (first.data as { directiveLabel?: boolean } | undefined)?.directiveLabel;
        const head = item ? `${item.label}${item.title ? ` (${item.title})` : ""}.` : `${cap(n.name)}.`;
        const body = (isLabel ? n.children.slice(1) : n.children).map(html).join("");
        // The head opens the first paragraph, as amsthm and most Markdown themes set it.
        const lead = `<strong>${esc(head)}</strong> `;
        const joined = body.startsWith("<p>") ? `<p>${lead}${body.slice(3)}` : `<p>${lead}</p>${body}`;
        return `<div class="${n.name}">${joined}</div>\n`;
      }
      case "text":
        return esc(n.value);
      case "emphasis":
        return `<em>${kids()}</em>`;
      case "strong":
        return `<strong>${kids()}</strong>`;
      case "inlineCode":
        return `<code>${esc(n.value)}</code>`;
      case "inlineMath":
        return `<span class="math">${esc(n.value)}</span>`;
      case "math":
        return `<div class="display-math">${esc(n.value)}</div>\n`;
      case "code":
        return `<pre><code>${esc(n.value)}</code></pre>\n`;
      case "list":
        return n.ordered ? `<ol>${kids()}</ol>\n` : `<ul>${kids()}</ul>\n`;
      case "listItem":
        return `<li>${kids()}</li>`;
      case "break":
        return "<br>";
      case "thematicBreak":
        return "<hr>";
      case "link":
        return `<a href="${esc(n.url)}">${kids()}</a>`;
      case "blockquote":
        return `<blockquote>${kids()}</blockquote>`;
      case "html":
        return "";
      default:
        return kids();
    }
  };
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>
body { font-family: serif; font-size: 11pt; max-width: 40em; margin: 0 auto; line-height: 1.35 }
h1 { font-size: 20pt } h2 { font-size: 15pt } h3 { font-size: 12.5pt }
div.display-math { text-align: center; margin: 0.6em 0 }
pre { font-size: 9pt; background: #f4f4f4; padding: 0.5em }
div.hint, div.proof { margin-left: 1em }
</style></head><body>\n${html(tree)}</body></html>\n`;
}

/** Prints an HTML file to PDF with Debian's Chromium (never a downloaded browser); returns the PDF's path. */
export function chromiumPdf(htmlFile: string, pdf: string, workDir: string): string {
  // A profile of its own in the temp dir: parallel runs share nothing, and nothing is left in $HOME.
  const profile = path.join(workDir, "chromium-profile");
  execFileSync(
    "/usr/bin/chromium",
    ["--headless", "--no-sandbox", "--disable-gpu", `--user-data-dir=${profile}`, "--no-pdf-header-footer", `--print-to-pdf=${pdf}`, `file://${htmlFile}`],
    { stdio: "pipe", timeout: 120_000 },
  );
  return pdf;
}

/**
 * `markdownFile` (a file of the course at `courseDir`) rendered and printed in `into`/md-pdf, its labels as the
 * Markdown ingest numbers them in that course (course.json `files` order gives unnumbered chapters their number).
 * Returns the PDF's and the HTML's paths.
 */
export function printMarkdownFile(into: string, courseDir: string, markdownFile: string): { pdf: string; html: string } {
  const dir = path.join(into, "md-pdf");
  mkdirSync(dir, { recursive: true });
  const rel = path.relative(courseDir, markdownFile).split(path.sep).join("/");
  const items = listItems(loadCourse({ path: courseDir })).filter((i) => i.source.file === rel);
  if (!items.length) throw new Error(`${rel}: the course's Markdown ingest found no numbered part in it`);
  const labels = new Map(items.map((i) => [i.source.line, i]));
  const base = path.basename(markdownFile, ".md");
  const html = path.join(dir, `${base}.html`);
  writeFileSync(html, markdownToHtml(readFileSync(markdownFile, "utf8"), labels, base));
  return { pdf: chromiumPdf(html, path.join(dir, `${base}.pdf`), dir), html };
}
