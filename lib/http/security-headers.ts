/**
 * Security headers. Pages get a per-request CSP with a nonce (proxy.ts; Next.js puts the nonce on its own
 * scripts when it finds it in the request's CSP); every response gets the static headers (next.config.ts).
 * No Node or env imports: proxy.ts and next.config.ts both use this file.
 */

/**
 * The CSP of a page. Scripts: only those carrying this response's nonce (and what they load, 'strict-dynamic').
 * Styles: 'unsafe-inline' because KaTeX lays formulas out with style attributes, which no nonce can cover
 * (CSS cannot run script; the XSS guard is script-src). Everything else from this origin only.
 */
export function pageCsp(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** API responses are data, never documents: nothing may load from them and nothing may frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** On every response (pages, APIs, static files, errors). */
export const STATIC_SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  // For browsers that predate CSP's frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** Request header proxy.ts sets to the page's path and query (not-found pages get no params). */
export const PAGE_URL_HEADER = "x-tutor-page-url";
