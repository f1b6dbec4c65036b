import { env } from "@/lib/env";
import { TutorError } from "@/lib/errors";
import { methodNotAllowed } from "@/lib/http/methods";
import { assertSameOrigin } from "@/lib/http/origin";
import { errorResponse } from "@/lib/http/respond";
import { sessionCookie } from "@/lib/instructor/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/instructor/sign-out → the session cookie cleared, 303 to the home page. 404 when the feature is off. */
export async function POST(request: Request) {
  try {
    if (!env.TUTOR_INSTRUCTOR_TOKEN) throw new TutorError("not-found", "Not found.");
    assertSameOrigin(request, env.TUTOR_ALLOWED_ORIGINS);
    return new Response(null, { status: 303, headers: { location: "/", "set-cookie": sessionCookie(null, false), "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e, "/api/instructor/sign-out");
  }
}

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed(["POST"]);
