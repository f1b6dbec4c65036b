import { env } from "@/lib/env";
import { TutorError } from "@/lib/errors";
import { methodNotAllowed } from "@/lib/http/methods";
import { assertSameOrigin } from "@/lib/http/origin";
import { rateLimit } from "@/lib/http/rate-limit";
import { errorResponse } from "@/lib/http/respond";
import { isInstructorToken, sessionCookie, sessionValue } from "@/lib/instructor/auth";
import { readFormBody } from "@/lib/instructor/respond";
import { signInFormSchema } from "../schema";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/instructor/sign-in (the instructor page's form: token, course) → 303 back to the page, with the
 * session cookie when the token is right (lib/instructor/auth.ts), with `?failed=1` when not. Only the app's own
 * pages may post it; attempts count against TUTOR_RATE_LIMIT_PER_MINUTE like searches. 404 when the feature is off.
 * The token is never logged.
 */
export async function POST(request: Request) {
  try {
    if (!env.TUTOR_INSTRUCTOR_TOKEN) throw new TutorError("not-found", "Not found.");
    assertSameOrigin(request, env.TUTOR_ALLOWED_ORIGINS);
    const limited = await rateLimit(request, "/api/instructor/sign-in");
    if (limited) return limited;
    const form = signInFormSchema.parse(await readFormBody(request));
    const page = `/instructor/${encodeURIComponent(form.course)}`;
    const ok = isInstructorToken(form.token);
    const headers = new Headers({ location: ok ? page : `${page}?failed=1`, "cache-control": "no-store" });
    if (ok) headers.append("set-cookie", sessionCookie(sessionValue(env.TUTOR_INSTRUCTOR_TOKEN), isHttps(request)));
    return new Response(null, { status: 303, headers });
  } catch (e) {
    return errorResponse(e, "/api/instructor/sign-in");
  }
}

/** https as the browser sees it: the request's own scheme, or a trusted proxy's X-Forwarded-Proto. */
function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
}

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed(["POST"]);
