import { methodNotAllowed } from "@/lib/http/methods";
import type { NextRequest } from "next/server";
import { loadOutline } from "./outline";
import { outlineQuerySchema } from "./schema";
import { errorResponse, searchParamsObject } from "@/lib/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/outline?course=… → `{ course: {id, title}, chapters: [{label, title, items, sections: [{label, title, items}]}] }`. */
export async function GET(request: NextRequest) {
  try {
    const query = outlineQuerySchema.parse(searchParamsObject(request.nextUrl.searchParams));
    return Response.json(await loadOutline(query));
  } catch (e) {
    return errorResponse(e, "/api/outline");
  }
}

/** Every other method: a JSON 405 with Allow. */
export const { POST, PUT, PATCH, DELETE } = methodNotAllowed(["GET", "HEAD"]);
