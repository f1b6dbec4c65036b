"use client";

import { citationKey } from "@/components/markdown/prepare";
import { useAnswerCitations, useCitationPanel } from "./context";

const DESCRIPTIONS = {
  verified: "Verified: this passage was given to the tutor.",
  "not-retrieved": "Not confirmed: this label exists in the notes, but the tutor was not given its text. Check it.",
  pending: "Checking…",
  unchecked: "Not checked.",
} as const;

/**
 * One citation in an answer. Known labels are chips (a button named by the label) that open the exact
 * passage; verified and unconfirmed ones look different; a label the notes do not have is plain text.
 */
export function CitationRef({ label }: { label: string }) {
  const { state, verdicts } = useAnswerCitations();
  const panel = useCitationPanel();
  const key = citationKey(label);
  const verdict = verdicts.get(key)?.verdict;
  if (verdict === "unknown") {
    return (
      <span className="cite-unknown" data-testid="citation-unknown" title="Not a label in these notes">
        [{label}]<span className="visually-hidden"> (not a label in these notes)</span>
      </span>
    );
  }
  const look = verdict ?? (state === "streaming" ? "pending" : "unchecked");
  return (
    <button
      type="button"
      className={`cite-chip cite-${look}`}
      data-testid="citation-chip"
      data-verdict={look}
      data-label={key}
      title={DESCRIPTIONS[look]}
      aria-haspopup="dialog"
      aria-expanded={panel.current === label}
      onClick={(e) => panel.open(label, e.currentTarget)}
    >
      <span className="cite-icon" aria-hidden="true">
        {look === "verified" ? "✓" : look === "not-retrieved" ? "?" : "§"}
      </span>
      {label}
    </button>
  );
}
