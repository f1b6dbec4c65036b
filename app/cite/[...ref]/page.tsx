import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CiteMiss } from "@/components/not-found/cite-miss";
import { lookupCitation } from "@/lib/cite/lookup";
import { pdfPageHref, pdfPageOf, sourceText } from "@/lib/cite/source";
import { PdfPageView } from "@/components/citations/pdf-page-view";
import { env } from "@/lib/env";
import { toTutorError } from "@/lib/errors";
import { setPageStatus } from "@/lib/http/page-status";
import { log } from "@/lib/log";
import { figureHref, renderCourseText } from "@/lib/render/course-text";
import { refFromSegments } from "./ref-from-segments";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ ref: string[] }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: refFromSegments((await params).ref) };
}

/**
 * The friendly "no such label" page with a 404 status, its text in the HTML (lib/http/page-status.ts). Without
 * server.ts to apply the status, Next's notFound() (not-found.tsx: the same page, drawn by the browser).
 */
async function missing(page: React.ReactElement): Promise<React.ReactElement> {
  if (!setPageStatus(await headers(), 404)) notFound();
  return page;
}

export default async function CitePage({ params, searchParams }: Props) {
  const ref = refFromSegments((await params).ref);
  const sp = await searchParams;
  const course = typeof sp.course === "string" ? sp.course : undefined;
  let result;
  try {
    result = await lookupCitation({ ref, course, defaultCourse: env.TUTOR_DEFAULT_COURSE });
  } catch (e) {
    const err = toTutorError(e);
    // An unknown course: the 404 page (its status too), like an unknown label.
    if (err.status === 404) return missing(<CiteMiss label={ref} course={course} suggestions={[]} message={err.message} />);
    if (err.status >= 500) log.error({ err: String(e) }, "cite page failed");
    return (
      <article>
        <h1>{ref}</h1>
        <p role="alert">{err.message}</p>
      </article>
    );
  }
  const q = course ? `?course=${encodeURIComponent(course)}` : "";
  if (result.status === "ambiguous") {
    return (
      <article>
        <h1>“{ref}” could mean several things</h1>
        <ul className="chips" aria-label="Candidates">
          {result.candidates.map((c) => (
            <li key={c.label}>
              <Link href={`/cite/${encodeURIComponent(c.label)}${q}`}>
                {c.label}
                {c.title ? ` (${c.title})` : ""}
              </Link>
            </li>
          ))}
        </ul>
      </article>
    );
  }
  if (result.status === "not-found") return missing(<CiteMiss label={ref} course={course} suggestions={result.suggestions} />);
  const it = result.item;
  const pdfHref = pdfPageHref(it.course, it.source);
  const pdfPage = pdfPageOf(it.source);
  return (
    <article data-testid="cite-item">
      <nav aria-label="Where this sits in the notes" className="breadcrumb">
        {[it.chapter, it.section].filter(Boolean).join(" › ")}
      </nav>
      <h1>
        {it.label}
        {it.title ? <span className="muted"> ({it.title})</span> : null}
        {it.part ? <span className="muted"> — part ({it.part})</span> : null}
      </h1>
      <div className="passage" data-testid="cite-text" dangerouslySetInnerHTML={{ __html: renderCourseText(it.text, { refHref: (l) => `/cite/${encodeURIComponent(l)}${q}`, macros: it.macros, figureHref: (file) => figureHref(it.course, file) }) }} />
      {pdfPage ? <PdfPageView course={it.course} file={pdfPage.file} page={pdfPage.page} text={it.text} /> : null}
      <p className="source muted" data-testid="cite-source">
        {`${it.course} · ${sourceText(it.source)}`}
        {pdfHref ? (
          <>
            {" · "}
            <a href={pdfHref} target="_blank" rel="noopener" data-testid="cite-pdf-link">
              Open the PDF at page {pdfPage?.page}
            </a>
          </>
        ) : null}
      </p>
    </article>
  );
}
