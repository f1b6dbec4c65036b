/**
 * The course's own math macros (`\newcommand{\norm}[1]{\lVert #1\rVert}`, `\DeclareMathOperator{\Var}{Var}`,
 * `\def\R{\mathbb{R}}`) in the form KaTeX's `macros` option takes, so formulas render as the book prints
 * them. KaTeX itself decides which definitions it can use: each is tried on a sample call and dropped
 * when KaTeX rejects it (a macro that makes headings or steps counters has no business in a formula).
 */
import katex from "katex";
import type { TextMacro } from "./latex-printed";

/** KaTeX `macros`: `"\\norm"` → `"\\lVert #1\\rVert"`. JSON-safe, stored per course. */
export type KatexMacros = Record<string, string>;

/** Most macros a course hands to KaTeX (a runaway style file should not bloat every page). */
const MAX_MACROS = 2000;
const MAX_BODY = 2000;

/**
 * The definitions KaTeX can render, as its `macros` option. A macro with an optional first argument
 * (`\newcommand{\x}[2][0]{…}`) is given its default, since KaTeX macros have no optional arguments;
 * one whose body does not use its last argument is left out (KaTeX counts arguments from the body).
 */
export function toKatexMacros(defs: Iterable<TextMacro>): KatexMacros {
  const out: KatexMacros = {};
  let n = 0;
  for (const d of defs) {
    if (n >= MAX_MACROS) break;
    if (!/^[A-Za-z@]+$/.test(d.name) || d.body.length > MAX_BODY || d.name.includes("@")) continue;
    let body = d.body;
    let nargs = d.nargs;
    if (d.optional !== undefined) {
      body = body.replace(/#1/g, `{${d.optional}}`).replace(/#(\d)/g, (_m, k: string) => `#${Number(k) - 1}`);
      nargs--;
    }
    const highest = Math.max(0, ...[...body.matchAll(/#(\d)/g)].map((m) => Number(m[1])));
    if (highest !== nargs) continue;
    const key = `\\${d.name}`;
    const sample = `${key}${"{x}".repeat(nargs)}`;
    try {
      katex.renderToString(sample, { throwOnError: true, strict: "ignore", trust: false, macros: { ...out, [key]: body }, maxExpand: 200 });
    } catch {
      continue;
    }
    out[key] = body;
    n++;
  }
  return out;
}

/** Reads stored macros back, keeping only well-formed entries (an old store has none). */
export function parseKatexMacros(json: string | null | undefined): KatexMacros {
  if (!json) return {};
  try {
    const v: unknown = JSON.parse(json);
    if (!v || typeof v !== "object" || Array.isArray(v)) return {};
    const out: KatexMacros = {};
    for (const [k, body] of Object.entries(v as Record<string, unknown>)) {
      if (/^\\[A-Za-z]+$/.test(k) && typeof body === "string") out[k] = body;
    }
    return out;
  } catch {
    return {};
  }
}
