import type { NextRequest } from "next/server";
import { z } from "zod";
import { pdfQuerySchema, readCoursePdf } from "@/lib/cite/pdf-file";
import { highlightRects, pdfPageWords, renderPdfPage } from "@/lib/cite/pdf-page";
import { env } from "@/lib/env";
import { methodNotAllowed } from "@/lib/http/methods";
import { errorResponse, searchParamsObject } from "@/lib/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const pageQuerySchema = pdfQuerySchema.extend({
  page: z.coerce.number().int("page is a whole number").min(1, "page starts at 1").max(100_000),
  /** The passage to highlight (its words are looked up on the page). */
  q: z.string().max(4000, "q is longer than 4000 characters").optional(),
  format: z.enum(["json", "png"]).default("json"),
});

/**
 * GET /api/pdf-page?course=…&file=notes.pdf&page=5&q=<passage> → `{page, width, height, image, rects}`: the
 * page's image URL and the passage's highlight rectangles (fractions of the page); `format=png` → the image.
 * Only PDFs the course's notes were read from (as /api/pdf).
 */
export async function GET(request: NextRequest) {
  try {
    const query = pageQuerySchema.parse(searchParamsObject(request.nextUrl.searchParams));
    const bytes = await readCoursePdf({ course: query.course, file: query.file, defaultCourse: env.TUTOR_DEFAULT_COURSE });
    if (query.format === "png") {
      const png = await renderPdfPage(bytes, query.page);
      return new Response(new Uint8Array(png), { headers: { "content-type": "image/png", "x-content-type-options": "nosniff", "cache-control": "public, max-age=300" } });
    }
    const { width, height, words } = await pdfPageWords(bytes, query.page);
    const image = `/api/pdf-page?${new URLSearchParams({ ...(query.course ? { course: query.course } : {}), file: query.file, page: String(query.page), format: "png" })}`;
    return Response.json({ page: query.page, width, height, image, rects: query.q ? highlightRects(words, query.q, width, height) : [] });
  } catch (e) {
    return errorResponse(e, "/api/pdf-page");
  }
}

/** Every other method: a JSON 405 with Allow. */
export const { POST, PUT, PATCH, DELETE } = methodNotAllowed(["GET", "HEAD"]);
