import { methodNotAllowed } from "@/lib/http/methods";
import { getHealth } from "@/lib/health";
import { errorResponse } from "@/lib/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/health → store and model status; 200 even when degraded (full-text only, no course yet), with the
 * reason; 503 when a table of the store cannot be read.
 */
export async function GET() {
  try {
    const health = await getHealth();
    return Response.json(health, { status: health.readable ? 200 : 503, headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e, "/api/health");
  }
}

/** Every other method: a JSON 405 with Allow. */
export const { POST, PUT, PATCH, DELETE } = methodNotAllowed(["GET", "HEAD"]);
