import type { NextRequest } from "next/server";
import { methodNotAllowed } from "@/lib/http/methods";
import { searchParamsObject } from "@/lib/http/respond";
import { csvFileName, reportCsv } from "@/lib/instructor/csv";
import { buildInstructorReport } from "@/lib/instructor/report";
import { instructorRoute } from "@/lib/instructor/respond";
import { courseSegmentSchema, instructorQuerySchema } from "../../schema";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ course: string }> };

/** GET /api/instructor/<course>/export.csv?period=30d → the page's figures as CSV (lib/instructor/csv.ts). Same access as the page. */
export async function GET(request: NextRequest, { params }: Ctx) {
  return instructorRoute(request, "/api/instructor/export.csv", async () => {
    const course = courseSegmentSchema.parse((await params).course);
    const { period } = instructorQuerySchema.parse(searchParamsObject(request.nextUrl.searchParams));
    const report = await buildInstructorReport({ course, period });
    return new Response(reportCsv(report), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${csvFileName(report)}"` },
    });
  });
}

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed(["GET", "HEAD"]);
