import type { NextRequest } from "next/server";
import { courseFigureImage, figurePlaceholderSvg } from "@/lib/cite/figure-image";
import { figureQuerySchema } from "@/lib/cite/figures";
import { env } from "@/lib/env";
import { methodNotAllowed } from "@/lib/http/methods";
import { errorResponse, searchParamsObject } from "@/lib/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/figure?course=…&file=tex/figures/chord.pdf → an image the notes show, for `<img>`: PNG and JPEG as
 * they are, a PDF figure drawn as a PNG of its first page. Only files the ingest recorded for the course; any
 * other file is a 404 with the reason. A recorded PDF that cannot be drawn answers a placeholder image saying
 * so (never a broken image), not cached, its reason also in `x-figure-unavailable`.
 */
export async function GET(request: NextRequest) {
  try {
    const query = figureQuerySchema.parse(searchParamsObject(request.nextUrl.searchParams));
    const figure = await courseFigureImage({ ...query, defaultCourse: env.TUTOR_DEFAULT_COURSE });
    if (figure.status === "unavailable") {
      return new Response(figurePlaceholderSvg(figure.reason), {
        headers: { "content-type": "image/svg+xml", "x-content-type-options": "nosniff", "cache-control": "no-store", "x-figure-unavailable": figure.reason.replace(/[^\x20-\x7e]/g, "?") },
      });
    }
    return new Response(new Uint8Array(figure.bytes), {
      headers: {
        "content-type": figure.contentType,
        "content-disposition": "inline",
        "x-content-type-options": "nosniff",
        "cache-control": "public, max-age=300",
      },
    });
  } catch (e) {
    return errorResponse(e, "/api/figure");
  }
}

/** Every other method: a JSON 405 with Allow. */
export const { POST, PUT, PATCH, DELETE } = methodNotAllowed(["GET", "HEAD"]);
