"use client";

import { useContext, useId } from "react";
import { citationKey } from "@/components/markdown/prepare";
import type { CitationVerdict } from "@/lib/tutor/contract";
import { citeHref } from "./citation-panel";
import { InQuoteContext, useAnswerCitations, useCitationPanel, useCourseLabels } from "./context";
import { labelExists, type GroupMember } from "./groups";
import { CitationPreview, usePreview } from "./citation-preview";

type Look = "verified" | "not-retrieved" | "pending" | "exists" | "unchecked";

const DESCRIPTIONS: Record<Look, string> = {
  verified: "Verified: the tutor was given this passage.",
  "not-retrieved": "Not confirmed: this label exists in the notes, but the tutor was not given its text. Check it.",
  pending: "Checking…",
  exists: "In the notes. Not checked against the passages the tutor was given.",
  unchecked: "Not checked.",
};
const ICONS: Record<Look, string> = { verified: "✓", "not-retrieved": "?", pending: "§", exists: "§", unchecked: "§" };

interface Member extends GroupMember {
  key: string;
  verdict?: CitationVerdict;
  /** In the course: from the server's check when there is one, else from the course's labels; null: cannot tell. */
  exists: boolean | null;
}

/**
 * One written reference in an answer: "[Exercise 1.41]", or a range or list of one kind ("[Exercises 1.41–1.43]"),
 * which is one chip standing for each of its labels. Its look is claimed only from what was checked: the server's
 * verdicts when the answer completed; otherwise only whether the course has the label (while streaming, after Stop).
 * A reference to labels the course does not have is struck through and flagged, never a link. In the notes' own
 * words quoted by the no-LLM answer, references are the notes' cross-references: plain links to the passage.
 * Hovering or keyboard focus shows a preview of the passage; a tap (touch) opens the panel.
 */
export function CitationRef({ text, members }: { text: string; members: GroupMember[] }) {
  const { state, verdicts, quotesAreNotes } = useAnswerCitations();
  const inQuote = useContext(InQuoteContext);
  const { course, labels } = useCourseLabels();
  const panel = useCitationPanel();
  const descriptionId = useId();

  const resolved: Member[] = members
    .map((m) => {
      const key = citationKey(m.label);
      const verdict = verdicts.get(key)?.verdict;
      const exists = verdict ? verdict !== "unknown" : labels ? labelExists(labels, m.label) : null;
      return { ...m, key, verdict, exists };
    })
    // A number inside a range that the course gives to another kind is no claim of the answer's.
    .filter((m) => !(m.between && m.exists === false));
  const real = resolved.filter((m) => m.exists !== false);
  const missing = resolved.filter((m) => m.exists === false);
  const first = real[0];
  const preview = usePreview(first?.label, course);

  if (!first) {
    const what = missing.map((m) => m.key).join(", ");
    return (
      <span className="cite-unknown" data-testid="citation-unknown" title={`Not in these notes: ${what}`}>
        <span className="cite-icon" aria-hidden="true">
          ⚠
        </span>
        <s>{text}</s>
        <span className="visually-hidden"> (not a label in these notes)</span>
      </span>
    );
  }

  const group = real.map((m) => m.label);
  const openPanel = (el: HTMLElement) => {
    preview.close();
    panel.open(first.label, el, group.length > 1 ? group : undefined);
  };

  if (inQuote && quotesAreNotes) {
    return (
      <>
        <a
          className="xref"
          href={citeHref(first.label, course)}
          data-testid="citation-link"
          data-label={first.key}
          aria-describedby={preview.open ? preview.id : undefined}
          {...preview.triggerProps}
          onClick={(e) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            openPanel(e.currentTarget);
          }}
        >
          {text}
        </a>
        {preview.open && <CitationPreview state={preview} others={group.slice(1)} />}
      </>
    );
  }

  const checkedAll = real.every((m) => m.verdict);
  const look: Look = checkedAll
    ? real.every((m) => m.verdict === "verified")
      ? "verified"
      : "not-retrieved"
    : state === "streaming"
      ? "pending"
      : real.every((m) => m.exists)
        ? "exists"
        : "unchecked";
  const description = [
    DESCRIPTIONS[look],
    group.length > 1 ? `Labels: ${group.join(", ")}.` : "",
    missing.length ? `Not in these notes: ${missing.map((m) => m.key).join(", ")}.` : "",
  ]
    .filter(Boolean)
    .join(" ");

  return (
    <>
      <button
        type="button"
        className={`cite-chip cite-${look}${missing.length ? " cite-partial" : ""}`}
        data-testid="citation-chip"
        data-verdict={look}
        data-label={first.key}
        data-labels={real.map((m) => m.key).join("|")}
        aria-haspopup="dialog"
        aria-expanded={panel.current === first.label}
        aria-describedby={preview.open ? `${descriptionId} ${preview.id}` : descriptionId}
        {...preview.triggerProps}
        onClick={(e) => openPanel(e.currentTarget)}
      >
        <span className="cite-icon" aria-hidden="true">
          {missing.length ? "⚠" : ICONS[look]}
        </span>
        {text}
      </button>
      <span id={descriptionId} hidden>
        {description}
      </span>
      {preview.open && <CitationPreview state={preview} description={description} />}
    </>
  );
}
