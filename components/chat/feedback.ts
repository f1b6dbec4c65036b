import type { ChatMessage } from "./types";

/**
 * A student's thumbs on one answer (issue 16), kept in the browser with the conversation always; sent to
 * `POST /api/feedback` only when the course records insights and the answer carried an id. Pure helpers, so
 * the session, the storage and the tests agree.
 */
export interface AnswerFeedback {
  rating: "up" | "down";
  /** Optional words with the thumbs. */
  comment?: string;
  /** The server has it (insights on): what was sent last. */
  sent?: boolean;
}

/** The id the server gave this answer (its `data-insight` part), when the course records insights. */
export function answerIdOf(m: ChatMessage): string | undefined {
  const part = m.parts.findLast((p) => p.type === "data-insight") as { data?: { answerId?: unknown } } | undefined;
  return typeof part?.data?.answerId === "string" ? part.data.answerId : undefined;
}

/** Which answer a feedback belongs to: its id, else its text (each version of a regenerated answer has its own). */
export function feedbackKey(m: ChatMessage): string {
  const id = answerIdOf(m);
  if (id) return id;
  const text = m.parts.map((p) => (p.type === "text" ? p.text : "")).join("");
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = ((h * 33) ^ text.charCodeAt(i)) >>> 0;
  return `text:${h.toString(36)}:${text.length}`;
}

export function feedbackOf(m: ChatMessage): AnswerFeedback | undefined {
  return m.metadata?.feedback?.[feedbackKey(m)];
}

export function withFeedback(m: ChatMessage, feedback: AnswerFeedback): ChatMessage {
  return { ...m, metadata: { ...m.metadata, feedback: { ...m.metadata?.feedback, [feedbackKey(m)]: feedback } } };
}

/**
 * The message as sent to /api/chat: its feedback and its answer id stay in the browser. Feedback reaches the server
 * only by /api/feedback; answer ids sent back together with the history would tie the recorded answers of one
 * conversation to each other, which insights promise not to do.
 */
export function withoutFeedback(m: ChatMessage): ChatMessage {
  const hasId = m.parts.some((p) => p.type === "data-insight");
  if (!m.metadata?.feedback && !hasId) return m;
  const { feedback: _feedback, ...meta } = m.metadata ?? {};
  return { ...m, parts: hasId ? m.parts.filter((p) => p.type !== "data-insight") : m.parts, ...(m.metadata ? { metadata: meta } : {}) };
}

/** POST /api/feedback; resolves to null when sent, else the reason (the server's message when it gave one). */
export async function sendFeedback(body: { course: string; answerId: string; rating: "up" | "down"; comment?: string }): Promise<string | null> {
  try {
    const res = await fetch("/api/feedback", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (res.ok) return null;
    const json = (await res.json().catch(() => null)) as { message?: unknown } | null;
    return typeof json?.message === "string" ? json.message : `the server answered ${res.status}`;
  } catch {
    return "the tutor could not be reached";
  }
}
