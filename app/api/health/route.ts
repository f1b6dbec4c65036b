import { getHealth } from "@/lib/health";
import { errorResponse } from "@/lib/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/health → store and model status; 200 even when degraded (full-text only), with the reason. */
export async function GET() {
  try {
    return Response.json(await getHealth(), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e, "/api/health");
  }
}
