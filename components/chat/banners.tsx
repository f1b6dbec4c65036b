"use client";

import { useState, type ReactNode } from "react";
import { HIDDEN_BANNERS_COOKIE, type BannerKind } from "./banner-cookie";

/**
 * One notice above the chat, one line tall: its gist, the rest behind "More" (a disclosure), and ✕ to hide it
 * for good in this browser (the cookie is read by the chat page, so a hidden notice never flashes on a reload).
 * On a phone two full-text notices took ~40 % of the first screen.
 */
export function Banner({
  kind,
  tone,
  gist,
  children,
  onHide,
}: {
  kind: BannerKind;
  tone: "info" | "warn" | "hint";
  /** The one line shown. */
  gist: ReactNode;
  /** The rest, shown when the student opens it. */
  children: ReactNode;
  onHide: (kind: BannerKind) => void;
}) {
  return (
    <div className={`banner banner-${tone} banner-compact`} role="note" data-testid={`banner-${kind}`} data-banner={kind}>
      <details className="banner-details">
        <summary>
          <span className="banner-gist">{gist}</span>
        </summary>
        <div className="banner-more">{children}</div>
      </details>
      <button type="button" className="icon-button banner-hide" onClick={() => onHide(kind)} aria-label="Hide this notice" data-testid={`banner-hide-${kind}`}>
        <span aria-hidden="true">✕</span>
      </button>
    </div>
  );
}

/** The notices this browser hid: starts from the server's reading of the cookie, writes it on each hide. */
export function useHiddenBanners(initial: readonly BannerKind[]) {
  const [hidden, setHidden] = useState<ReadonlySet<BannerKind>>(() => new Set(initial));
  const hide = (kind: BannerKind) => {
    const next = new Set(hidden).add(kind);
    setHidden(next);
    // A year, like any preference; read back by app/chat-page.tsx.
    document.cookie = `${HIDDEN_BANNERS_COOKIE}=${[...next].join(".")}; path=/; max-age=31536000; samesite=lax`;
  };
  return { hidden, hide };
}
