"use client";

import { useRef, useState, type ReactNode } from "react";
import { QuestionEditor } from "./question-editor";
import type { ChatMessage } from "./types";

/** A question of the student's: the rendered text (`children`), its hint badge, and Edit → resend in place. */
export function UserMessage({
  message,
  text,
  busy,
  onResend,
  children,
}: {
  message: ChatMessage;
  text: string;
  /** An answer is streaming: editing waits. */
  busy: boolean;
  onResend?: (messageId: string, text: string) => void;
  children: ReactNode;
}) {
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  return (
    <article className={editing ? "msg msg-user msg-editing" : "msg msg-user"} data-testid="user-message" aria-label="Your question">
      {message.metadata?.hint && (
        <span className="badge badge-hint" data-testid="hint-badge">
          Hint mode
        </span>
      )}
      {editing && onResend ? (
        <QuestionEditor
          initial={text}
          onCancel={() => {
            setEditing(false);
            requestAnimationFrame(() => editButton.current?.focus());
          }}
          onSend={(t) => {
            setEditing(false);
            onResend(message.id, t);
          }}
        />
      ) : (
        <>
          {children}
          {onResend && !busy && (
            <div className="msg-actions msg-actions-user">
              <button ref={editButton} type="button" className="link-button small" onClick={() => setEditing(true)} data-testid="edit-question">
                Edit<span className="visually-hidden"> this question</span>
              </button>
            </div>
          )}
        </>
      )}
    </article>
  );
}
