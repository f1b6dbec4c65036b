"use client";

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref } from "react";
import { CHAT_LIMITS } from "@/app/api/chat/schema";
import { TutorMarkdown } from "@/components/markdown/tutor-markdown";
import { MarkdownWarmUp } from "@/components/markdown/warm-up";
import { copyText, promptForAnswer } from "./copy-prompt";
import { MessageView } from "./message-view";
import type { ChatMessage, Conversation } from "./types";
import { regenerated, showVersion, withoutVersions } from "./versions";
import { withFeedback, withoutFeedback, type AnswerFeedback } from "./feedback";

export interface ChatSessionHandle {
  ask(text: string): void;
}

/** The readable part of an error from /api/chat: its JSON `message` when it has one. */
function errorMessage(error: Error): string {
  const raw = error.message?.trim() ?? "";
  try {
    const body = JSON.parse(raw) as { message?: unknown };
    // The API names the field for developers ("messages.1.parts.0.text: …"); a student needs the reason.
    if (typeof body.message === "string") return body.message.replace(/(^|; )messages(?:\.[\w-]+)*: /g, "$1");
  } catch {
    /* not JSON */
  }
  if (!raw || /fetch|network/i.test(raw)) return "The tutor could not be reached. Check your connection and try again.";
  return raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
}

const MATH_HINT = /\$|\\\(|\\\[/;
const MAX_SENT_MESSAGES = CHAT_LIMITS.messages;

/**
 * One conversation: the message list (an aria-live log), the question box, stop and retry. Keyed by the
 * conversation id, so "New conversation" starts a fresh useChat. Messages are handed to `onSave` for
 * localStorage whenever they settle.
 */
export function ChatSession({
  conversation,
  course,
  courseTitle,
  hint,
  onSave,
  onBusyChange,
  disabled,
  suggestions = [],
  escapeStops = true,
  insights = false,
  ref,
}: {
  /** The course records insights (course.json `insights`): thumbs are also sent to the instructor. */
  insights?: boolean;
  conversation: Conversation;
  course?: string;
  courseTitle: string;
  hint: boolean;
  onSave: (messages: ChatMessage[]) => void;
  onBusyChange?: (busy: boolean) => void;
  disabled?: string;
  /** Starter questions shown while the conversation is empty. */
  suggestions?: string[];
  /** Escape stops a streaming answer; false while an overlay (the phone's drawer or panel) takes Escape. */
  escapeStops?: boolean;
  ref?: Ref<ChatSessionHandle>;
}) {
  const hintRef = useRef(hint);
  hintRef.current = hint;
  /** The answer a regeneration replaces, until the new one settles (then both are versions of it). */
  const replaced = useRef<ChatMessage | null>(null);
  const courseRef = useRef(course);
  courseRef.current = course;

  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatMessage>({
        api: "/api/chat",
        // The API takes at most MAX_SENT_MESSAGES; the tutor only reads the recent turns of a long chat anyway.
        prepareSendMessagesRequest: ({ id, messages, body, trigger, messageId }) => ({
          // Earlier versions of regenerated answers stay in the browser: the tutor reads only what is shown.
          body: { ...body, id, messages: messages.slice(-MAX_SENT_MESSAGES).map((m) => withoutFeedback(withoutVersions(m))), trigger, messageId, course: courseRef.current, hint: hintRef.current },
        }),
      }),
    [],
  );
  const { messages, sendMessage, status, stop, regenerate, error, setMessages, clearError } = useChat<ChatMessage>({
    id: conversation.id,
    messages: conversation.messages,
    transport,
    experimental_throttle: 40,
    onFinish: ({ message, isAbort }) => {
      const earlier = replaced.current;
      replaced.current = null;
      setMessages((ms) => {
        const arrived = ms.some((m) => m.id === message.id);
        // A regeneration that failed before any answer arrived (a refused request): the answer it would
        // have replaced comes back, rather than the student losing it.
        if (!arrived) return earlier && ms.at(-1)?.role === "user" ? [...ms, earlier] : ms;
        return ms.map((m) => {
          if (m.id !== message.id) return m;
          const settled: ChatMessage = isAbort ? { ...m, metadata: { ...m.metadata, stopped: true } } : m;
          return earlier ? regenerated(earlier, settled) : settled;
        });
      });
    },
  });
  const busy = status === "submitted" || status === "streaming";

  useEffect(() => onBusyChange?.(busy), [busy, onBusyChange]);

  // Keep the conversation: at once when an answer settles, at most every second while one streams.
  const saveRef = useRef(onSave);
  saveRef.current = onSave;
  // A throttle, not a debounce: chunks arrive faster than a second, and a timer reset by each chunk would
  // never fire while the answer streams (a reload mid-answer then lost the question too).
  const latest = useRef(messages);
  latest.current = messages;
  const lastSave = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const save = () => {
      pending.current = null;
      lastSave.current = Date.now();
      saveRef.current(latest.current);
    };
    if (!busy) {
      if (pending.current) clearTimeout(pending.current);
      save();
      return;
    }
    if (!pending.current) pending.current = setTimeout(save, Math.max(0, lastSave.current + 1000 - Date.now()));
  }, [messages, busy]);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );

  const [draft, setDraft] = useState("");
  const inputRef = useRef<HTMLTextAreaElement>(null);

  const ask = useCallback(
    (text: string) => {
      const t = text.trim();
      if (!t || busy) return;
      clearError();
      void sendMessage({ text: t, metadata: { hint: hintRef.current } });
    },
    [busy, sendMessage, clearError],
  );
  useImperativeHandle(ref, () => ({ ask }), [ask]);

  const QUESTION_MAX_CHARS = CHAT_LIMITS.questionChars;
  const tooLong = draft.trim().length > QUESTION_MAX_CHARS;
  const submit = () => {
    if (!draft.trim() || busy || disabled || tooLong) return;
    ask(draft);
    setDraft("");
  };

  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  /** Retry after a failure, or "Regenerate": the last answer is kept as an earlier version of the new one. */
  const retry = useCallback(() => {
    clearError();
    const last = messagesRef.current.at(-1);
    replaced.current = last?.role === "assistant" ? last : null;
    void regenerate();
  }, [regenerate, clearError]);

  const selectVersion = useCallback(
    (messageId: string, index: number) => setMessages((ms) => ms.map((m) => (m.id === messageId ? showVersion(m, index) : m))),
    [setMessages],
  );

  const setFeedback = useCallback(
    (messageId: string, feedback: AnswerFeedback) => setMessages((ms) => ms.map((m) => (m.id === messageId ? withFeedback(m, feedback) : m))),
    [setMessages],
  );

  /** The question edited and sent again: it replaces the original, and what followed it is answered anew. */
  const resend = useCallback(
    (messageId: string, text: string) => {
      const t = text.trim();
      if (!t || busy) return;
      clearError();
      replaced.current = null;
      void sendMessage({ text: t, messageId, metadata: { hint: hintRef.current } });
    },
    [busy, sendMessage, clearError],
  );

  // Escape stops the answer, wherever focus is in the chat (not when an open dialog or field takes Escape first).
  useEffect(() => {
    if (!busy || !escapeStops) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented || e.isComposing) return;
      if (e.target instanceof Element && e.target.closest('[role="dialog"], .chat-drawer')) return;
      e.preventDefault();
      void stop();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [busy, escapeStops, stop]);

  const copyPrompt = useCallback(
    async (index: number) => {
      const ms = messagesRef.current;
      const asked = ms.slice(0, index).findLast((m) => m.role === "user");
      const prompt = await promptForAnswer({ messages: ms, answerIndex: index, course: courseRef.current, courseTitle, hint: !!asked?.metadata?.hint });
      return copyText(prompt);
    },
    [courseTitle],
  );

  // Follow the answer as it streams, unless the student scrolled up to read.
  const endRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const onScroll = () => {
      const el = document.scrollingElement ?? document.documentElement;
      stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 120;
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);
  // Not on an empty chat: the end marker sits under the sticky question box, and scrolling it into view (with
  // the page's scroll padding) moved a fresh page ~160 px down on a phone, hiding the heading.
  useEffect(() => {
    if (messages.length && stick.current) endRef.current?.scrollIntoView({ block: "end" });
  }, [messages]);

  const last = messages.at(-1);
  const lastIsAnswer = last?.role === "assistant";
  // The API reports LLM failures as a notice in the answer as well as an error: show it once.
  const lastHasErrorNotice = lastIsAnswer && last.parts.some((p) => p.type === "data-notice" && ["upstream-error", "timeout"].includes(p.data.kind));
  const statusText =
    status === "submitted"
      ? "The tutor is reading the notes…"
      : status === "streaming"
        ? "The tutor is answering…"
        : status === "error"
          ? "The tutor could not answer."
          : last?.metadata?.stopped
            ? "Answer stopped."
            : lastIsAnswer
              ? "Answer complete."
              : "";

  return (
    <div className="chat-session">
      <div
        className="messages"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-busy={busy}
        aria-label="Conversation"
        data-testid="messages"
        data-status={status}
      >
        {messages.length === 0 && <MarkdownWarmUp />}
        {messages.length === 0 && (
          <div className="welcome" data-testid="welcome">
            <h2>Ask about {courseTitle}</h2>
            <p className="muted">
              Answers cite the notes by label, like <q>[Exercise 1.41]</q>: select a label to read the exact passage beside the answer.
              Write math as <code>$x^2$</code> or <code>$$\sum_k k$$</code>.
            </p>
            {suggestions.length > 0 && !disabled && (
              <ul className="suggestions" aria-label="Example questions">
                {suggestions.map((s) => (
                  <li key={s}>
                    <button type="button" className="suggestion" onClick={() => ask(s)}>
                      {s}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {messages.map((m, i) => {
          const isLast = i === messages.length - 1;
          const asked = m.role === "assistant" ? messages.slice(0, i).findLast((x) => x.role === "user") : undefined;
          return (
            <MessageView
              key={m.id}
              message={m}
              streaming={isLast && m.role === "assistant" && status === "streaming"}
              isLast={isLast}
              hint={!!asked?.metadata?.hint}
              onRetry={isLast && !busy ? retry : undefined}
              index={i}
              onCopyPrompt={copyPrompt}
              busy={busy}
              onSelectVersion={selectVersion}
              onResend={resend}
              onFeedback={setFeedback}
              course={course}
              insights={insights}
            />
          );
        })}
        {status === "submitted" && (
          <p className="muted typing" data-testid="thinking">
            Reading the notes…
          </p>
        )}
        {error && !lastHasErrorNotice && (
          <div className="notice notice-error" role="alert" data-testid="chat-error">
            <strong>The tutor could not answer.</strong> {errorMessage(error)}{" "}
            {!lastIsAnswer && (
              <button type="button" className="secondary" onClick={retry} data-testid="retry">
                Retry
              </button>
            )}
          </div>
        )}
        <div ref={endRef} />
      </div>
      <p className="visually-hidden" role="status" data-testid="chat-status">
        {statusText}
      </p>

      <form
        className="composer"
        data-testid="composer"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label htmlFor="question" className="visually-hidden">
          {hint ? "Ask for a hint" : "Ask about the notes"}
        </label>
        {disabled && (
          <p className="muted composer-disabled" role="note">
            {disabled}
          </p>
        )}
        {MATH_HINT.test(draft) && (
          <div className="preview" data-testid="question-preview">
            <span className="preview-label muted">Preview</span>
            <TutorMarkdown text={draft} citations={false} />
          </div>
        )}
        <textarea
          id="question"
          ref={inputRef}
          data-testid="question"
          rows={2}
          value={draft}
          placeholder={hint ? "Ask for a hint…" : "Ask a question about the notes…"}
          aria-describedby="composer-help"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <div className="composer-actions">
          {tooLong ? (
            <span id="composer-help" className="composer-help composer-too-long" role="status" data-testid="question-too-long">
              The question is {draft.trim().length.toLocaleString("en")} characters; at most {QUESTION_MAX_CHARS.toLocaleString("en")} can be sent. Shorten it, or ask about one part at a time.
            </span>
          ) : (
            <span id="composer-help" className="muted composer-help">
              Enter sends, Shift+Enter adds a line. Math: $x^2$ or $$\sum_k k$$.
            </span>
          )}
          {busy ? (
            <button
              type="button"
              onClick={(e) => {
                // Stop takes Send's place: the second click of a double-click on Send is not a Stop.
                if (e.detail > 1) return;
                void stop();
              }}
              data-testid="stop"
              className="danger"
            >
              Stop
            </button>
          ) : (
            <button type="submit" data-testid="send" disabled={!draft.trim() || !!disabled || tooLong}>
              {hint ? "Ask for a hint" : "Send"}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
