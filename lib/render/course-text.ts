import katex from "katex";
import { KIND_NAMES } from "../course/labels";

export interface RenderOptions {
  /**
   * Where a cross-reference in the text ("Theorem 1.40", "[Exercise 1.41]", "Section~1.6") links to; when
   * given, each becomes `<a class="xref" href=… data-cite="Theorem 1.40">`, so a student can follow it.
   */
  refHref?: (label: string) => string;
  /** The course's own math macros, KaTeX's `macros` form (`"\\norm": "\\lVert #1\\rVert"`), stored at ingest. */
  macros?: Record<string, string>;
  /**
   * Where a figure's image file (`![figure](<tex/figures/chord.png>)` in the text) is served; without it
   * figures show only their caption. Every figure is an `<img>` (GET /api/figure draws a PDF figure as a PNG),
   * its alt text the caption that follows it.
   */
  figureHref?: (file: string) => string;
}

/**
 * Course text (prose with LaTeX math, as the notes have it) → safe HTML with math rendered by KaTeX.
 * Everything that is not math is HTML-escaped. Handles `$…$`, `\(…\)` inline and `$$…$$`, `\[…\]`
 * and the display environments (align, equation, …) as display math, with the printed equation numbers
 * the LaTeX parser wrote as `\tag{…}` (never KaTeX's own (1), (2)); the course's macros (`opts.macros`);
 * Markdown emphasis and code (`*…*`, `**…**`, `` `…` ``) and a few text-mode macros (\emph, \textbf) for
 * sources that still have them; list-item paragraphs ("(a) …", indented when nested), "Figure 2.3: …"
 * captions and `a | b` table rows as the LaTeX printed-text pass (`lib/course/latex-printed.ts`) writes
 * them; the notes' own blocks (hint, quiz, proof, Sage code) as boxes and code.
 * KaTeX runs with throwOnError: false, so a formula it cannot render shows as red source, never an error.
 */
export function renderCourseText(text: string, opts: RenderOptions = {}): string {
  const out: string[] = [];
  const blocks = splitBlocks(text);
  for (const b of blocks) {
    if (b.kind === "code") out.push(`<pre class="code"><code>${escapeHtml(b.text)}</code></pre>`);
    else if (b.kind === "env") out.push(`<div class="env env-${b.name}"><div class="env-name">${escapeHtml(ENV_NAMES[b.name] ?? b.name)}</div>${renderCourseText(b.text, opts)}</div>`);
    else {
      const paras = b.text.split(/\n[ \t]*\n/).filter((p) => p.trim());
      paras.forEach((para, i) => out.push(renderParagraph(para, opts, paras[i + 1])));
    }
  }
  return out.join("\n");
}

/** A paragraph: a list item (indented two spaces per nesting level), a caption, table rows or prose; `next`, the paragraph after it. */
function renderParagraph(para: string, opts: RenderOptions, next?: string): string {
  const indent = /^ */.exec(para)![0].length >> 1;
  const text = para.trim();
  const lines = text.split("\n");
  const noMath = (l: string) => l.replace(/\$[^$]*\$|\\\(.*?\\\)/g, "x");
  if (lines.length > 1 && lines.every((l) => noMath(l).includes(" | "))) {
    const rows = lines.map((l) => `<tr>${l.split(" | ").map((c) => `<td>${renderInline(c.trim(), opts)}</td>`).join("")}</tr>`);
    return `<table class="tabular"><tbody>${rows.join("")}</tbody></table>`;
  }
  const image = /^!\[([^\]\n]*)\]\((?:<([^>\n]+)>|([^)\s]+))\)$/.exec(text);
  if (image) return renderFigure(image[2] ?? image[3], captionAlt(next) ?? (image[1] || "Figure"), opts);
  const caption = CAPTION_RE.exec(text);
  if (caption) return `<p class="caption"><strong>${escapeHtml(caption[1])}:</strong> ${renderInline(text.slice(caption[0].length), opts)}</p>`;
  const item = /^(\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]|\([a-zA-Z]{1,2}\)|\(?[ivxlcIVXLC]{1,6}[.)]|•|\*\*[^*\n]{1,60}\*\*)\s/.exec(text);
  if (item || indent) {
    const style = indent ? ` style="margin-left:${(1.5 * indent).toFixed(1)}em"` : "";
    return `<p class="li"${style}>${renderInline(text, opts)}</p>`;
  }
  return `<p>${renderInline(text, opts)}</p>`;
}

/** Where GET /api/figure serves a course's figure file. */
export function figureHref(course: string, file: string): string {
  return `/api/figure?course=${encodeURIComponent(course)}&file=${encodeURIComponent(file)}`;
}

const CAPTION_RE = /^((?:Figure|Table) [\w.-]*\d[\w.-]*):\s/;

/**
 * A figure's alt text: the caption printed under it ("Figure 4.1: A convex function: the chord from (x,f(x)) …"),
 * as plain text (math delimiters and emphasis marks dropped, the formula's source kept); undefined when the
 * paragraph after the image is no caption.
 */
function captionAlt(next: string | undefined): string | undefined {
  const text = next?.trim();
  if (!text || !CAPTION_RE.test(text)) return undefined;
  return text
    .replace(/\$\$?|\\[()[\]]/g, "")
    .replace(/\*\*?|`/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Every figure is an image: PNG/JPEG as they are, a PDF figure as the PNG GET /api/figure draws of it (the page's
 * CSP has `object-src 'none'`, so an embedded PDF would never show); a figure that cannot be drawn comes back as
 * a placeholder image saying so.
 */
function renderFigure(file: string, alt: string, opts: RenderOptions): string {
  if (!opts.figureHref) return "";
  return `<div class="figure"><img src="${escapeHtml(opts.figureHref(file))}" alt="${escapeHtml(alt)}" loading="lazy" decoding="async"></div>`;
}

const ENV_NAMES: Record<string, string> = { hint: "Hint", quiz: "Quiz", proof: "Proof", solution: "Solution", answer: "Answer" };
const MATH_ENVS = ["align", "flalign", "alignat", "xalignat", "xxalignat", "equation", "gather", "multline", "eqnarray", "dmath"].map((e) => `${e}|${e}\\*`).join("|") + "|displaymath";

type Segment = { kind: "text"; text: string } | { kind: "code"; text: string } | { kind: "env"; name: string; text: string };

/** Pulls out code (Sage HTML blocks, fences, lstlisting/verbatim) and hint/quiz/proof environments. */
function splitBlocks(text: string): Segment[] {
  const re = new RegExp(
    [
      String.raw`<div\s+class=["']?sage[^>]*>\s*(?:<script[^>]*>)?([\s\S]*?)(?:<\/script>\s*)?<\/div>`,
      String.raw`^\x60\x60\x60[^\n]*\n([\s\S]*?)^\x60\x60\x60\s*$`,
      String.raw`\\begin\{(lstlisting|verbatim|minted|sagecommandline|sageblock)\}(?:\[[^\]]*\]|\{[^}]*\})*([\s\S]*?)\\end\{\3\}`,
      String.raw`\\begin\{(hint|quiz|proof|solution|answer)\}(?:\[[^\]]*\])?([\s\S]*?)\\end\{\5\}`,
      String.raw`^:::+(hint|quiz|proof|solution|answer)[^\n]*\n([\s\S]*?)^:::+\s*$`,
    ].join("|"),
    "gm",
  );
  const segs: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index! > last) segs.push({ kind: "text", text: text.slice(last, m.index) });
    if (m[1] !== undefined) segs.push({ kind: "code", text: m[1].trim() });
    else if (m[2] !== undefined) segs.push({ kind: "code", text: m[2].trimEnd() });
    else if (m[4] !== undefined) segs.push({ kind: "code", text: m[4].trim() });
    else if (m[5] !== undefined) segs.push({ kind: "env", name: m[5], text: m[6].trim() });
    else segs.push({ kind: "env", name: m[7], text: m[8].trim() });
    last = m.index! + m[0].length;
  }
  if (last < text.length) segs.push({ kind: "text", text: text.slice(last) });
  return segs;
}

/** Math delimiters, display first so `$$` is not read as two `$`. `\$` is a literal dollar. */
const MATH_RE = new RegExp(
  [
    String.raw`\$\$([\s\S]+?)\$\$`,
    String.raw`\\\[([\s\S]+?)\\\]`,
    String.raw`\\begin\{(${MATH_ENVS})\}([\s\S]*?)\\end\{\3\}`,
    String.raw`\\\(([\s\S]+?)\\\)`,
    String.raw`(?<!\\)\$((?:\\\$|[^$])+?)\$`,
  ].join("|"),
  "g",
);

export function renderInline(text: string, opts: RenderOptions = {}): string {
  let html = "";
  let last = 0;
  for (const m of text.matchAll(MATH_RE)) {
    html += renderProse(text.slice(last, m.index), opts);
    const macros = opts.macros;
    if (m[1] !== undefined) html += math(m[1], true, macros);
    else if (m[2] !== undefined) html += math(m[2], true, macros);
    else if (m[3] !== undefined) html += math(envToKatex(m[3], m[4]), true, macros);
    else if (m[5] !== undefined) html += math(m[5], false, macros);
    else html += math(m[6], false, macros);
    last = m.index! + m[0].length;
  }
  return html + renderProse(text.slice(last), opts);
}

function math(tex: string, display: boolean, macros?: Record<string, string>): string {
  // KaTeX may add to the macros object it is given (\gdef in a formula): each call gets a copy.
  return katex.renderToString(tex.trim(), {
    displayMode: display,
    throwOnError: false,
    strict: "ignore",
    trust: false,
    output: "htmlAndMathml",
    ...(macros ? { macros: { ...macros } } : {}),
  });
}

/**
 * The starred form of each amsmath environment KaTeX knows, so only the printed numbers (`\tag{3.2}`,
 * written by the LaTeX parser) show, never KaTeX's own (1), (2); the others become what KaTeX has.
 */
const KATEX_ENV: Record<string, string> = {
  align: "align*", flalign: "align*", eqnarray: "align*", gather: "gather*", multline: "gather*", equation: "equation*",
  alignat: "alignat*", xalignat: "alignat*", xxalignat: "alignat*", dmath: "equation*",
};

function envToKatex(env: string, body: string): string {
  const base = env.replace("*", "");
  const cleaned = body.replace(/\\label\{[^}]*\}/g, "");
  if (base === "displaymath") return cleaned;
  const target = KATEX_ENV[base];
  // eqnarray's three columns `a &=& b` read as align's `a &= b`.
  const b = base === "eqnarray" ? cleaned.replace(/&\s*([=<>]|\\[A-Za-z]+)\s*&/g, "&$1 ") : cleaned;
  return target ? `\\begin{${target}}${b}\\end{${target}}` : b;
}

/**
 * A cross-reference as the notes print it: a kind's name (singular or plural, any case of its first
 * letter) and a number, joined by a space or a tie (`&nbsp;` once escaped) — "Theorem 1.40",
 * "exercises 2.3", "Section&nbsp;1.6", "Example A.2". The number must not run on into another digit.
 */
const KIND_BY_FORM = new Map<string, string>();
for (const n of Object.values(KIND_NAMES)) {
  for (const form of [n, `${n}s`, ...(n.endsWith("y") ? [`${n.slice(0, -1)}ies`] : [])]) KIND_BY_FORM.set(form.toLowerCase(), n);
}
const XREF_RE = new RegExp(
  String.raw`(?<![\p{L}\d])(${[...KIND_BY_FORM.keys()]
    .sort((x, y) => y.length - x.length)
    .map((f) => `[${f[0].toUpperCase()}${f[0]}]${f.slice(1)}`)
    .join("|")})((?:\s|&nbsp;)+)(\d+(?:\.\d+){0,3}|[A-Z](?:\.\d+){1,3})(?![\d\p{L}]|\.\d)`,
  "gu",
);

/**
 * The plain-text export writes its cross-references as "[Theorem 1.40]" and "[Theorem 1.40](5)" (item (5) of
 * the theorem): a reader sees "Theorem 1.40" and "Theorem 1.40(5)", without the brackets.
 */
const BRACKETED_REF = new RegExp(String.raw`\[(${XREF_RE.source})\](?:\((\w{1,4})\))?`, "gu");

function unbracketRefs(html: string): string {
  return html.replace(BRACKETED_REF, (whole, ref: string, ...rest: unknown[]) => {
    const tail = rest[3];
    return typeof tail === "string" ? `${ref}(${tail})` : ref;
  });
}

function linkRefs(html: string, refHref: (label: string) => string): string {
  return html.replace(XREF_RE, (whole, name: string, gap: string, number: string) => {
    const label = `${KIND_BY_FORM.get(name.toLowerCase())} ${number}`;
    return `<a class="xref" href="${escapeHtml(refHref(label))}" data-cite="${escapeHtml(label)}">${whole}</a>`;
  });
}

/** Escapes prose and turns the commonest text-mode LaTeX into markup. */
function renderProse(text: string, opts: RenderOptions = {}): string {
  let s = escapeHtml(text);
  s = s.replace(/\\(emph|textit)\{([^{}]*)\}/g, "<em>$2</em>");
  s = s.replace(/\\textbf\{([^{}]*)\}/g, "<strong>$1</strong>");
  s = s.replace(/\\texttt\{([^{}]*)\}/g, "<code>$1</code>");
  s = s.replace(/\*\*([^*\n]+)\*\*/g, "<strong>$1</strong>");
  s = s.replace(/(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])/g, "<em>$1</em>");
  s = s.replace(/`([^`\n]+)`/g, "<code>$1</code>");
  s = s.replace(/\\label\{[^}]*\}/g, "");
  s = s.replace(/\\(?:item)\s*(\[[^\]]*\])?/g, (_m, l) => `<br>${l ? l.slice(1, -1) + " " : "• "}`);
  s = s.replace(/\\(?:begin|end)\{(?:enumerate|itemize|center)\}(?:\[[^\]]*\])?/g, "");
  s = s.replace(/\\\\(?=\s|$)/g, "<br>");
  s = s.replace(/---/g, "—").replace(/--/g, "–").replace(/~/g, "&nbsp;");
  // A literal dollar sign, escaped in the text so that no reader takes it for math.
  s = s.replace(/\\\$/g, "$");
  // Parts "(a) …" and list lines keep their own line; other newlines are just spaces in a paragraph.
  s = s.replace(/\n\s*(?=\([a-z]\)\s)/g, "<br>");
  s = s.replace(/\n\s*[-*]\s+/g, "<br>• ");
  s = s.replace(/\n/g, " ");
  s = unbracketRefs(s);
  return opts.refHref ? linkRefs(s, opts.refHref) : s;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
