"use client";

import { Fragment, useContext } from "react";
import { MathMacrosContext } from "./math-macros";
import { renderTex } from "./tex";

/** `$…$`, `$$…$$`, `\(…\)`, `\[…\]` in one line of text (a title), display math shown inline. */
const MATH = /\$\$([^$]+?)\$\$|(?<!\\)\$([^$\n]+?)(?<!\\)\$|\\\(([\s\S]+?)\\\)|\\\[([\s\S]+?)\\\]/g;

/** Text and formulas of a title, in order; a pure function for the tests. */
export function splitInlineMath(text: string): { math: boolean; text: string }[] {
  const out: { math: boolean; text: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(MATH)) {
    if (m.index > last) out.push({ math: false, text: text.slice(last, m.index) });
    out.push({ math: true, text: (m[1] ?? m[2] ?? m[3] ?? m[4]).trim() });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ math: false, text: text.slice(last) });
  return out;
}

/** A title's text as read aloud or put in an attribute: formulas keep their TeX, without the delimiters. */
export function plainTitle(text: string): string {
  return splitInlineMath(text)
    .map((s) => s.text)
    .join("");
}

/**
 * One line of text with its formulas rendered by KaTeX (conversation titles, outline item titles): phrasing
 * content only, so it may sit inside a button. A formula KaTeX cannot parse stays as its source.
 */
export function InlineMath({ text }: { text: string }) {
  const macros = useContext(MathMacrosContext);
  return (
    <>
      {splitInlineMath(text).map((s, i) => {
        if (!s.math) return <Fragment key={i}>{s.text}</Fragment>;
        const html = renderTex(s.text, false, macros);
        return html === null ? (
          <code key={i} className="math-source">
            {s.text}
          </code>
        ) : (
          <span key={i} className="math math-inline" dangerouslySetInnerHTML={{ __html: html }} />
        );
      })}
    </>
  );
}
