import { methodNotAllowed } from "@/lib/http/methods";
import type { NextRequest } from "next/server";
import { searchQuerySchema } from "./schema";
import { env } from "@/lib/env";
import { rateLimit } from "@/lib/http/rate-limit";
import { errorResponse, searchParamsObject } from "@/lib/http/respond";
import { findPassages } from "@/lib/retrieve/search";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/search?q=…&course=…&k=5 → exactly what `npm run search -- --json` prints (findPassages' response). */
export async function GET(request: NextRequest) {
  const limited = await rateLimit(request, "/api/search");
  if (limited) return limited;
  try {
    const query = searchQuerySchema.parse(searchParamsObject(request.nextUrl.searchParams));
    const result = await findPassages({ question: query.q, course: query.course, k: query.k, defaultCourse: env.TUTOR_DEFAULT_COURSE });
    return Response.json(result, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e, "/api/search");
  }
}

/** Every other method: a JSON 405 with Allow. */
export const { POST, PUT, PATCH, DELETE } = methodNotAllowed(["GET", "HEAD"]);
