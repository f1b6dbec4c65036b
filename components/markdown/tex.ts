import katex from "katex";

/**
 * Rendered formulas by macros, then (display, tex): a streaming answer re-renders its finished formulas
 * on every chunk. One cache per macros object (a course's macros arrive once, with the page).
 */
const noMacros = {};
const caches = new WeakMap<object, Map<string, string | null>>();
const CACHE_MAX = 500;

/**
 * KaTeX HTML for one formula, or null when KaTeX cannot parse it (the caller shows the TeX source
 * instead of KaTeX's red error text). Output is KaTeX's own markup: no user HTML passes through.
 */
export function renderTex(tex: string, display: boolean, macros?: Record<string, string>): string | null {
  const byMacros = macros ?? noMacros;
  let cache = caches.get(byMacros);
  if (!cache) caches.set(byMacros, (cache = new Map()));
  const key = `${display ? "D" : "I"}${tex}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let html: string | null;
  try {
    // A copy: KaTeX may add to the object (\gdef in a formula), which must not leak into the next formula.
    html = katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: "ignore", trust: false, output: "htmlAndMathml", macros: { ...macros } });
  } catch {
    html = null;
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, html);
  return html;
}
