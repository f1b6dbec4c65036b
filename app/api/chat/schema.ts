import { z } from "zod";

/** Limits of one chat request. */
export const CHAT_LIMITS = {
  /** Characters of the student's message (the last one). */
  questionChars: 4000,
  /** Characters of any earlier question. */
  messageChars: 20_000,
  /**
   * Characters of an earlier answer as the client sends it back: the tutor's own long answers must not
   * make the next question fail (the prompt keeps only a budget of the history; the body limit still holds).
   */
  answerChars: 200_000,
  /** Messages in the conversation, both roles. */
  messages: 40,
  partsPerMessage: 100,
  /** Bytes of the whole JSON body. */
  bodyBytes: 1_000_000,
} as const;

/**
 * A UIMessage part. Only text parts are read as words; the others (step markers, sources, data-citations…) that
 * useChat sends back with earlier answers pass through unread.
 */
const partSchema = z.looseObject({ type: z.string().min(1).max(100), text: z.string().optional() }).superRefine((p, ctx) => {
  if (p.type !== "text") return;
  if (p.text === undefined) ctx.addIssue({ code: "custom", path: ["text"], message: "a text part needs its text" });
  else if (p.text.length > CHAT_LIMITS.answerChars) ctx.addIssue({ code: "custom", path: ["text"], message: `a message is longer than ${CHAT_LIMITS.answerChars} characters` });
});

const messageSchema = z.object({
  id: z.string().max(200).optional(),
  // A client never speaks as "system": that would be an instruction channel into the prompt.
  role: z.enum(["user", "assistant"], { error: 'role must be "user" or "assistant"' }),
  parts: z.array(partSchema).max(CHAT_LIMITS.partsPerMessage, `a message may have at most ${CHAT_LIMITS.partsPerMessage} parts`),
  metadata: z.unknown().optional(),
}).superRefine((m, ctx) => {
  if (m.role !== "user") return;
  const chars = m.parts.reduce((n, p) => n + (p.type === "text" ? (p.text?.length ?? 0) : 0), 0);
  if (chars > CHAT_LIMITS.messageChars) ctx.addIssue({ code: "custom", path: ["parts"], message: `a question is longer than ${CHAT_LIMITS.messageChars} characters` });
});

/**
 * `POST /api/chat` body, as `useChat` with `DefaultChatTransport({ api: "/api/chat", body: { course, hint } })`
 * sends it (`trigger`, `messageId` and unknown keys are accepted and ignored).
 */
export const chatRequestSchema = z
  .object({
    id: z.string().max(200).optional(),
    messages: z
      .array(messageSchema)
      .min(1, "messages must hold at least the student's question")
      .max(CHAT_LIMITS.messages, `a conversation may hold at most ${CHAT_LIMITS.messages} messages; start a new chat`),
    course: z.string().trim().min(1).max(64).optional(),
    hint: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    const last = body.messages.at(-1);
    if (!last || last.role !== "user") {
      ctx.addIssue({ code: "custom", path: ["messages"], message: "the last message must be the student's (role user)" });
      return;
    }
    const text = last.parts.map((p) => (p.type === "text" ? (p.text ?? "") : "")).join("").trim();
    if (!text) ctx.addIssue({ code: "custom", path: ["messages", body.messages.length - 1], message: "the question is empty" });
    if (text.length > CHAT_LIMITS.questionChars) {
      ctx.addIssue({ code: "custom", path: ["messages", body.messages.length - 1], message: `the question is longer than ${CHAT_LIMITS.questionChars} characters` });
    }
  });

export type ChatRequest = z.infer<typeof chatRequestSchema>;
