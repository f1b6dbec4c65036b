import { CITE_HREF_PREFIX, groupHref, parseCitationBracket } from "@/components/citations/groups";
import { parseRef, refLabel } from "@/lib/cite/refs";

/**
 * Tutor Markdown (as the model writes it, possibly half-streamed) → Markdown that react-markdown +
 * remark-math parse the same way every time. Pure, so the chat and the tests see the same thing.
 *
 * - Math: `$…$`, `\(…\)` inline and `$$…$$`, `\[…\]` display are all found here, by one scanner, and
 *   re-emitted as remark-math inline math (`$…$`); display math carries the {@link DISPLAY_MARK} prefix
 *   so the renderer switches KaTeX to display mode. remark-math alone knows neither `\(…\)` nor a one-line
 *   `$$…$$` as display math, and would read "$5 and $10" as a formula. A `$` that opens nothing is escaped.
 * - Streaming: an opened but not yet closed formula (`$\frac{a`) or citation (`[Exercise 1.4`) at the
 *   end of the text is cut off and reported as `pending`, so half-written TeX never reaches KaTeX
 *   (no red error flash, no layout jump); once the answer is done, an unclosed `$` is shown as text.
 * - Citations: `[Exercise 1.41]`, `[Ex. 1.41(b)]`, `[Section 1.6, Exercise 1.41]` become links to
 *   `#cite:<label>`, which the renderer turns into citation chips. Code spans and fences are left alone.
 */
export const DISPLAY_MARK = "\\tutordisplay ";
export { CITE_HREF_PREFIX };

export interface PreparedMarkdown {
  markdown: string;
  /** True when an unfinished formula or citation at the end was held back (only while streaming). */
  pending: boolean;
}

export function prepareMarkdown(text: string, opts: { streaming?: boolean; citations?: boolean } = {}): PreparedMarkdown {
  const streaming = !!opts.streaming;
  const citations = opts.citations !== false;
  let pending = false;
  const out: string[] = [];
  for (const seg of splitCode(text)) {
    if (seg.code) {
      out.push(seg.text);
      continue;
    }
    const r = convertProse(seg.text, { streaming: streaming && seg.last, citations });
    out.push(r.markdown);
    if (r.pending) {
      pending = true;
      break;
    }
  }
  return { markdown: out.join(""), pending };
}

type Seg = { code: boolean; text: string; last: boolean };

/** Fenced code blocks (an unclosed fence runs to the end) and inline code spans are passed through as they are. */
function splitCode(text: string): Seg[] {
  const segs: Seg[] = [];
  const fence = /^[ \t]{0,3}(`{3,}|~{3,})[^\n]*(?:\n[\s\S]*?(?:\n[ \t]{0,3}\1[`~]*[ \t]*(?=\n|$(?![\s\S]))|$(?![\s\S]))|$(?![\s\S]))/gm;
  const span = /(`+)(?!`)[^\n]*?[^`\n]\1(?!`)|(`+)(?!`)[^`\n]\2(?!`)/g;
  const pushProse = (t: string) => {
    let last = 0;
    for (const m of t.matchAll(span)) {
      if (m.index! > last) segs.push({ code: false, text: t.slice(last, m.index), last: false });
      segs.push({ code: true, text: m[0], last: false });
      last = m.index! + m[0].length;
    }
    if (last < t.length) segs.push({ code: false, text: t.slice(last), last: false });
  };
  let last = 0;
  for (const m of text.matchAll(fence)) {
    if (m.index! > last) pushProse(text.slice(last, m.index));
    segs.push({ code: true, text: m[0], last: false });
    last = m.index! + m[0].length;
  }
  if (last < text.length) pushProse(text.slice(last));
  if (segs.length) segs[segs.length - 1].last = true;
  return segs;
}

/** Whitespace that TeX ignores; a blank line inside a formula would end the Markdown paragraph. */
function flattenTex(tex: string): string {
  return tex.replace(/\s*\n\s*/g, " ").trim();
}

function inlineMath(tex: string): string {
  const t = flattenTex(tex);
  return t ? `$${t}$` : "";
}

/**
 * A display formula that starts on a quoted line ("> \\begin{align}") has the quote markers of its
 * other lines inside it: they belong to Markdown, not to the formula.
 */
function unquote(text: string, at: number, tex: string): string {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  return /^[ \t]*>/.test(text.slice(lineStart, at)) ? tex.replace(/\n[ \t]*(?:>[ \t]?)+/g, "\n") : tex;
}

function displayMath(tex: string): string {
  const t = flattenTex(tex);
  return t ? `$${DISPLAY_MARK}${t}$` : "";
}

const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);

/** The closing `$` of inline math opened at `open` (Pandoc's rule: no space inside the delimiters, no digit after the closer). */
function findInlineClose(text: string, open: number): number {
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j];
    if (c === "\\") {
      j++;
      continue;
    }
    if (c === "\n" && /^\n[ \t]*\n/.test(text.slice(j, j + 3 + 4))) return -1;
    if (c === "$") {
      if (!isSpace(text[j - 1]) && !/\d/.test(text[j + 1] ?? "")) return j;
      return -1;
    }
  }
  return -1;
}

function convertProse(text: string, opts: { streaming: boolean; citations: boolean }): PreparedMarkdown {
  let out = "";
  let prose = "";
  const flush = () => {
    // No raw HTML in answers: "a<b and c>0" is mathematics, not a tag for Markdown to drop. As an
    // entity, "<" is shown as typed (in math and code it was never prose).
    const md = textModeLatex(prose.replace(/\\?</g, "&lt;"));
    out += opts.citations ? linkCitations(md) : md;
    prose = "";
  };
  const hold = (): PreparedMarkdown => {
    flush();
    return { markdown: out, pending: true };
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "\\" && next === "$") {
      prose += "\\$";
      i += 2;
      continue;
    }
    if (c === "$" && next === "$") {
      const close = text.indexOf("$$", i + 2);
      if (close >= 0) {
        flush();
        out += displayMath(unquote(text, i, text.slice(i + 2, close)));
        i = close + 2;
        continue;
      }
      if (opts.streaming) return hold();
      prose += "\\$\\$";
      i += 2;
      continue;
    }
    if (c === "\\" && (next === "[" || next === "(")) {
      const closer = next === "[" ? "\\]" : "\\)";
      const close = text.indexOf(closer, i + 2);
      if (close >= 0) {
        flush();
        const tex = text.slice(i + 2, close);
        out += next === "[" ? displayMath(unquote(text, i, tex)) : inlineMath(tex);
        i = close + 2;
        continue;
      }
      if (opts.streaming) return hold();
      // Never closed: show the delimiter as written (Markdown would read "\(" as an escaped "(").
      prose += `\\\\${next}`;
      i += 2;
      continue;
    }
    if (c === "\\" && next === "b" && text.startsWith("\\begin{", i)) {
      // A display environment written without $$ ("\begin{align} … \end{align}"): KaTeX renders it.
      const env = /^\\begin\{((?:align|equation|gather|alignat)\*?)\}/.exec(text.slice(i, i + 30));
      if (env) {
        const endTag = `\\end{${env[1]}}`;
        const close = text.indexOf(endTag, i);
        if (close >= 0) {
          flush();
          out += displayMath(unquote(text, i, text.slice(i, close + endTag.length)));
          i = close + endTag.length;
          continue;
        }
        if (opts.streaming) return hold();
      }
    }
    if (opts.streaming && next === undefined && (c === "$" || c === "\\")) {
      // The last character may open a formula ("$", "\(" …): wait for the next chunk.
      return hold();
    }
    if (c === "$") {
      if (!isSpace(next)) {
        const close = findInlineClose(text, i);
        if (close >= 0) {
          flush();
          out += inlineMath(text.slice(i + 1, close));
          i = close + 1;
          continue;
        }
        // Still being written: the rest of the paragraph may close it.
        if (opts.streaming && !/\n[ \t]*\n/.test(text.slice(i))) return hold();
      }
      prose += "\\$";
      i += 1;
      continue;
    }
    if (c === "\\" && next !== undefined) {
      // Keep Markdown escapes together so "\[" handling above never sees half of "\\[".
      prose += c + next;
      i += 2;
      continue;
    }
    prose += c;
    i += 1;
  }
  if (opts.streaming) {
    // A citation still being written ("… see [Exercise 1.4") is held back until its "]" arrives.
    const m = /\[[^\]\n]{0,60}$/.exec(prose);
    if (m && /^\[\s*(?:[\p{L}§]+\.?\s*)?[\dA-Z.]*(?:\s*\(\s*[a-z]?\s*\)?)?(?:\s*[,;]\s*[^\]]*)?$/u.test(m[0])) {
      prose = prose.slice(0, m.index);
      flush();
      return { markdown: out, pending: true };
    }
  }
  flush();
  return { markdown: out, pending: false };
}

const ENV_HEADINGS: Record<string, string> = { hint: "Hint.", quiz: "Quiz.", proof: "Proof.", solution: "Solution.", remark: "Remark.", example: "Example." };

/**
 * The text-mode LaTeX that quoted notes carry into answers: `\begin{hint}` … `\end{hint}` become a bold
 * "Hint." lead-in, `\emph`/`\textbf`/`\texttt` become Markdown, list environments disappear.
 */
export function textModeLatex(prose: string): string {
  return prose
    .replace(/\\begin\{(\w+)\*?\}(?:\[[^\]\n]*\])?/g, (m, env: string) => (ENV_HEADINGS[env] ? `**${ENV_HEADINGS[env]}** ` : /^(itemize|enumerate|center)$/.test(env) ? "" : m))
    .replace(/\\end\{(\w+)\*?\}/g, (m, env: string) => (env === "proof" ? " ∎" : ENV_HEADINGS[env] || /^(itemize|enumerate|center)$/.test(env) ? "" : m))
    .replace(/\\(?:emph|textit)\{([^{}\n]*)\}/g, "*$1*")
    .replace(/\\textbf\{([^{}\n]*)\}/g, "**$1**")
    .replace(/\\texttt\{([^{}\n]*)\}/g, "`$1`");
}

/**
 * `[Exercise 1.41]` → `[Exercise 1.41](#cite:Exercise%201.41)`: one link per written reference, so a range or a
 * list of one kind is one chip (`[Exercises 1.41–1.43](#cite:Exercise%201.41,~Exercise%201.42,Exercise%201.43)`,
 * see components/citations/groups.ts) and `[Section 1.6, Exercise 1.41]` is two. Only brackets whose every piece is
 * a label change; a real link `[x](url)` and a reference definition `[x]: url` at a line's start do not.
 */
export function linkCitations(prose: string): string {
  // The notes' own "[Theorem 1.40](5)" (item (5) of the theorem) keeps its "(5)" as text.
  prose = prose.replace(/\[([^\[\]\n]{2,60})\]\(([^()\s:/]{1,12})\)/g, (whole, inner: string, tail: string) => {
    const groups = parseRef(inner)?.kind ? parseCitationBracket(inner) : null;
    return groups?.length === 1 ? `[${escapeLinkText(groups[0].text)}](${groupHref(groups[0].members)})(${tail})` : whole;
  });
  return prose.replace(/\[([^\[\]\n]{2,120})\](?!\(|\[)/g, (whole, inner: string, at: number) => {
    if (prose[at + whole.length] === ":" && /(?:^|\n)[ \t]{0,3}$/.test(prose.slice(0, at))) return whole;
    const groups = parseCitationBracket(inner);
    if (!groups) return whole;
    return groups.map((g) => `[${escapeLinkText(g.text)}](${groupHref(g.members)})`).join(", ");
  });
}

function escapeLinkText(s: string): string {
  return s.replace(/([\\[\]*_`])/g, "\\$1");
}

/** "Ex. 1.41(b)" → "Exercise 1.41": the key a citation's verdict is looked up by. */
export function citationKey(label: string): string {
  const ref = parseRef(label);
  return (ref && refLabel(ref)) ?? label.trim();
}

/** The part letter of "Ex. 1.41(b)", if any. */
export function citationPart(label: string): string | undefined {
  return parseRef(label)?.part;
}
