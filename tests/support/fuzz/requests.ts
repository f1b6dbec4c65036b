/** Fuzz targets: the API's request parsers — the chat body as it streams in, the search and cite query strings. */
import fc from "fast-check";
import { ZodError } from "zod";
import { chatRequestSchema, CHAT_LIMITS } from "../../../app/api/chat/schema";
import { feedbackRequestSchema, FEEDBACK_LIMITS } from "../../../app/api/feedback/schema";
import { searchQuerySchema } from "../../../app/api/search/schema";
import { citeQuerySchema } from "../../../lib/cite/lookup";
import { TutorError } from "../../../lib/errors";
import { readJsonBody } from "../../../lib/http/body";
import { formatZod, searchParamsObject } from "../../../lib/http/respond";
import { splitConversation } from "../../../lib/tutor/conversation";
import { describeThrown as describe, fail, PropertyViolation, type FuzzTarget } from "./property";

/** What the API may answer a bad request: a 4xx TutorError, or a ZodError (→ 400), never anything else. */
function checkRejection(e: unknown) {
  let message: string;
  if (e instanceof ZodError) message = formatZod(e);
  else if (e instanceof TutorError && e.status >= 400 && e.status < 500) message = e.message;
  else fail(`rejected with ${describe(e)} (not a 4xx)`);
  if (!message.trim()) fail("a rejection with no message");
  if (/\n\s+at |\/work\/|\/home\/|node_modules/.test(message)) fail(`a rejection shows internals: ${message.slice(0, 200)}`);
}

const chatMessage = fc.record(
  {
    id: fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue()),
    role: fc.oneof(fc.constantFrom("user", "assistant", "system", "tool"), fc.jsonValue()),
    parts: fc.oneof(
      fc.array(
        fc.oneof(
          fc.record({ type: fc.constant("text"), text: fc.oneof(fc.string({ maxLength: 60 }), fc.constant(""), fc.constant("   "), fc.jsonValue()) }, { requiredKeys: ["type"] }),
          fc.record({ type: fc.oneof(fc.constantFrom("step-start", "source-document", "data-citations", "data-notice", "", "text"), fc.jsonValue()), data: fc.jsonValue() }, { requiredKeys: [] }),
        ),
        { maxLength: 5 },
      ),
      fc.jsonValue(),
    ),
    metadata: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

/** Chat bodies: well-shaped and not, JSON and not, valid UTF-8 and not, with and without the right content type. */
const chatBody = fc.record({
  contentType: fc.oneof({ weight: 6, arbitrary: fc.constant("application/json") }, { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/json; charset=utf-8", "APPLICATION/JSON", "application/jsonx", "", "multipart/form-data; boundary=x") }),
  body: fc.oneof(
    { weight: 4, arbitrary: fc.record({ messages: fc.oneof(fc.array(chatMessage, { maxLength: 4 }), fc.jsonValue()), course: fc.oneof(fc.string({ maxLength: 70 }), fc.jsonValue()), hint: fc.oneof(fc.boolean(), fc.jsonValue()), id: fc.jsonValue(), trigger: fc.constant("submit-message") }, { requiredKeys: ["messages"] }).map((o) => Buffer.from(JSON.stringify(o))) },
    { weight: 1, arbitrary: fc.json().map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.nat({ max: 3 }).map((n) => Buffer.from(JSON.stringify({ messages: [{ role: "user", parts: [{ type: "text", text: "x".repeat([10, CHAT_LIMITS.questionChars + 1, 300_000, 1_100_000][n]) }] }] }))) },
  ),
  /** Chunk sizes the body arrives in (a chunked upload). */
  chunk: fc.integer({ min: 1, max: 70_000 }),
});

const chatRequest: FuzzTarget<{ contentType: string; body: Buffer; chunk: number }> = {
  name: "chat-body",
  what: "POST /api/chat bodies: streamed JSON read under its byte limit, the zod schema, the conversation split",
  arbitrary: chatBody,
  check: async ({ contentType, body, chunk }) => {
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (offset >= body.length) return c.close();
        c.enqueue(new Uint8Array(body.subarray(offset, offset + chunk)));
        offset += chunk;
      },
    });
    const request = new Request("http://localhost/api/chat", { method: "POST", headers: { "content-type": contentType }, body: stream, duplex: "half" } as RequestInit);
    try {
      const parsed = chatRequestSchema.parse(await readJsonBody(request, CHAT_LIMITS.bodyBytes));
      const { question } = splitConversation(parsed.messages);
      if (!question.trim() || question.length > CHAT_LIMITS.questionChars + 100) fail(`accepted a question of ${question.length} characters`);
      if (body.length > CHAT_LIMITS.bodyBytes) fail(`accepted a body of ${body.length} bytes`);
    } catch (e) {
      if (e instanceof PropertyViolation) throw e;
      checkRejection(e);
      if (body.length > CHAT_LIMITS.bodyBytes && contentType === "application/json" && !(e instanceof TutorError && e.status === 413)) fail(`a ${body.length}-byte body got ${describe(e)}, not 413`);
    }
  },
};

/** Query strings: the known keys with any values, repeated keys, broken escapes. */
const queryString = fc.oneof(
  fc.array(fc.tuple(fc.constantFrom("q", "course", "k", "ref", "x", ""), fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("", " ", "0", "-1", "1e3", "101", "5", "NaN", "Infinity", "0x10", "1.5", "%", "%ZZ", "%E2%82", "imo-demo", "x".repeat(1200)))), { maxLength: 5 }).map((kv) => kv.map(([k, v]) => `${k}=${v}`).join("&")),
  fc.string({ maxLength: 100 }),
);

const apiQueries: FuzzTarget<string> = {
  name: "api-queries",
  what: "GET /api/search and /api/cite query strings (URLSearchParams → zod)",
  arbitrary: queryString,
  check: (qs) => {
    for (const schema of [searchQuerySchema, citeQuerySchema]) {
      try {
        schema.parse(searchParamsObject(new URLSearchParams(qs)));
      } catch (e) {
        checkRejection(e);
      }
    }
  },
};

/** Feedback bodies: the known keys with values of every type, unknown keys, not JSON, too large. */
const feedbackBody = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          course: fc.oneof(fc.constantFrom("imo-demo", "", " ", "x".repeat(70)), fc.jsonValue()),
          answerId: fc.oneof(fc.uuid(), fc.constantFrom("", "chat-1", "00000000-0000-0000-0000-000000000000"), fc.jsonValue()),
          rating: fc.oneof(fc.constantFrom("up", "down", "UP", "", "meh"), fc.jsonValue()),
          comment: fc.oneof(fc.string({ maxLength: 50 }), fc.nat({ max: 3 }).map((n) => "c".repeat([0, 1999, 2001, 20_000][n])), fc.jsonValue()),
          conversation: fc.jsonValue(),
        },
        { requiredKeys: [] },
      )
      .map((o) => Buffer.from(JSON.stringify(o))),
  },
  { weight: 1, arbitrary: fc.json().map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
);

const feedbackRequest: FuzzTarget<Buffer> = {
  name: "feedback-body",
  what: "POST /api/feedback bodies: JSON read under its byte limit, the zod schema",
  arbitrary: feedbackBody,
  check: async (body) => {
    const request = new Request("http://localhost/api/feedback", { method: "POST", headers: { "content-type": "application/json" }, body: new Uint8Array(body) });
    try {
      const parsed = feedbackRequestSchema.parse(await readJsonBody(request, FEEDBACK_LIMITS.bodyBytes));
      if ((parsed.comment?.length ?? 0) > FEEDBACK_LIMITS.commentChars) fail(`accepted a comment of ${parsed.comment!.length} characters`);
      if (!["up", "down"].includes(parsed.rating)) fail(`accepted the rating ${JSON.stringify(parsed.rating)}`);
    } catch (e) {
      if (e instanceof PropertyViolation) throw e;
      checkRejection(e);
    }
  },
};

export const REQUEST_TARGETS = [chatRequest, apiQueries, feedbackRequest];
