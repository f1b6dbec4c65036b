import type { UIMessage } from "ai";
import type { TutorDataParts } from "@/lib/tutor/contract";
import type { AnswerFeedback } from "./feedback";
import type { InsightsConfig } from "@/lib/insights/config";

/** What the client adds to a message; stays in the browser (localStorage) and travels back with the history. */
export interface ClientMetadata {
  /** The question was asked in hint mode. */
  hint?: boolean;
  /** The student stopped this answer mid-stream. */
  stopped?: boolean;
  /**
   * An answer regenerated at least once: every version, oldest first (the shown one included), and which is
   * shown. The message's own parts are always the shown version's, so what is on screen is what the next
   * question sends as history. Stays in the browser: stripped from requests.
   */
  versions?: AnswerVersion[];
  shown?: number;
  /** The student's thumbs (and comment) on an answer, by answer (components/chat/feedback.ts `feedbackKey`). */
  feedback?: Record<string, AnswerFeedback>;
}

/** One version of a regenerated answer. */
export interface AnswerVersion {
  parts: ChatMessage["parts"];
  stopped?: boolean;
}

export type ChatMessage = UIMessage<ClientMetadata, TutorDataParts>;

/** One conversation as kept in localStorage. */
export interface Conversation {
  id: string;
  title: string;
  /** The student named it: the title no longer follows the first question. */
  renamed?: boolean;
  course?: string;
  hint: boolean;
  updatedAt: number;
  messages: ChatMessage[];
}

/** The course outline the chat page browses: chapters › sections › numbered items. */
export interface Outline {
  /** `macros`: the course's own math macros for KaTeX, when it defines any. */
  course: { id: string; title: string; macros?: Record<string, string>; insights?: InsightsConfig };
  chapters: OutlineChapter[];
  /** Every citable label of the course (headings and numbered items), so the chat can flag a label it lacks. */
  labels?: string[];
}
export interface OutlineChapter {
  label: string;
  title: string;
  /** Numbered items before the chapter's first section. */
  items: OutlineItem[];
  sections: OutlineSection[];
}
export interface OutlineItem {
  label: string;
  kind: string;
  title: string;
}
export interface OutlineSection {
  label: string;
  title: string;
  items: OutlineItem[];
}
