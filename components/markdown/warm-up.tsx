"use client";

import { useEffect, useState } from "react";
import { TutorMarkdown } from "./tutor-markdown";

/** A little of everything an answer has: prose, emphasis, a list, inline and display math, a table, code. */
const SAMPLE = [
  "Here is the *idea*, step by step: write the ratio as $\\frac{a}{b}$ with $b \\neq 0$ and \\(x^2\\).",
  "",
  "1. First, **sum**:",
  "",
  "$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$",
  "",
  "- then \\[\\int_0^1 x\\,dx\\]",
  "",
  "| $a$ | b |",
  "| --- | --- |",
  "| 1 | `2` |",
].join("\n");

/**
 * Renders a sample answer once, unseen, while the page waits for the first question: the browser compiles
 * the Markdown parser, KaTeX and the render path lazily, on first use, and fetches KaTeX's fonts when a
 * formula is first laid out; that first use cost the first answer on a fresh page 0.2–0.5 s more than the
 * next one (`npm run bench:first-token`). Once the fonts are in, the sample is gone.
 */
export function MarkdownWarmUp() {
  const [phase, setPhase] = useState<"waiting" | "render" | "done">("waiting");
  useEffect(() => {
    if (phase === "waiting") {
      // After the page is interactive (its own effects have run), not in the way of the first paint.
      const t = setTimeout(() => setPhase("render"), 50);
      return () => clearTimeout(t);
    }
    if (phase === "render") {
      // Laid out (not display: none), so the browser also fetches and decodes KaTeX's fonts and builds the
      // styles of its markup now; gone once the fonts it asked for have arrived.
      let live = true;
      const done = () => live && setPhase("done");
      const fallback = setTimeout(done, 3000);
      requestAnimationFrame(() => void document.fonts.ready.then(done));
      return () => {
        live = false;
        clearTimeout(fallback);
      };
    }
  }, [phase]);
  if (phase !== "render") return null;
  return (
    <div className="visually-hidden" aria-hidden="true" data-testid="markdown-warm-up">
      <TutorMarkdown text={SAMPLE} citations={false} />
    </div>
  );
}
