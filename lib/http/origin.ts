import { TutorError } from "../errors";

/**
 * Only the app's own pages (and TUTOR_ALLOWED_ORIGINS) may spend the LLM budget from a browser: a browser
 * names the page's origin in `Origin` (or at least says `Sec-Fetch-Site: cross-site`) on a cross-site POST.
 * Requests without either (curl, scripts) are not browser forgeries and pass. Throws `forbidden-origin`.
 */
export function assertSameOrigin(request: Request, allowedOrigins: string | undefined): void {
  const origin = request.headers.get("origin");
  if (origin && origin !== "null") {
    const allowed = (allowedOrigins ?? "").split(",").map((s) => s.trim().replace(/\/+$/, "")).filter(Boolean);
    if (allowed.includes(origin)) return;
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {
      /* not a URL: refused below */
    }
    // The app's own host: as the browser sent it, or as a trusted proxy forwarded it (server.ts drops an
    // X-Forwarded-Host that no trusted proxy set; a browser cannot add one to a cross-site request anyway).
    const own = [request.headers.get("host"), request.headers.get("x-forwarded-host")].filter((h): h is string => !!h).map((h) => h.toLowerCase());
    if (host && own.includes(host.toLowerCase())) return;
    throw new TutorError("forbidden-origin", `Requests from ${origin.slice(0, 100)} may not use the tutor: only the tutor's own pages (and origins in TUTOR_ALLOWED_ORIGINS) may.`);
  }
  if (origin === "null" || request.headers.get("sec-fetch-site") === "cross-site") {
    throw new TutorError("forbidden-origin", "Requests from other sites may not use the tutor: only the tutor's own pages may.");
  }
}
