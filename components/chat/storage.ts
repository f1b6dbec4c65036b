import type { ChatMessage, Conversation } from "./types";

/**
 * Conversations live in the student's browser only (localStorage), newest first. A full or disabled
 * storage never breaks the chat: writes that fail drop the oldest conversations and try once more.
 */
const KEY = "course-tutor:conversations:v1";
const CURRENT_KEY = "course-tutor:current:v1";
const MAX_CONVERSATIONS = 30;

function read(): Conversation[] {
  try {
    const raw = localStorage.getItem(KEY);
    const list = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(list) ? list.filter(isConversation) : [];
  } catch {
    return [];
  }
}

function isConversation(c: unknown): c is Conversation {
  const x = c as Conversation;
  return !!x && typeof x.id === "string" && Array.isArray(x.messages) && typeof x.updatedAt === "number";
}

function write(list: Conversation[]): void {
  const sorted = [...list].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, MAX_CONVERSATIONS);
  try {
    localStorage.setItem(KEY, JSON.stringify(sorted));
  } catch {
    try {
      localStorage.setItem(KEY, JSON.stringify(sorted.slice(0, Math.ceil(sorted.length / 2))));
    } catch {
      /* storage unavailable: the conversation simply is not kept */
    }
  }
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

export function getCurrentId(): string | null {
  try {
    return localStorage.getItem(CURRENT_KEY);
  } catch {
    return null;
  }
}

export function setCurrentId(id: string): void {
  try {
    localStorage.setItem(CURRENT_KEY, id);
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
