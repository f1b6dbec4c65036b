"use client";

import { useId, useState } from "react";
import { answerIdOf, feedbackOf, sendFeedback, type AnswerFeedback } from "./feedback";
import type { ChatMessage } from "./types";

/**
 * 👍 / 👎 on an answer, then an optional comment. Always kept with the conversation in this browser
 * (`onChange`); sent to the instructor's insights only when the course records them (`insights`) and the answer
 * carries the id the server gave it.
 */
export function AnswerFeedbackControls({
  message,
  course,
  insights,
  disabled,
  onChange,
}: {
  message: ChatMessage;
  course?: string;
  insights: boolean;
  disabled?: boolean;
  onChange: (feedback: AnswerFeedback) => void;
}) {
  const current = feedbackOf(message);
  const [draft, setDraft] = useState(current?.comment ?? "");
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState("");
  const commentId = useId();
  const answerId = answerIdOf(message);
  const shares = insights && !!answerId && !!course;

  const save = async (feedback: AnswerFeedback) => {
    onChange({ ...feedback, sent: false });
    if (!shares) {
      setStatus("Saved in this browser.");
      return;
    }
    setStatus("Sending…");
    const failed = await sendFeedback({ course: course!, answerId: answerId!, rating: feedback.rating, ...(feedback.comment ? { comment: feedback.comment } : {}) });
    if (failed) setStatus(`Saved in this browser; not sent: ${failed}.`);
    else {
      onChange({ ...feedback, sent: true });
      setStatus("Thanks: sent to your instructor, without your name.");
    }
  };
  const rate = (rating: "up" | "down") => {
    setOpen(rating === "down" || open);
    void save({ rating, ...(current?.comment ? { comment: current.comment } : {}) });
  };

  return (
    <span className="feedback" role="group" aria-label="Was this answer helpful?" data-testid="feedback">
      <button type="button" className="icon-button small" aria-pressed={current?.rating === "up"} aria-label="Helpful" disabled={disabled} onClick={() => rate("up")} data-testid="thumbs-up">
        <span aria-hidden="true">👍</span>
      </button>
      <button type="button" className="icon-button small" aria-pressed={current?.rating === "down"} aria-label="Not helpful" disabled={disabled} onClick={() => rate("down")} data-testid="thumbs-down">
        <span aria-hidden="true">👎</span>
      </button>
      {current && !open && (
        <button type="button" className="link-button" onClick={() => setOpen(true)} data-testid="feedback-comment-open">
          {current.comment ? "Edit comment" : "Add a comment"}
        </button>
      )}
      {current && open && (
        <form
          className="feedback-comment"
          onSubmit={(e) => {
            e.preventDefault();
            setOpen(false);
            void save({ rating: current.rating, ...(draft.trim() ? { comment: draft.trim() } : {}) });
          }}
        >
          <label htmlFor={commentId} className="visually-hidden">
            Comment on this answer (optional)
          </label>
          <textarea id={commentId} rows={2} maxLength={2000} value={draft} placeholder="What was wrong or missing? (optional)" onChange={(e) => setDraft(e.target.value)} data-testid="feedback-comment" />
          <button type="submit" className="secondary" data-testid="feedback-comment-send">
            {shares ? "Send comment" : "Save comment"}
          </button>
        </form>
      )}
      <span role="status" className="muted copy-status" data-testid="feedback-status">
        {status}
      </span>
    </span>
  );
}
