import type { NextRequest } from "next/server";
import { figureQuerySchema, readCourseFigure } from "@/lib/cite/figures";
import { env } from "@/lib/env";
import { errorResponse, searchParamsObject } from "@/lib/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/figure?course=…&file=tex/figures/chord.png → an image the notes show (only files the ingest recorded). */
export async function GET(request: NextRequest) {
  try {
    const query = figureQuerySchema.parse(searchParamsObject(request.nextUrl.searchParams));
    const figure = await readCourseFigure({ ...query, defaultCourse: env.TUTOR_DEFAULT_COURSE });
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
