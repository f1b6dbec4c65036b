import { methodNotAllowed } from "@/lib/http/methods";
import { chatRequestSchema, CHAT_LIMITS } from "./schema";
import { env } from "@/lib/env";
import { TutorError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { clientKey } from "@/lib/http/client-address";
import { postGuards } from "@/lib/http/post-guards";
import { limitedResponse, limitsUnavailableResponse } from "@/lib/http/rate-limit";
import { errorResponse } from "@/lib/http/respond";
import { getUsageLimiter } from "@/lib/limits/usage";
import { log } from "@/lib/log";
import { getChatLlm } from "@/lib/llm/model";
import { readInsightsColumn } from "@/lib/insights/config";
import { recordAnswered } from "@/lib/insights/record";
import { newAnswerId } from "@/lib/insights/store";
import { prepareTurn } from "@/lib/tutor/answer";
import { answerResponse } from "@/lib/tutor/answer-response";
import { splitConversation } from "@/lib/tutor/conversation";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ROUTE = "/api/chat";

/**
 * POST /api/chat → the tutor's answer as an AI SDK UI message stream (contract: docs/ARCHITECTURE.md,
 * "Chat stream contract"). Bad input is a 4xx JSON error before anything streams; failures after that end
 * the stream with a data-notice and an error part. Guards, cheapest first: the page's origin, the request
 * rate, the body (JSON, bounded while it streams), then — only when an LLM will be called — its budgets.
 */
export async function POST(request: Request) {
  const refused = await postGuards(request, ROUTE);
  if (refused) return refused;
  try {
    const body = chatRequestSchema.parse(await readJsonBody(request, CHAT_LIMITS.bodyBytes));
    const { question, history } = splitConversation(body.messages);
    const llm = getChatLlm();
    const turn = await prepareTurn({ question, history, course: body.course, defaultCourse: env.TUTOR_DEFAULT_COURSE, hint: body.hint }).catch((e) => {
      // In a chat request the course is a field of the body: an unknown one is a bad request, not a missing page.
      if (e instanceof TutorError && e.code === "unknown-course") throw new TutorError("bad-request", e.message, { details: e.details });
      throw e;
    });
    const client = clientKey(request);
    const course = turn.course.id;
    const limiter = getUsageLimiter(env);
    if (llm) {
      let decision;
      try {
        decision = await limiter.takeLlmCall(client, course);
      } catch (e) {
        return limitsUnavailableResponse(e, ROUTE);
      }
      if (!decision.ok) return limitedResponse(decision);
    }
    // Insights (course.json `insights`): off → nothing about the question is recorded, no answer id is sent.
    const insights = readInsightsColumn(turn.course.insights);
    const answerId = insights ? newAnswerId() : undefined;
    return answerResponse(turn, {
      model: llm?.model ?? null,
      timeoutMs: llm?.config.timeoutMs,
      maxOutputTokens: env.TUTOR_LLM_MAX_OUTPUT_TOKENS,
      answerMaxMs: env.TUTOR_LLM_ANSWER_MAX_MS,
      signal: request.signal,
      ...(insights && answerId ? { answerId, onAnswered: (outcome) => recordAnswered(turn, outcome, { answerId, config: insights }) } : {}),
      onUsage: (tokens) => {
        if (!llm) return;
        limiter.recordTokens(client, course, tokens).catch((e: Error) => log.error({ route: ROUTE, err: e.message }, "could not record LLM usage"));
      },
    });
  } catch (e) {
    return errorResponse(e, ROUTE);
  }
}

/** Every other method: a JSON 405 with Allow. */
export const { GET, PUT, PATCH, DELETE } = methodNotAllowed(["POST"]);
