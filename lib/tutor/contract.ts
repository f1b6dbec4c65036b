/**
 * The chat stream contract between `POST /api/chat` (and `npm run ask`) and the chat UI.
 * Types only, no server imports: client components may import this file.
 * Documented in docs/ARCHITECTURE.md under "Chat stream contract".
 */
import type { InferUIMessageChunk, UIMessage } from "ai";

export type CitationVerdict = "verified" | "not-retrieved" | "unknown";

export interface CitationCheck {
  /** In the course's form ("Exercise 1.41"); for an unknown label, the normalised form of what was written. */
  label: string;
  /**
   * verified: the item exists and was in the passages the answer was given;
   * not-retrieved: it exists in the course but the answer was not given its text;
   * unknown: no such label in the course (never render it as a link).
   */
  verdict: CitationVerdict;
  /** `/cite/<label>?course=<id>` — present unless the verdict is unknown. */
  citeUrl?: string;
}

export interface CitationsData {
  citations: CitationCheck[];
  /** True when at least one citation verified. */
  grounded: boolean;
}

export type NoticeKind = "no-llm" | "fulltext-only" | "out-of-scope" | "absent-label" | "ungrounded" | "upstream-error" | "timeout" | "truncated";

export interface NoticeData {
  kind: NoticeKind;
  message: string;
}

export interface PromptData {
  /** A self-contained prompt (guidance, rules, passages, conversation, question) to paste into any chatbot. */
  prompt: string;
}

/**
 * Sent (before `finish`) only when the course records insights and the answer was recorded: the answer's random
 * id, which the browser names when the student gives it a thumbs up or down (`POST /api/feedback`).
 */
export interface InsightData {
  answerId: string;
}

/** `providerMetadata.tutor` of each `source-document` part. */
export interface SourceMeta {
  /** The passage's heading label, e.g. "Section 1.6". */
  label: string;
  /** Every numbered item inside the passage ("Exercise 1.41", "Definition 1.42"). */
  refs: string[];
  citeUrl: string;
}

export type TutorDataParts = {
  citations: CitationsData;
  notice: NoticeData;
  prompt: PromptData;
  insight: InsightData;
};

/** `useChat<TutorUIMessage>()` on the client. */
export type TutorUIMessage = UIMessage<never, TutorDataParts>;
export type TutorUIMessageChunk = InferUIMessageChunk<TutorUIMessage>;

/** The cite page of a label: `/cite/Exercise%201.41?course=imo-demo`. */
export function citeUrl(label: string, course: string): string {
  return `/cite/${encodeURIComponent(label)}?course=${encodeURIComponent(course)}`;
}
