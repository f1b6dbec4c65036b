"use client";

import { useEffect, useRef, useState } from "react";
import { CHAT_LIMITS } from "@/app/api/chat/schema";

/**
 * A question being edited in place: Enter (or "Send") sends it again, Shift+Enter adds a line, Escape or
 * "Cancel" keeps the question as it was.
 */
export function QuestionEditor({ initial, onSend, onCancel }: { initial: string; onSend: (text: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(initial);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = field.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const text = value.trim();
  const sendable = !!text && text.length <= CHAT_LIMITS.questionChars;
  return (
    <form
      className="question-editor"
      data-testid="question-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (sendable) onSend(text);
      }}
    >
      <label className="visually-hidden" htmlFor="edit-question-field">
        Edit your question
      </label>
      <textarea
        id="edit-question-field"
        ref={field}
        // About one row per 60 characters and per line break, 3 to 8.
        rows={Math.min(8, Math.max(3, Math.ceil(value.length / 60) + value.split("\n").length - 1))}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            // Escape here cancels the edit; it must not also stop an answer or close the drawer.
            e.preventDefault();
            e.stopPropagation();
            onCancel();
          } else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            if (sendable) onSend(text);
          }
        }}
        data-testid="edit-question-field"
      />
      <div className="question-editor-actions">
        <button type="button" className="secondary" onClick={onCancel} data-testid="edit-cancel">
          Cancel
        </button>
        <button type="submit" disabled={!sendable} data-testid="edit-send">
          Send
        </button>
      </div>
    </form>
  );
}
