import type { IncomingMessage } from "node:http";

/**
 * A page's HTTP status, asked for by the page itself and applied by `server.ts`. Next 16 renders a `notFound()`
 * page as an empty HTML shell whose text only the browser's JavaScript draws from the RSC payload
 * (vercel/next.js#62228), so a client without JavaScript sees nothing. Our pages render their friendly "no such
 * label" text themselves and ask for the 404 here: server.ts stamps every request with a fresh id (overwriting
 * any a client sent) and, as the head goes out, writes the status the page asked for under that id.
 * The table lives on globalThis: server.ts and Next's bundled page code load this module as two copies.
 */
export const REQUEST_ID_HEADER = "x-tutor-request";

const holder = globalThis as { __tutorPageStatus?: { statuses: Map<string, number>; next: number } };
const state = (holder.__tutorPageStatus ??= { statuses: new Map(), next: 0 });

/** server.ts: a fresh id for this request, in its headers for the page to read. */
export function stampRequestId(req: IncomingMessage): string {
  const id = String(++state.next);
  req.headers[REQUEST_ID_HEADER] = id;
  return id;
}

/** server.ts: the status the page asked for, forgotten once taken (and when the response ends unasked). */
export function takePageStatus(id: string): number | undefined {
  const status = state.statuses.get(id);
  state.statuses.delete(id);
  return status;
}

/**
 * Asks for `status` on the page being rendered (`requestHeaders`: next/headers' `headers()`). False when no
 * server.ts runs the request (`next dev`, a bare `next start`): the caller then falls back to `notFound()`, which
 * sets the status but shows the text only with JavaScript.
 */
export function setPageStatus(requestHeaders: { get(name: string): string | null }, status: number): boolean {
  const id = requestHeaders.get(REQUEST_ID_HEADER);
  if (!id || state.next === 0) return false;
  state.statuses.set(id, status);
  return true;
}
