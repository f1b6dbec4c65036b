"use client";

import { useEffect, useState } from "react";

interface PageView {
  page: number;
  width: number;
  height: number;
  image: string;
  rects: { x: number; y: number; w: number; h: number }[];
}

/**
 * The cited PDF page, rendered by the server (/api/pdf-page), with the passage's words highlighted where the
 * text layer lets them be found. Nothing is shown when the page cannot be had (the link to the PDF stays).
 */
export function PdfPageView({ course, file, page, text }: { course: string; file: string; page: number; text: string }) {
  const [view, setView] = useState<PageView | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    const params = new URLSearchParams({ course, file, page: String(page), q: text.slice(0, 4000) });
    fetch(`/api/pdf-page?${params}`, { signal: ctrl.signal })
      .then((r) => (r.ok ? (r.json() as Promise<PageView>) : null))
      .then((v) => setView(v))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [course, file, page, text]);
  if (!view) return null;
  return (
    <figure className="pdf-page" data-testid="pdf-page-view" data-page={view.page}>
      <div className="pdf-page-frame" style={{ aspectRatio: `${view.width} / ${view.height}` }}>
        <img src={view.image} alt={`${file}, page ${view.page}`} />
        {view.rects.map((r, i) => (
          <mark
            key={i}
            data-testid="pdf-highlight"
            aria-hidden="true"
            style={{ left: `${r.x * 100}%`, top: `${r.y * 100}%`, width: `${r.w * 100}%`, height: `${r.h * 100}%` }}
          />
        ))}
      </div>
      <figcaption className="muted">
        {file}, page {view.page}
        {view.rects.length ? " — the passage highlighted" : ""}
      </figcaption>
    </figure>
  );
}
