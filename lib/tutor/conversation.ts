import type { HistoryTurn } from "../retrieve/search";
import type { CitationsData } from "./contract";
import { extractCitations } from "./citations";

/** The minimal shape of an AI SDK UIMessage this module reads (the route's zod schema guarantees it). */
export interface IncomingMessage {
  role: "user" | "assistant";
  parts: { type: string; text?: string; data?: unknown }[];
}

/** Concatenated text parts of a message. */
export function messageText(m: IncomingMessage): string {
  return m.parts
    .filter((p) => p.type === "text" && typeof p.text === "string")
    .map((p) => p.text as string)
    .join("")
    .trim();
}

/**
 * The labels a turn was about: for an answer, the citations its `data-citations` part checked (existing
 * labels only); otherwise the references in its text.
 */
function turnCitations(m: IncomingMessage, text: string): string[] {
  const checked = m.parts.find((p) => p.type === "data-citations")?.data as Partial<CitationsData> | undefined;
  if (m.role === "assistant" && Array.isArray(checked?.citations)) {
    return checked.citations.filter((c) => c && c.verdict !== "unknown" && typeof c.label === "string").map((c) => c.label);
  }
  return [...new Set(extractCitations(text).map((c) => c.label))];
}

/**
 * A chat's messages → the question (the last user message) and the earlier turns, for retrieval
 * (`findPassages({ history })`) and the prompt. Turns without text are dropped.
 */
export function splitConversation(messages: IncomingMessage[]): { question: string; history: HistoryTurn[] } {
  const last = messages.at(-1);
  const question = last && last.role === "user" ? messageText(last) : "";
  const history: HistoryTurn[] = [];
  for (const m of messages.slice(0, -1)) {
    const text = messageText(m);
    if (!text) continue;
    const citations = turnCitations(m, text);
    history.push(citations.length ? { role: m.role, text, citations } : { role: m.role, text });
  }
  return { question, history };
}
