"use client";

import { memo, useContext, useRef, type ReactNode } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
import { CitationRef } from "@/components/citations/citation-ref";
import { InQuoteContext } from "@/components/citations/context";
import { parseGroupHref } from "@/components/citations/groups";
import { parseRef } from "@/lib/cite/refs";
import { CITE_HREF_PREFIX, DISPLAY_MARK, prepareMarkdown } from "./prepare";
import { MathMacrosContext } from "./math-macros";
import { renderTex } from "./tex";
import { useScrollableMathFocus } from "./scrollable-math";

function Formula({ tex, display }: { tex: string; display: boolean }) {
  const html = renderTex(tex, display, useContext(MathMacrosContext));
  if (html === null) {
    // Not parseable by KaTeX: show the source quietly rather than a red error.
    return (
      <code className={display ? "math-source math-source-display" : "math-source"} title="Formula KaTeX could not render">
        {tex}
      </code>
    );
  }
  return <span className={display ? "math math-display" : "math math-inline"} dangerouslySetInnerHTML={{ __html: html }} />;
}

function textOf(children: ReactNode): string {
  if (typeof children === "string") return children;
  if (Array.isArray(children)) return children.map(textOf).join("");
  return "";
}

const components: Components = {
  code({ className, children }) {
    if (className?.includes("math-inline") || className?.includes("math-display")) {
      const tex = textOf(children);
      const display = className.includes("math-display") || tex.startsWith(DISPLAY_MARK);
      return <Formula tex={tex.startsWith(DISPLAY_MARK) ? tex.slice(DISPLAY_MARK.length) : tex} display={display} />;
    }
    return <code className={className}>{children}</code>;
  },
  pre({ children, node }) {
    const child = node?.children[0];
    const cls = child && child.type === "element" ? (child.properties?.className as string[] | undefined) : undefined;
    if (cls?.includes("math-display")) return <div className="math-block">{children}</div>;
    return <pre className="code">{children}</pre>;
  },
  a({ href, children }) {
    const text = textOf(children);
    if (href?.startsWith(CITE_HREF_PREFIX)) return <CitationRef text={text} members={parseGroupHref(href)} />;
    if (href && /^https?:\/\//i.test(href)) {
      return (
        <a href={href} target="_blank" rel="noopener noreferrer">
          {children}
        </a>
      );
    }
    // "[Theorem 1.40](5)" as the notes write it: the label is what matters.
    if (parseRef(text)?.kind) return <CitationRef text={text} members={[{ label: text }]} />;
    return <span>{children}</span>;
  },
  // References quoted from the notes read differently from the answer's own (components/citations/context).
  blockquote: ({ children }) => (
    <InQuoteContext.Provider value={true}>
      <blockquote>{children}</blockquote>
    </InQuoteContext.Provider>
  ),
  // An answer's headings sit below the page's own h1/h2.
  h1: ({ children }) => <h3>{children}</h3>,
  h2: ({ children }) => <h3>{children}</h3>,
  h3: ({ children }) => <h4>{children}</h4>,
  h4: ({ children }) => <h5>{children}</h5>,
  table: ({ children }) => (
    <div className="table-wrap">
      <table>{children}</table>
    </div>
  ),
};

const remarkPlugins = [remarkGfm, [remarkMath, { singleDollarTextMath: true }]] as const;

/**
 * Markdown with KaTeX math and citation chips, safe to re-render on every streamed chunk: see
 * prepareMarkdown for how unfinished formulas are held back. No raw HTML, no images.
 */
export const TutorMarkdown = memo(function TutorMarkdown({
  text,
  streaming = false,
  citations = true,
}: {
  text: string;
  streaming?: boolean;
  citations?: boolean;
}) {
  const { markdown, pending } = prepareMarkdown(text, { streaming, citations });
  const root = useRef<HTMLDivElement>(null);
  useScrollableMathFocus(root);
  return (
    <div className="markdown" ref={root}>
      <Markdown remarkPlugins={remarkPlugins as never} components={components} skipHtml disallowedElements={["img"]}>
        {markdown}
      </Markdown>
      {pending && (
        <span className="pending-math" aria-hidden="true" data-testid="pending-math">
          …
        </span>
      )}
    </div>
  );
});
