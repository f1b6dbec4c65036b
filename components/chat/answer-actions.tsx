"use client";

import { useState } from "react";
import { copyText } from "./copy-prompt";
import type { ChatMessage } from "./types";

/** ‹ 2/3 ›: which version of a regenerated answer is shown (nothing for an answer with one version). */
export function VersionSwitcher({ message, busy, onSelect }: { message: ChatMessage; busy: boolean; onSelect: (index: number) => void }) {
  const versions = message.metadata?.versions;
  if (!versions || versions.length < 2) return null;
  const shown = Math.min(message.metadata?.shown ?? versions.length - 1, versions.length - 1);
  return (
    <span className="versions" role="group" aria-label="Versions of this answer" data-testid="versions">
      <button type="button" className="icon-button small" aria-label="Previous version" disabled={busy || shown === 0} onClick={() => onSelect(shown - 1)} data-testid="version-prev">
        <span aria-hidden="true">‹</span>
      </button>
      <span className="versions-count" data-testid="version-count">
        <span className="visually-hidden">Version </span>
        {shown + 1}
        <span aria-hidden="true">/</span>
        <span className="visually-hidden"> of </span>
        {versions.length}
      </span>
      <button
        type="button"
        className="icon-button small"
        aria-label="Next version"
        disabled={busy || shown === versions.length - 1}
        onClick={() => onSelect(shown + 1)}
        data-testid="version-next"
      >
        <span aria-hidden="true">›</span>
      </button>
    </span>
  );
}

/**
 * Copies the answer as written: Markdown with the math source ($…$) and the citations as "[Exercise 1.41]",
 * which pastes into notes, a chatbot or a LaTeX document as the tutor wrote it.
 */
export function CopyAnswerButton({ text }: { text: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <>
      <button
        type="button"
        className="secondary"
        data-testid="copy-answer"
        onClick={async () => {
          setState((await copyText(text)) ? "copied" : "failed");
          setTimeout(() => setState("idle"), 4000);
        }}
      >
        Copy answer
      </button>
      <span role="status" className="muted copy-status" data-testid="copy-answer-status">
        {state === "copied" ? "Answer copied as Markdown, with its math as LaTeX." : state === "failed" ? "Copying failed: your browser blocked the clipboard." : ""}
      </span>
    </>
  );
}
