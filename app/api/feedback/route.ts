import { feedbackRequestSchema, FEEDBACK_LIMITS } from "./schema";
import { TutorError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { methodNotAllowed } from "@/lib/http/methods";
import { postGuards } from "@/lib/http/post-guards";
import { errorResponse } from "@/lib/http/respond";
import { readInsightsColumn } from "@/lib/insights/config";
import { recordFeedback } from "@/lib/insights/store";
import { requireSnapshot, resolveCourse } from "@/lib/store/read";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ROUTE = "/api/feedback";

/**
 * POST /api/feedback {course, answerId, rating: "up"|"down", comment?} → 200 {recorded: true}: a student's thumbs
 * on one answer, stored on that answer's insights row (issue 16). Guards as /api/chat: same origin, the request
 * rate, a JSON body read with a byte limit. 404 when the course does not record insights (then nothing is
 * kept server-side) or has no such answer (never recorded, or past the retention period); 400 with a reason for
 * a bad body.
 */
export async function POST(request: Request) {
  const refused = await postGuards(request, ROUTE);
  if (refused) return refused;
  try {
    const body = feedbackRequestSchema.parse(await readJsonBody(request, FEEDBACK_LIMITS.bodyBytes));
    const course = await resolveCourse(await requireSnapshot(), body.course);
    if (!readInsightsColumn(course.insights)) {
      throw new TutorError("not-found", `The course "${course.id}" does not record feedback: its course.json has no "insights".`);
    }
    const found = await recordFeedback({ course: course.id, answerId: body.answerId, rating: body.rating, comment: body.comment });
    if (!found) throw new TutorError("not-found", "No recorded answer has this id (it may be older than the course's retention period).");
    return Response.json({ recorded: true }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e, ROUTE);
  }
}

/** Every other method: a JSON 405 with Allow. */
export const { GET, PUT, PATCH, DELETE } = methodNotAllowed(["POST"]);
