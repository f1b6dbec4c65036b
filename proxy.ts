import { NextResponse, type NextRequest } from "next/server";
import { PAGE_URL_HEADER, pageCsp } from "./lib/http/security-headers";

/**
 * Runs before every page (not the API, not static files):
 * - a citation address with a malformed escape ("/cite/%ZZ") would make Next's route matching throw a bare 500;
 *   it gets a 400 with a reason instead, before routing;
 * - a fresh CSP nonce per request, in the request's CSP (Next.js reads it there and puts it on its scripts) and
 *   in the response's (docs: Next.js guide "Content Security Policy");
 * - the page's address in a request header, for the not-found pages.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  // NODE_ENV is inlined by Next at build time; it is not configuration (lib/env.ts reads the rest).
  const csp = pageCsp(nonce, process.env.NODE_ENV === "development");
  if (request.nextUrl.pathname.startsWith("/cite/")) {
    try {
      decodeURIComponent(request.nextUrl.pathname);
    } catch {
      return new NextResponse("Bad request: the address has a malformed %-escape. Open a label as /cite/Exercise%201.41.", {
        status: 400,
        headers: { "content-type": "text/plain; charset=utf-8", "content-security-policy": csp },
      });
    }
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  // The address, for not-found pages (they get no params): they name what was asked for and suggest labels.
  requestHeaders.set(PAGE_URL_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`.slice(0, 2000));
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
