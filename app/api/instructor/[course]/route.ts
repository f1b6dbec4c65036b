import type { NextRequest } from "next/server";
import { methodNotAllowed } from "@/lib/http/methods";
import { searchParamsObject } from "@/lib/http/respond";
import { buildInstructorReport } from "@/lib/instructor/report";
import { instructorRoute } from "@/lib/instructor/respond";
import { courseSegmentSchema, instructorQuerySchema } from "../schema";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ course: string }> };

/**
 * GET /api/instructor/<course>?period=30d → the instructor page's figures as JSON (the same report the page
 * renders). Needs the instructor token (Authorization: Bearer, or the page's sign-in cookie); 404 when
 * TUTOR_INSTRUCTOR_TOKEN is unset.
 */
export async function GET(request: NextRequest, { params }: Ctx) {
  return instructorRoute(request, "/api/instructor", async () => {
    const course = courseSegmentSchema.parse((await params).course);
    const { period } = instructorQuerySchema.parse(searchParamsObject(request.nextUrl.searchParams));
    const report = await buildInstructorReport({ course, period });
    return Response.json(report);
  });
}

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed(["GET", "HEAD"]);
