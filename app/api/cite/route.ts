import { methodNotAllowed } from "@/lib/http/methods";
import type { NextRequest } from "next/server";
import { citeQuerySchema } from "./schema";
import { lookupCitation } from "@/lib/cite/lookup";
import { env } from "@/lib/env";
import { errorResponse, searchParamsObject } from "@/lib/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/cite?ref=Exercise%201.41&course=… → the exact item, candidates or 404 with suggestions. */
export async function GET(request: NextRequest) {
  try {
    const query = citeQuerySchema.parse(searchParamsObject(request.nextUrl.searchParams));
    const result = await lookupCitation({ ref: query.ref, course: query.course, defaultCourse: env.TUTOR_DEFAULT_COURSE });
    if (result.status === "found") return Response.json(result.item);
    if (result.status === "ambiguous") return Response.json({ candidates: result.candidates });
    return Response.json({ error: "not-found", message: `"${query.ref}" is not a label in ${result.course}.`, suggestions: result.suggestions }, { status: 404 });
  } catch (e) {
    return errorResponse(e, "/api/cite");
  }
}

/** Every other method: a JSON 405 with Allow. */
export const { POST, PUT, PATCH, DELETE } = methodNotAllowed(["GET", "HEAD"]);
