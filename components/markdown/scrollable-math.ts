"use client";

import { useEffect, type RefObject } from "react";

const SCROLLERS = ".katex-display, .math-display, .math-block";

/**
 * A display formula wider than the screen scrolls sideways; a keyboard user must be able to scroll it too
 * (WCAG 2.1.1, axe "scrollable-region-focusable"), so each formula that overflows becomes a tab stop — only those,
 * so a page of narrow formulas adds none. Checked after every render (a streamed answer grows), when the fonts have
 * loaded and whenever the text's box changes size.
 */
export function useScrollableMathFocus(root: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const mark = () => {
      for (const s of el.querySelectorAll<HTMLElement>(SCROLLERS)) {
        if (s.scrollWidth > s.clientWidth + 1) {
          s.tabIndex = 0;
          s.setAttribute("aria-label", "Formula (scrolls sideways)");
          s.setAttribute("role", "group");
        } else if (s.hasAttribute("tabindex")) {
          s.removeAttribute("tabindex");
          s.removeAttribute("aria-label");
          s.removeAttribute("role");
        }
      }
    };
    mark();
    // Widths settle later than the render: KaTeX's fonts load, a folded passage (<details>) opens, the page resizes.
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(mark);
    observer?.observe(el);
    const frame = requestAnimationFrame(mark);
    document.fonts?.addEventListener("loadingdone", mark);
    window.addEventListener("resize", mark);
    return () => {
      cancelAnimationFrame(frame);
      observer?.disconnect();
      document.fonts?.removeEventListener("loadingdone", mark);
      window.removeEventListener("resize", mark);
    };
  });
}
