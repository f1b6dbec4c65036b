import katex from "katex";

/** Rendered formulas by (display, tex): a streaming answer re-renders its finished formulas on every chunk. */
const cache = new Map<string, string | null>();
const CACHE_MAX = 500;

/**
 * KaTeX HTML for one formula, or null when KaTeX cannot parse it (the caller shows the TeX source
 * instead of KaTeX's red error text). Output is KaTeX's own markup: no user HTML passes through.
 */
export function renderTex(tex: string, display: boolean): string | null {
  const key = `${display ? "D" : "I"}${tex}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let html: string | null;
  try {
    html = katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: "ignore", trust: false, output: "htmlAndMathml" });
  } catch {
    html = null;
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, html);
  return html;
}
