import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { env } from "../env";
import { TutorError } from "../errors";

/**
 * Who may see the instructor page and its APIs (issue 16). One secret, `TUTOR_INSTRUCTOR_TOKEN`:
 * - unset → the page and its APIs do not exist (404, as for any unknown address);
 * - a script (curl, the CSV in a spreadsheet tool) sends `Authorization: Bearer <token>`;
 * - a browser signs in once through the page's form (POST /api/instructor/sign-in) and then carries the cookie
 *   below: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), never the token
 *   itself but an HMAC keyed by it, so a copied cookie does not reveal the token and changing the token signs
 *   every browser out. The token is never put in a URL (addresses end up in logs and histories) and never logged.
 * Comparisons are constant-time over SHA-256 digests (equal lengths whatever was sent).
 */
export const INSTRUCTOR_COOKIE = "tutor-instructor";

/** How long a browser stays signed in. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

export type InstructorAccess = "disabled" | "denied" | "granted";

/** What a request presents: its Authorization header and its instructor cookie. */
export interface Credentials {
  authorization?: string | null;
  cookie?: string | null;
}

function sameSecret(a: string, b: string): boolean {
  const da = createHash("sha256").update(a, "utf8").digest();
  const db = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(da, db);
}

/** The cookie value that proves a sign-in with `token`. */
export function sessionValue(token: string): string {
  return createHmac("sha256", token).update("course-tutor instructor session v1").digest("base64url");
}

/** Is `candidate` the configured token? (false when none is configured) */
export function isInstructorToken(candidate: string, token: string | undefined = env.TUTOR_INSTRUCTOR_TOKEN): boolean {
  return !!token && sameSecret(candidate, token);
}

/** The access a request's credentials give (`token`: the configured secret; default TUTOR_INSTRUCTOR_TOKEN). */
export function instructorAccess(creds: Credentials, token: string | undefined = env.TUTOR_INSTRUCTOR_TOKEN): InstructorAccess {
  if (!token) return "disabled";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(creds.authorization ?? "")?.[1];
  // Both are checked (no early return), so the time taken does not say which one a request carried.
  const byHeader = bearer !== undefined && sameSecret(bearer, token);
  const byCookie = !!creds.cookie && sameSecret(creds.cookie, sessionValue(token));
  return byHeader || byCookie ? "granted" : "denied";
}

/** A route handler's request → its credentials. */
export function requestCredentials(request: Request): Credentials {
  return { authorization: request.headers.get("authorization"), cookie: readCookie(request.headers.get("cookie"), INSTRUCTOR_COOKIE) };
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * For the instructor APIs: throws `not-found` when the feature is off and `unauthorized` when the request lacks
 * the token (the 401 carries `WWW-Authenticate`, see `instructorErrorHeaders`).
 */
export function requireInstructor(request: Request): void {
  const access = instructorAccess(requestCredentials(request));
  if (access === "disabled") throw new TutorError("not-found", "Not found.");
  if (access === "denied") {
    throw new TutorError("unauthorized", "The instructor's token is missing or wrong: send Authorization: Bearer <TUTOR_INSTRUCTOR_TOKEN>, or sign in on the instructor page.");
  }
}

/** The Set-Cookie header of a sign-in (`secure` on https) or, with `value` null, of a sign-out. */
export function sessionCookie(value: string | null, secure: boolean): string {
  const attrs = [`${INSTRUCTOR_COOKIE}=${value ?? ""}`, "Path=/", "HttpOnly", "SameSite=Strict", `Max-Age=${value ? SESSION_MAX_AGE_S : 0}`];
  if (secure) attrs.push("Secure");
  return attrs.join("; ");
}
