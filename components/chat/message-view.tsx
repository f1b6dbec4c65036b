"use client";

import { memo, useMemo, useState } from "react";
import { AnswerCitationsContext, useCitationPanel, type AnswerCitations } from "@/components/citations/context";
import { citationKey } from "@/components/markdown/prepare";
import { TutorMarkdown } from "@/components/markdown/tutor-markdown";
import type { CitationCheck } from "@/lib/tutor/contract";
import { CopyAnswerButton, VersionSwitcher } from "./answer-actions";
import { AnswerFeedbackControls } from "./answer-feedback";
import type { AnswerFeedback } from "./feedback";
import { dataPart, messageText, sourcesOf } from "./copy-prompt";
import { NoLlmAnswer } from "./no-llm-answer";
import type { ChatMessage } from "./types";
import { UserMessage } from "./user-message";

const NOTICE_TITLES: Record<string, string> = {
  "no-llm": "No language model configured",
  "fulltext-only": "Full-text search only",
  "out-of-scope": "Outside the notes",
  "absent-label": "No such label in the notes",
  ungrounded: "Not grounded in the notes",
  "upstream-error": "The language model failed",
  timeout: "The language model timed out",
  truncated: "The answer was cut short",
};
const ERROR_NOTICES = new Set(["upstream-error", "timeout"]);
const ERROR_KINDS_IN = (notices: { kind: string }[]) => notices.some((n) => ERROR_NOTICES.has(n.kind));

/** Notices the page already shows once, in its banner, instead of under every answer. */
const PAGE_LEVEL_NOTICES = new Set(["fulltext-only", "no-llm"]);

/** One entry per cited heading: a long section arrives as several passages of the same label. */
function groupSources(sources: ReturnType<typeof sourcesOf>): { label: string; path: string; name: string; count: number }[] {
  const byLabel = new Map<string, { label: string; path: string; name: string; count: number }>();
  for (const s of sources) {
    const label = s.meta?.label ?? s.title;
    const seen = byLabel.get(label);
    if (seen) seen.count++;
    else byLabel.set(label, { label, path: s.title, name: headingName(s.title), count: 1 });
  }
  return [...byLabel.values()];
}

/** "Chapter 1: … › Section 1.6: More on sets" → "More on sets": the label is shown beside it already. */
function headingName(path: string): string {
  const last = path.split(" › ").at(-1) ?? path;
  const i = last.indexOf(": ");
  return i >= 0 ? last.slice(i + 2) : last;
}

const USER_CITATIONS: AnswerCitations = { state: "unchecked", verdicts: new Map() };

export const MessageView = memo(function MessageView({
  message,
  streaming,
  isLast,
  hint,
  onRetry,
  onCopyPrompt,
  index,
  busy = false,
  onSelectVersion,
  onResend,
  onFeedback,
  course,
  insights = false,
}: {
  message: ChatMessage;
  index: number;
  /** Keeps the student's thumbs on an answer (with the conversation, in this browser). */
  onFeedback?: (messageId: string, feedback: AnswerFeedback) => void;
  course?: string;
  /** The course records insights: feedback is also sent to the instructor. */
  insights?: boolean;
  /** An answer is streaming: editing and switching versions wait. */
  busy?: boolean;
  onSelectVersion?: (messageId: string, index: number) => void;
  /** Sends an edited question in place of this one. */
  onResend?: (messageId: string, text: string) => void;
  /** This answer is the one streaming now. */
  streaming: boolean;
  isLast: boolean;
  /** The question this answers was asked in hint mode. */
  hint: boolean;
  onRetry?: () => void;
  onCopyPrompt?: (index: number) => Promise<boolean>;
}) {
  const text = messageText(message);
  if (message.role === "user") {
    return (
      <UserMessage message={message} text={text} busy={busy} onResend={onResend}>
        <AnswerCitationsContext.Provider value={USER_CITATIONS}>
          <TutorMarkdown text={text} />
        </AnswerCitationsContext.Provider>
      </UserMessage>
    );
  }
  return (
    <AssistantMessage
      message={message}
      text={text}
      streaming={streaming}
      isLast={isLast}
      hint={hint}
      busy={busy}
      onRetry={onRetry}
      onCopyPrompt={onCopyPrompt ? () => onCopyPrompt(index) : undefined}
      onSelectVersion={onSelectVersion ? (i) => onSelectVersion(message.id, i) : undefined}
      onFeedback={onFeedback ? (f) => onFeedback(message.id, f) : undefined}
      course={course}
      insights={insights}
    />
  );
});

function AssistantMessage({
  message,
  text,
  streaming,
  isLast,
  hint,
  busy,
  onRetry,
  onCopyPrompt,
  onSelectVersion,
  onFeedback,
  course,
  insights,
}: {
  onFeedback?: (feedback: AnswerFeedback) => void;
  course?: string;
  insights: boolean;
  message: ChatMessage;
  text: string;
  streaming: boolean;
  isLast: boolean;
  hint: boolean;
  busy: boolean;
  onRetry?: () => void;
  onCopyPrompt?: () => Promise<boolean>;
  onSelectVersion?: (index: number) => void;
}) {
  const checked = dataPart(message, "citations").at(-1);
  const allNotices = dataPart(message, "notice");
  const noLlm = allNotices.some((n) => n.kind === "no-llm");
  const notices = allNotices.filter((n) => !PAGE_LEVEL_NOTICES.has(n.kind));
  const sources = sourcesOf(message);
  const citations = useMemo<AnswerCitations>(() => {
    const verdicts = new Map<string, CitationCheck>();
    for (const c of checked?.citations ?? []) verdicts.set(citationKey(c.label), c);
    return { state: checked ? "checked" : streaming ? "streaming" : "unchecked", verdicts, quotesAreNotes: noLlm };
  }, [checked, streaming, noLlm]);
  const [copyState, setCopyState] = useState<"idle" | "copying" | "copied" | "failed">("idle");
  const panel = useCitationPanel();

  return (
    <article
      className="msg msg-assistant"
      data-testid="assistant-message"
      data-streaming={streaming ? "true" : "false"}
      data-grounded={checked ? String(checked.grounded) : undefined}
      aria-label="Tutor's answer"
    >
      {hint && (
        <span className="badge badge-hint" data-testid="hint-badge">
          Hint mode: guiding questions, no full solution
        </span>
      )}
      {notices.map((n, i) => (
        <div
          key={i}
          className={`notice ${ERROR_NOTICES.has(n.kind) ? "notice-error" : "notice-info"}`}
          role={ERROR_NOTICES.has(n.kind) ? "alert" : undefined}
          data-testid={`notice-${n.kind}`}
        >
          <strong>{NOTICE_TITLES[n.kind] ?? "Note"}.</strong> {n.message}
        </div>
      ))}
      {text ? (
        <AnswerCitationsContext.Provider value={citations}>
          {noLlm ? <NoLlmAnswer text={text} streaming={streaming} /> : <TutorMarkdown text={text} streaming={streaming} />}
        </AnswerCitationsContext.Provider>
      ) : streaming ? (
        <p className="muted typing" data-testid="thinking">
          Reading the notes…
        </p>
      ) : null}
      {message.metadata?.stopped && (
        <p className="muted stopped" data-testid="stopped">
          Stopped before the answer was complete.
        </p>
      )}
      {sources.length > 0 && !streaming && (
        <section className="sources" aria-label="Sources used" data-testid="sources">
          <h3 className="sources-title">Sources</h3>
          <ul>
            {groupSources(sources).map((s) => (
              <li key={s.label}>
                <button type="button" className="source-button" onClick={(e) => panel.open(s.label, e.currentTarget)} data-testid="source-button">
                  {s.label}
                </button>{" "}
                <span className="muted source-path" title={s.path}>
                  {s.name}
                  {s.count > 1 ? ` (${s.count} passages)` : ""}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {!streaming && (
        <div className="msg-actions">
          {onSelectVersion && <VersionSwitcher message={message} busy={busy} onSelect={onSelectVersion} />}
          {text && onFeedback && <AnswerFeedbackControls message={message} course={course} insights={insights} disabled={busy} onChange={onFeedback} />}
          {text && <CopyAnswerButton text={text} />}
          {onCopyPrompt && (
            <button
              type="button"
              className="secondary"
              data-testid="copy-prompt"
              disabled={copyState === "copying"}
              onClick={async () => {
                setCopyState("copying");
                setCopyState((await onCopyPrompt()) ? "copied" : "failed");
                setTimeout(() => setCopyState("idle"), 4000);
              }}
            >
              {copyState === "copying" ? "Preparing…" : "Copy prompt"}
            </button>
          )}
          {isLast && onRetry && (
            <button type="button" className="secondary" onClick={onRetry} data-testid="retry">
              {text && !ERROR_KINDS_IN(notices) ? "Regenerate" : "Retry"}
            </button>
          )}
          <span role="status" className="muted copy-status" data-testid="copy-status">
            {copyState === "copied"
              ? "Prompt copied: paste it into any chatbot."
              : copyState === "failed"
                ? "Copying failed: your browser blocked the clipboard."
                : ""}
          </span>
        </div>
      )}
    </article>
  );
}
