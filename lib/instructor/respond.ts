import { TutorError } from "../errors";
import { readBoundedBody } from "../http/body";
import { errorResponse } from "../http/respond";
import { requireInstructor } from "./auth";

/**
 * The instructor APIs' wrapper: the token checked first (404 when the feature is off, 401 with
 * `WWW-Authenticate` when the token is missing or wrong), then `handle`; errors become JSON as everywhere.
 * Responses are never cached (private figures).
 */
export async function instructorRoute(request: Request, route: string, handle: () => Promise<Response>): Promise<Response> {
  try {
    requireInstructor(request);
    const res = await handle();
    res.headers.set("cache-control", "no-store");
    return res;
  } catch (e) {
    const res = errorResponse(e, route);
    if (res.status === 401) res.headers.set("www-authenticate", 'Bearer realm="course-tutor instructor"');
    return res;
  }
}

/** Reads an `application/x-www-form-urlencoded` body of at most `limitBytes` (a sign-in form is tiny). */
export async function readFormBody(request: Request, limitBytes = 4096): Promise<Record<string, string>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type.trim())) {
    throw new TutorError("unsupported-media-type", "Send the sign-in form (Content-Type: application/x-www-form-urlencoded).");
  }
  const body = await readBoundedBody(request, limitBytes, { what: "The form", maxPieces: 64 });
  const params = new URLSearchParams(body.toString("utf8"));
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!(k in out)) out[k] = v;
  return out;
}
