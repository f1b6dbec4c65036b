"use client";

import { useCallback, useEffect, useId, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type PointerEvent } from "react";
import { createPortal } from "react-dom";
import { isPrintedLabel, printedOffset } from "@/lib/cite/printed-labels";
import type { CitedItem } from "@/lib/cite/lookup";
import { figureHref, renderCourseText } from "@/lib/render/course-text";
import { fetchPreview, type Loaded } from "./fetch-citation";

const SHOW_DELAY_MS = 250;
const HIDE_DELAY_MS = 200;
/** How much of the passage the card shows: whole paragraphs (formulas never cut) up to about this many characters. */
const PREVIEW_CHARS = 320;

export interface PreviewState {
  id: string;
  open: boolean;
  loaded: Loaded;
  anchor: DOMRect | null;
  close(): void;
  keep(): void;
  leave(): void;
  triggerProps: {
    onPointerEnter(e: PointerEvent<HTMLElement>): void;
    onPointerLeave(e: PointerEvent<HTMLElement>): void;
    onFocus(e: FocusEvent<HTMLElement>): void;
    onBlur(): void;
    onKeyDown(e: KeyboardEvent<HTMLElement>): void;
  };
}

/**
 * A preview card for a citation (WCAG 1.4.13: it shows on mouse hover after a short pause and on keyboard
 * focus, stays while the pointer is over it, and Escape dismisses it). Touch shows none: a tap opens the panel.
 */
export function usePreview(label: string | undefined, course: string | undefined): PreviewState {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [anchor, setAnchor] = useState<DOMRect | null>(null);
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });
  const showTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const hideTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const clear = () => {
    clearTimeout(showTimer.current);
    clearTimeout(hideTimer.current);
  };
  const close = useCallback(() => {
    clear();
    setOpen(false);
  }, []);
  const show = (el: HTMLElement, delay: number) => {
    if (!label) return;
    clear();
    showTimer.current = setTimeout(() => {
      setAnchor(el.getBoundingClientRect());
      setOpen(true);
      setLoaded({ status: "loading" });
      void fetchPreview(label, course).then(setLoaded);
    }, delay);
  };
  const leave = () => {
    clearTimeout(showTimer.current);
    clearTimeout(hideTimer.current);
    hideTimer.current = setTimeout(() => setOpen(false), HIDE_DELAY_MS);
  };

  useEffect(() => {
    if (!open) return;
    // A card placed for where the chip was must not float over other text once the page moves.
    const onMove = () => setOpen(false);
    window.addEventListener("scroll", onMove, { passive: true, capture: true });
    window.addEventListener("resize", onMove);
    return () => {
      window.removeEventListener("scroll", onMove, { capture: true });
      window.removeEventListener("resize", onMove);
    };
  }, [open]);
  useEffect(() => clear, []);

  return {
    id,
    open,
    loaded,
    anchor,
    close,
    keep: () => clearTimeout(hideTimer.current),
    leave,
    triggerProps: {
      onPointerEnter: (e) => {
        if (e.pointerType === "mouse") show(e.currentTarget, SHOW_DELAY_MS);
      },
      onPointerLeave: (e) => {
        if (e.pointerType === "mouse") leave();
      },
      onFocus: (e) => {
        // Keyboard focus only: a tap or click focuses the chip too, and opens the panel instead.
        if (e.currentTarget.matches(":focus-visible")) show(e.currentTarget, 0);
      },
      onBlur: close,
      onKeyDown: (e) => {
        if (e.key === "Escape" && open) {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
      },
    },
  };
}

/** What a card previews: a passage from its start; for a figure, table or equation, from where the passage prints it. */
function previewFrom(item: CitedItem): string {
  return isPrintedLabel(item.label) ? item.text.slice(printedOffset(item.text, item.label)) : item.text;
}

/** The first paragraphs of a passage: whole paragraphs, so a formula is never cut in half. */
export function previewText(text: string): { text: string; more: boolean } {
  const paras = text.split(/\n[ \t]*\n/).filter((p) => p.trim());
  const kept: string[] = [];
  let length = 0;
  for (const p of paras) {
    if (kept.length && length + p.length > PREVIEW_CHARS) break;
    kept.push(p);
    length += p.length;
    if (length >= PREVIEW_CHARS) break;
  }
  return { text: kept.join("\n\n"), more: kept.length < paras.length || length > PREVIEW_CHARS };
}

const CARD_WIDTH = 416;
const CARD_ROOM = 280;

/** The card itself, in a portal on the body (fixed, beside the chip; above it when there is no room below). */
export function CitationPreview({ state, others = [], description }: { state: PreviewState; others?: string[]; description?: string }) {
  const { loaded, anchor } = state;
  const html = useMemo(() => {
    if (loaded.status !== "found") return "";
    const { course } = loaded.item;
    // A figure's card starts at its image (`printedOffset`), shown as the panel shows it.
    return renderCourseText(previewText(previewFrom(loaded.item)).text, { macros: loaded.item.macros, figureHref: (file) => figureHref(course, file) });
  }, [loaded]);
  if (!anchor || typeof document === "undefined") return null;
  const width = Math.min(CARD_WIDTH, window.innerWidth - 16);
  const left = Math.max(8, Math.min(anchor.left, window.innerWidth - width - 8));
  const below = window.innerHeight - anchor.bottom > CARD_ROOM || anchor.top < CARD_ROOM;
  const style = below ? { top: anchor.bottom + 6, left, width } : { bottom: window.innerHeight - anchor.top + 6, left, width };
  // A figure's card starts mid-passage: the passage has more than the card shows.
  const more = loaded.status === "found" && (previewText(previewFrom(loaded.item)).more || previewFrom(loaded.item).length < loaded.item.text.length);
  return createPortal(
    <div id={state.id} role="tooltip" className="cite-preview" style={style} data-testid="citation-preview" onPointerEnter={state.keep} onPointerLeave={state.leave}>
      {loaded.status === "loading" && <p className="muted">Loading the passage…</p>}
      {loaded.status === "found" && (
        <>
          <p className="cite-preview-head">
            <strong>{loaded.item.label}</strong>
            {loaded.item.title ? <span className="muted"> ({loaded.item.title})</span> : null}
          </p>
          <div className={`cite-preview-text${more ? " cite-preview-more" : ""}`} data-testid="citation-preview-text" dangerouslySetInnerHTML={{ __html: html }} />
        </>
      )}
      {loaded.status === "ambiguous" && <p>Several passages have this number; select to choose.</p>}
      {loaded.status === "not-found" && <p>{loaded.message}</p>}
      {loaded.status === "error" && <p>{loaded.message}</p>}
      {others.length > 0 && <p className="muted small">Also in this citation: {others.join(", ")}</p>}
      {description && <p className="muted small cite-preview-verdict">{description}</p>}
    </div>,
    document.body,
  );
}
