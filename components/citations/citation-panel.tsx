"use client";

import { useEffect, useId, useMemo, useRef, useState } from "react";
import { fetchCitation, type Loaded } from "./fetch-citation";
import { PdfPageView } from "./pdf-page-view";
import { useScrollableMathFocus } from "@/components/markdown/scrollable-math";
import { pdfPageHref, pdfPageOf, sourceText } from "@/lib/cite/source";
import { figureHref, renderCourseText } from "@/lib/render/course-text";

export function citeHref(label: string, course?: string): string {
  return `/cite/${encodeURIComponent(label)}${course ? `?course=${encodeURIComponent(course)}` : ""}`;
}

/**
 * The exact passage of a cited label, beside the answer (a non-modal dialog; on a phone it covers the
 * chat, which the app makes inert meanwhile). Focus moves to its title on open; Escape or the close
 * button closes it and focus returns to the chip that opened it.
 */
export function CitationPanel({
  label,
  course,
  onClose,
  onOpen,
  backTo,
  onBack,
  group,
  onSwitch,
}: {
  label: string;
  course?: string;
  onClose: () => void;
  onOpen: (label: string) => void;
  /** The label this one was reached from inside the panel, if any. */
  backTo?: string;
  onBack?: () => void;
  /** Every label of the chip that opened the panel ("Exercises 1.41–1.43"), when it stands for several. */
  group?: string[];
  onSwitch?: (label: string) => void;
}) {
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });
  const titleRef = useRef<HTMLHeadingElement>(null);
  const passageRef = useRef<HTMLDivElement>(null);
  useScrollableMathFocus(passageRef);
  const titleId = useId();

  useEffect(() => {
    const ctrl = new AbortController();
    setLoaded({ status: "loading" });
    fetchCitation(label, course, ctrl.signal).then(setLoaded, () => {});
    titleRef.current?.focus();
    return () => ctrl.abort();
  }, [label, course]);

  const pdfPage = loaded.status === "found" ? pdfPageOf(loaded.item.source) : undefined;
  const html = useMemo(
    () => {
      if (loaded.status !== "found") return "";
      const { text, course: itemCourse, macros } = loaded.item;
      return renderCourseText(text, { refHref: (l) => citeHref(l, itemCourse), macros, figureHref: (file) => figureHref(itemCourse, file) });
    },
    [loaded],
  );

  return (
    <section
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      className="citation-panel"
      data-testid="citation-panel"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="panel-head">
        <h2 id={titleId} ref={titleRef} tabIndex={-1} data-testid="citation-panel-title">
          {loaded.status === "found" ? loaded.item.label : label}
          {loaded.status === "found" && loaded.item.title ? <span className="muted"> ({loaded.item.title})</span> : null}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close passage" data-testid="citation-panel-close">
          ✕
        </button>
      </div>
      {group && group.length > 1 && onSwitch && (
        <nav aria-label="Labels of this citation" className="panel-group" data-testid="citation-panel-group">
          <ul className="chips">
            {group.map((g) => (
              <li key={g}>
                <button type="button" className="chip-button" aria-current={g === label ? "true" : undefined} onClick={() => onSwitch(g)}>
                  {g}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {backTo && onBack && (
        <button type="button" className="link-button" onClick={onBack} data-testid="citation-panel-back">
          ← Back to {backTo}
        </button>
      )}
      {loaded.status === "loading" && (
        <p className="muted" role="status">
          Loading the passage…
        </p>
      )}
      {loaded.status === "found" && (
        <>
          <p className="breadcrumb">{[loaded.item.chapter, loaded.item.section].filter(Boolean).join(" › ")}</p>
          {loaded.item.part && <p className="muted">Part ({loaded.item.part}) is asked about; the whole item is shown.</p>}
          <div
            ref={passageRef}
            className="passage"
            data-testid="citation-panel-text"
            dangerouslySetInnerHTML={{ __html: html }}
            onClick={(e) => {
              // A cross-reference in the passage ("[Theorem 1.40]") opens here, in the panel; a modified
              // click (new tab, new window) follows the link to the label's own page.
              const link = (e.target as HTMLElement).closest<HTMLAnchorElement>("a[data-cite]");
              if (!link || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
              e.preventDefault();
              onOpen(link.dataset.cite!);
            }}
          />
          {pdfPage ? <PdfPageView course={loaded.item.course} file={pdfPage.file} page={pdfPage.page} text={loaded.item.text} /> : null}
          <p className="panel-foot">
            <a href={citeHref(loaded.item.label, loaded.item.course)} data-testid="citation-panel-link">
              Open {loaded.item.label} on its own page
            </a>
            <span className="source muted" data-testid="citation-panel-source">
              {" "}
              {sourceText(loaded.item.source)}
            </span>
            {pdfPageHref(loaded.item.course, loaded.item.source) ? (
              <>
                {" "}
                <a href={pdfPageHref(loaded.item.course, loaded.item.source)} target="_blank" rel="noopener" data-testid="citation-panel-pdf">
                  Open the PDF at page {pdfPage?.page}
                </a>
              </>
            ) : null}
          </p>
        </>
      )}
      {loaded.status === "ambiguous" && (
        <>
          <p>“{label}” could mean several things:</p>
          <ul className="chips">
            {loaded.candidates.map((c) => (
              <li key={c.label}>
                <button type="button" className="chip-button" onClick={() => onOpen(c.label)}>
                  {c.label}
                  {c.title ? ` (${c.title})` : ""}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {loaded.status === "not-found" && (
        <>
          <p role="alert">{loaded.message}</p>
          {loaded.suggestions.length > 0 && (
            <>
              <p>Nearest labels:</p>
              <ul className="chips">
                {loaded.suggestions.map((s) => (
                  <li key={s}>
                    <button type="button" className="chip-button" onClick={() => onOpen(s)}>
                      {s}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {loaded.status === "error" && <p role="alert">{loaded.message}</p>}
    </section>
  );
}
