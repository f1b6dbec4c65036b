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
  "data-insight": z.looseObject({ data: z.looseObject({ answerId: z.string() }) }),
  "data-citations": z.looseObject({
    data: z.looseObject({
      grounded: z.boolean().optional(),
      citations: z.array(z.looseObject({ label: z.string(), verdict: z.string(), citeUrl: z.string().optional() })),
    }),
  }),
};
const versionSchema = z.looseObject({ parts: z.array(z.unknown()), stopped: z.boolean().optional().catch(undefined) });
const messageSchema = z.looseObject({
  id: z.string(),
  role: z.enum(["user", "assistant"]),
  parts: z.array(z.unknown()),
  metadata: z
    .looseObject({
      hint: z.boolean().optional().catch(undefined),
      stopped: z.boolean().optional().catch(undefined),
      versions: z.array(versionSchema).optional().catch(undefined),
      shown: z.number().int().nonnegative().optional().catch(undefined),
      feedback: z
        .record(z.string(), z.object({ rating: z.enum(["up", "down"]), comment: z.string().max(2000).optional(), sent: z.boolean().optional() }))
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});
const conversationSchema = z.looseObject({
  id: z.string(),
  title: z.string().catch("Conversation"),
  renamed: z.boolean().optional().catch(undefined),
  course: z.string().optional().catch(undefined),
  hint: z.boolean().catch(false),
  updatedAt: z.number(),
  messages: z.array(z.unknown()),
});

function sanitizeParts(parts: unknown[]): unknown[] {
  return parts.filter((p) => {
    const type = (p as { type?: unknown } | null)?.type;
    return typeof type === "string" && !!PART_SCHEMAS[type]?.safeParse(p).success;
  });
}

function sanitizeMessage(m: unknown): ChatMessage | null {
  const parsed = messageSchema.safeParse(m);
  if (!parsed.success) return null;
  const parts = sanitizeParts(parsed.data.parts);
  if (!parts.length) return null;
  const message = { ...parsed.data, parts };
  const meta = parsed.data.metadata;
  if (meta && (meta.versions !== undefined || meta.shown !== undefined)) {
    // Versions of a regenerated answer: each sanitized like a message; a list that no longer makes sense
    // (emptied, or `shown` past its end) is dropped and the message keeps the parts it shows.
    const { versions: raw, shown, ...rest } = meta;
    const versions = (raw ?? []).map((v) => ({ ...v, parts: sanitizeParts(v.parts) })).filter((v) => v.parts.length);
    message.metadata = versions.length > 1 && shown !== undefined && shown < versions.length ? { ...rest, versions, shown } : rest;
  }
  return message as unknown as ChatMessage;
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

/**
 * Names the conversation (the student's own name from now on; an empty name goes back to the first
 * question). Its place in the list (by last use) stays.
 */
export function renameConversation(id: string, title: string): Conversation | undefined {
  const list = read();
  const c = list.find((x) => x.id === id);
  if (!c) return undefined;
  const name = title.replace(/\s+/g, " ").trim().slice(0, TITLE_MAX);
  const renamed: Conversation = name ? { ...c, title: name, renamed: true } : { ...c, title: titleFor(c.messages), renamed: undefined };
  write(list.map((x) => (x.id === id ? renamed : x)));
  return renamed;
}

const TITLE_MAX = 200;

/**
 * The first question: the conversation's name in the history list (shown on one line, cut by CSS, math
 * rendered). A cut of a long question never ends inside a formula, which would then show as raw TeX.
 */
export function titleFor(messages: ChatMessage[]): string {
  const first = messages.find((m) => m.role === "user");
  const text = first?.parts.map((p) => (p.type === "text" ? p.text : "")).join(" ").replace(/\s+/g, " ").trim() ?? "";
  if (!text) return "New conversation";
  if (text.length <= TITLE_MAX) return text;
  let cut = text.slice(0, TITLE_MAX - 1);
  // An odd number of unescaped dollar signs: the last one opens a formula the cut ends inside.
  const dollars = [...cut.matchAll(/(?<!\\)\$/g)];
  if (dollars.length % 2 === 1) cut = cut.slice(0, dollars.at(-1)!.index);
  const openParen = cut.lastIndexOf("\\(");
  if (openParen > cut.lastIndexOf("\\)")) cut = cut.slice(0, openParen);
  return `${cut.trimEnd()}…`;
}

/** Lower case without accents, so "kontinuert" finds "Kontinuert" and "cafe" finds "café". */
function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * The conversations whose title or messages contain every word of the query (case and accents ignored),
 * in the list's order. An empty query keeps them all.
 */
export function searchConversations(list: Conversation[], query: string): Conversation[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return list;
  return list.filter((c) => {
    const text = fold([c.title, ...c.messages.flatMap((m) => m.parts.map((p) => (p.type === "text" ? p.text : "")))].join("\n"));
    return words.every((w) => text.includes(w));
  });
}

export function newConversationId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `c-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
