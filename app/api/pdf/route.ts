import type { NextRequest } from "next/server";
import { pdfQuerySchema, readCoursePdf } from "@/lib/cite/pdf-file";
import { env } from "@/lib/env";
import { methodNotAllowed } from "@/lib/http/methods";
import { errorResponse, searchParamsObject } from "@/lib/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/pdf?course=…&file=notes.pdf(#page=5) → a PDF the course's notes were read from (nothing else). */
export async function GET(request: NextRequest) {
  try {
    const query = pdfQuerySchema.parse(searchParamsObject(request.nextUrl.searchParams));
    const bytes = await readCoursePdf({ ...query, defaultCourse: env.TUTOR_DEFAULT_COURSE });
    return new Response(new Uint8Array(bytes), {
      headers: {
        "content-type": "application/pdf",
        "content-disposition": "inline",
        "x-content-type-options": "nosniff",
        "cache-control": "public, max-age=300",
      },
    });
  } catch (e) {
    return errorResponse(e, "/api/pdf");
  }
}

/** Every other method: a JSON 405 with Allow. */
export const { POST, PUT, PATCH, DELETE } = methodNotAllowed(["GET", "HEAD"]);
