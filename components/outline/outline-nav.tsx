"use client";

import type { Outline, OutlineItem } from "@/components/chat/types";
import { InlineMath, plainTitle } from "@/components/markdown/inline-math";

/** What choosing an item asks: exercises get help getting started, everything else an explanation. */
export function questionFor(item: OutlineItem, hint: boolean): string {
  if (item.kind === "exercise") return hint ? `Give me a hint to get started on ${item.label}.` : `How do I approach ${item.label}?`;
  return `Explain ${item.label}${item.title ? ` (${item.title})` : ""} and how it is used.`;
}

/**
 * Chapters › sections › numbered items, as nested disclosure lists. An item asks the tutor about it;
 * a section opens its passage in the side panel.
 */
export function OutlineNav({
  outline,
  hint,
  busy = false,
  onAsk,
  onRead,
}: {
  outline: Outline;
  hint: boolean;
  /** An answer is streaming: asking waits until it is done. */
  busy?: boolean;
  onAsk: (question: string) => void;
  onRead: (label: string, trigger: HTMLElement) => void;
}) {
  const itemButton = (i: OutlineItem) => (
    <li key={i.label}>
      <button
        type="button"
        className="outline-item"
        data-testid="outline-item"
        data-label={i.label}
        title={i.title ? `${i.label}: ${plainTitle(i.title)}` : i.label}
        aria-label={`Ask about ${i.label}${i.title ? `: ${plainTitle(i.title)}` : ""}`}
        disabled={busy}
        onClick={() => onAsk(questionFor(i, hint))}
      >
        <span className="outline-item-label">{i.label}</span>
        {i.title && (
          <span className="outline-item-title" data-testid="outline-item-title">
            <InlineMath text={i.title} />
          </span>
        )}
      </button>
    </li>
  );
  return (
    <nav aria-label="Course outline" className="outline-nav" data-testid="outline-nav">
      <h2 className="drawer-title">Course outline</h2>
      <p className="muted small" aria-live="polite">
        {busy ? "You can ask about an item when the answer is done." : "Choose an item to ask about it."}
      </p>
      <ul className="outline-tree">
        {outline.chapters.map((c) => (
          <li key={c.label}>
            <details>
              <summary>
                {c.label}
                {c.title ? `: ${c.title}` : ""}
              </summary>
              {c.items.length > 0 && <ul className="outline-items">{c.items.map(itemButton)}</ul>}
              <ul className="outline-sections">
                {c.sections.map((s) => (
                  <li key={s.label}>
                    <details>
                      <summary>
                        {s.label}
                        {s.title ? `: ${s.title}` : ""}
                      </summary>
                      <button type="button" className="link-button small" onClick={(e) => onRead(s.label, e.currentTarget)}>
                        Read {s.label}
                      </button>
                      {s.items.length > 0 && (
                        <ul className="outline-items" aria-label={`Items in ${s.label}`}>
                          {s.items.map(itemButton)}
                        </ul>
                      )}
                    </details>
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
    </nav>
  );
}
