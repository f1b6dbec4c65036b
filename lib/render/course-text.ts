import katex from "katex";
import { KIND_NAMES } from "../course/labels";

export interface RenderOptions {
  /**
   * Where a cross-reference in the text ("Theorem 1.40", "[Exercise 1.41]", "Section~1.6") links to; when
   * given, each becomes `<a class="xref" href=… data-cite="Theorem 1.40">`, so a student can follow it.
   */
  refHref?: (label: string) => string;
}

/**
 * Course text (prose with LaTeX math, as the notes have it) → safe HTML with math rendered by KaTeX.
 * Everything that is not math is HTML-escaped. Handles `$…$`, `\(…\)` inline and `$$…$$`, `\[…\]`
 * and the display environments (align, equation, …) as display math; a few text-mode macros
 * (\emph, \textbf, \ref left as text) and the notes' own blocks (hint, quiz, proof, Sage code) get markup.
 * KaTeX runs with throwOnError: false, so a formula it cannot render shows as red source, never an error.
 */
export function renderCourseText(text: string, opts: RenderOptions = {}): string {
  const out: string[] = [];
  const blocks = splitBlocks(text);
  for (const b of blocks) {
    if (b.kind === "code") out.push(`<pre class="code"><code>${escapeHtml(b.text)}</code></pre>`);
    else if (b.kind === "env") out.push(`<div class="env env-${b.name}"><div class="env-name">${escapeHtml(ENV_NAMES[b.name] ?? b.name)}</div>${renderCourseText(b.text, opts)}</div>`);
    else {
      for (const para of b.text.split(/\n\s*\n/)) {
        if (!para.trim()) continue;
        out.push(`<p>${renderInline(para.trim(), opts)}</p>`);
      }
    }
  }
  return out.join("\n");
}

const ENV_NAMES: Record<string, string> = { hint: "Hint", quiz: "Quiz", proof: "Proof", solution: "Solution" };
const MATH_ENVS = "align|align\\*|equation|equation\\*|gather|gather\\*|multline|multline\\*|eqnarray|eqnarray\\*|displaymath";

type Segment = { kind: "text"; text: string } | { kind: "code"; text: string } | { kind: "env"; name: string; text: string };

/** Pulls out code (Sage HTML blocks, fences, lstlisting/verbatim) and hint/quiz/proof environments. */
function splitBlocks(text: string): Segment[] {
  const re = new RegExp(
    [
      String.raw`<div\s+class=["']?sage[^>]*>\s*(?:<script[^>]*>)?([\s\S]*?)(?:<\/script>\s*)?<\/div>`,
      String.raw`^\x60\x60\x60[^\n]*\n([\s\S]*?)^\x60\x60\x60\s*$`,
      String.raw`\\begin\{(lstlisting|verbatim|minted|sagecommandline|sageblock)\}(?:\[[^\]]*\]|\{[^}]*\})*([\s\S]*?)\\end\{\3\}`,
      String.raw`\\begin\{(hint|quiz|proof|solution)\}(?:\[[^\]]*\])?([\s\S]*?)\\end\{\5\}`,
      String.raw`^:::+(hint|quiz|proof|solution)[^\n]*\n([\s\S]*?)^:::+\s*$`,
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
    if (m[1] !== undefined) html += math(m[1], true);
    else if (m[2] !== undefined) html += math(m[2], true);
    else if (m[3] !== undefined) html += math(envToKatex(m[3], m[4]), true);
    else if (m[5] !== undefined) html += math(m[5], false);
    else html += math(m[6], false);
    last = m.index! + m[0].length;
  }
  return html + renderProse(text.slice(last), opts);
}

function math(tex: string, display: boolean): string {
  return katex.renderToString(tex.trim(), { displayMode: display, throwOnError: false, strict: "ignore", trust: false, output: "htmlAndMathml" });
}

/** KaTeX knows `aligned`/`gathered` rather than the top-level amsmath environments. */
function envToKatex(env: string, body: string): string {
  const base = env.replace("*", "");
  const inner = base === "align" || base === "eqnarray" ? "aligned" : base === "gather" ? "gathered" : base === "multline" ? "gathered" : "";
  const cleaned = body.replace(/\\label\{[^}]*\}/g, "").replace(/\\(nonumber|notag)\b/g, "");
  return inner ? `\\begin{${inner}}${cleaned}\\end{${inner}}` : cleaned;
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
  s = s.replace(/\\label\{[^}]*\}/g, "");
  s = s.replace(/\\(?:item)\s*(\[[^\]]*\])?/g, (_m, l) => `<br>${l ? l.slice(1, -1) + " " : "• "}`);
  s = s.replace(/\\(?:begin|end)\{(?:enumerate|itemize|center)\}(?:\[[^\]]*\])?/g, "");
  s = s.replace(/\\\\(?=\s|$)/g, "<br>");
  s = s.replace(/---/g, "—").replace(/--/g, "–").replace(/~/g, "&nbsp;");
  // Parts "(a) …" and list lines keep their own line; other newlines are just spaces in a paragraph.
  s = s.replace(/\n\s*(?=\([a-z]\)\s)/g, "<br>");
  s = s.replace(/\n\s*[-*]\s+/g, "<br>• ");
  s = s.replace(/\n/g, " ");
  return opts.refHref ? linkRefs(s, opts.refHref) : s;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
