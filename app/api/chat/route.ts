import { createUIMessageStreamResponse } from "ai";
import { chatRequestSchema, CHAT_LIMITS } from "./schema";
import { env } from "@/lib/env";
import { TutorError } from "@/lib/errors";
import { rateLimit } from "@/lib/http/rate-limit";
import { errorResponse } from "@/lib/http/respond";
import { getChatLlm } from "@/lib/llm/model";
import { prepareTurn, streamAnswer } from "@/lib/tutor/answer";
import { splitConversation } from "@/lib/tutor/conversation";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/chat → the tutor's answer as an AI SDK UI message stream (contract: docs/ARCHITECTURE.md,
 * "Chat stream contract"). Bad input is a 4xx JSON error before anything streams; failures after that end
 * the stream with a data-notice and an error part.
 */
export async function POST(request: Request) {
  const limited = rateLimit(request, "/api/chat");
  if (limited) return limited;
  try {
    const body = chatRequestSchema.parse(await readJson(request));
    const { question, history } = splitConversation(body.messages);
    const llm = getChatLlm();
    const turn = await prepareTurn({ question, history, course: body.course, defaultCourse: env.TUTOR_DEFAULT_COURSE, hint: body.hint }).catch((e) => {
      // In a chat request the course is a field of the body: an unknown one is a bad request, not a missing page.
      if (e instanceof TutorError && e.code === "unknown-course") throw new TutorError("bad-request", e.message, { details: e.details });
      throw e;
    });
    const stream = streamAnswer(turn, { model: llm?.model ?? null, timeoutMs: llm?.config.timeoutMs, signal: request.signal });
    return createUIMessageStreamResponse({ stream, headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e, "/api/chat");
  }
}

async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > CHAT_LIMITS.bodyBytes) throw new TutorError("bad-request", `The request body is larger than ${CHAT_LIMITS.bodyBytes} bytes.`);
  const text = await request.text();
  if (text.length > CHAT_LIMITS.bodyBytes) throw new TutorError("bad-request", `The request body is larger than ${CHAT_LIMITS.bodyBytes} bytes.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new TutorError("bad-request", "The request body is not valid JSON.");
  }
}
