import { z } from "zod";
import type { ChatMessage, Conversation } from "./types";

/**
 * Conversations live in the student's browser only (localStorage), newest first. A full or disabled
 * storage never breaks the chat: writes that fail drop the oldest conversations and try once more.
 */
const KEY = "course-tutor:conversations:v1";
const CURRENT_KEY = "course-tutor:current:v1";
const MAX_CONVERSATIONS = 30;
/** Each course remembers its own open conversation; the key without a course is the one every version used. */
const currentKey = (course?: string) => (course ? `${CURRENT_KEY}:${course}` : CURRENT_KEY);

/**
 * What the page reads of a stored message, part by part: localStorage is the student's to edit (or an
 * older version's to have written), so a part of another shape is dropped, a message left without
 * parts is dropped, and a conversation is never the reason the page fails to load.
 */
const PART_SCHEMAS: Record<string, z.ZodType> = {
  text: z.looseObject({ text: z.string() }),
  reasoning: z.looseObject({ text: z.string() }),
  "step-start": z.looseObject({}),
  "source-document": z.looseObject({ sourceId: z.string(), title: z.string().optional() }),
  "data-notice": z.looseObject({ data: z.looseObject({ kind: z.string(), message: z.string() }) }),
  "data-prompt": z.looseObject({ data: z.looseObject({ prompt: z.string() }) }),
  "data-citations": z.looseObject({
    data: z.looseObject({
      grounded: z.boolean().optional(),
      citations: z.array(z.looseObject({ label: z.string(), verdict: z.string(), citeUrl: z.string().optional() })),
    }),
  }),
};
const messageSchema = z.looseObject({
  id: z.string(),
  role: z.enum(["user", "assistant"]),
  parts: z.array(z.unknown()),
  metadata: z.looseObject({ hint: z.boolean().optional(), stopped: z.boolean().optional() }).optional().catch(undefined),
});
const conversationSchema = z.looseObject({
  id: z.string(),
  title: z.string().catch("Conversation"),
  course: z.string().optional().catch(undefined),
  hint: z.boolean().catch(false),
  updatedAt: z.number(),
  messages: z.array(z.unknown()),
});

function sanitizeMessage(m: unknown): ChatMessage | null {
  const parsed = messageSchema.safeParse(m);
  if (!parsed.success) return null;
  const parts = parsed.data.parts.filter((p) => {
    const type = (p as { type?: unknown } | null)?.type;
    return typeof type === "string" && !!PART_SCHEMAS[type]?.safeParse(p).success;
  });
  return parts.length ? ({ ...parsed.data, parts } as unknown as ChatMessage) : null;
}

export function sanitizeConversation(c: unknown): Conversation | null {
  const parsed = conversationSchema.safeParse(c);
  if (!parsed.success) return null;
  const messages = parsed.data.messages.map(sanitizeMessage).filter((m): m is ChatMessage => m !== null);
  return messages.length ? ({ ...parsed.data, messages } as Conversation) : null;
}

/**
 * The list as last read or written, with the exact string stored: while an answer streams the chat saves
 * every second, and parsing and validating every stored conversation each time is work for nothing. Another
 * tab's write changes the string, so it is read afresh.
 */
let cached: { raw: string | null; list: Conversation[] } | null = null;

function read(): Conversation[] {
  try {
    const raw = localStorage.getItem(KEY);
    if (cached && cached.raw === raw) return [...cached.list];
    const parsed = raw ? (JSON.parse(raw) as unknown) : [];
    const list = Array.isArray(parsed) ? parsed.map(sanitizeConversation).filter((c): c is Conversation => c !== null) : [];
    cached = { raw, list };
    return [...list];
  } catch {
    return [];
  }
}

function write(list: Conversation[]): void {
  const sorted = [...list].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, MAX_CONVERSATIONS);
  for (const kept of [sorted, sorted.slice(0, Math.ceil(sorted.length / 2))]) {
    const raw = JSON.stringify(kept);
    try {
      localStorage.setItem(KEY, raw);
      cached = { raw, list: kept };
      return;
    } catch {
      /* full: try once more with the older half dropped */
    }
  }
  /* storage unavailable: the conversation simply is not kept */
}

export function listConversations(): Conversation[] {
  return read().sort((a, b) => b.updatedAt - a.updatedAt);
}

export function loadConversation(id: string): Conversation | undefined {
  return read().find((c) => c.id === id);
}

export function saveConversation(c: Conversation): void {
  if (!c.messages.length) return;
  const list = read().filter((x) => x.id !== c.id);
  write([c, ...list]);
}

export function deleteConversation(id: string): void {
  write(read().filter((c) => c.id !== id));
}

/** The conversation open last (in that course, when the store holds several). */
export function getCurrentId(course?: string): string | null {
  try {
    // Before courses had their own, one key served all: still honoured (the caller checks the course).
    return localStorage.getItem(currentKey(course)) ?? localStorage.getItem(CURRENT_KEY);
  } catch {
    return null;
  }
}

export function setCurrentId(id: string, course?: string): void {
  try {
    localStorage.setItem(currentKey(course), id);
  } catch {
    /* ignore */
  }
}

/** The first question, shortened: the conversation's name in the history list. */
export function titleFor(messages: ChatMessage[]): string {
  const first = messages.find((m) => m.role === "user");
  const text = first?.parts.map((p) => (p.type === "text" ? p.text : "")).join(" ").replace(/\s+/g, " ").trim() ?? "";
  return text.length > 60 ? `${text.slice(0, 57)}…` : text || "New conversation";
}

export function newConversationId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `c-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
