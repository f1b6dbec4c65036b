"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * The friendly "no such label" page, shown with a 404 status (the page calls notFound(), whose boundary gets no
 * params): the label comes from the address, the nearest labels from /api/cite, as the citation panel does.
 */
export function CiteMiss() {
  const pathname = usePathname() ?? "";
  const course = useSearchParams()?.get("course") ?? undefined;
  const ref = pathname
    .replace(/^\/cite\/?/, "")
    .split("/")
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    })
    .join(" ")
    .trim()
    .slice(0, 200);
  const [info, setInfo] = useState<{ message?: string; suggestions: string[] }>({ suggestions: [] });
  useEffect(() => {
    const qs = new URLSearchParams({ ref });
    if (course) qs.set("course", course);
    let live = true;
    fetch(`/api/cite?${qs}`)
      .then((r) => r.json())
      .then((b: { message?: string; suggestions?: string[] }) => live && setInfo({ message: b.message, suggestions: Array.isArray(b.suggestions) ? b.suggestions : [] }))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [ref, course]);
  const q = course ? `?course=${encodeURIComponent(course)}` : "";
  return (
    <article data-testid="cite-not-found">
      <h1>No “{ref}” in these notes</h1>
      {info.message && !info.suggestions.length && <p>{info.message}</p>}
      {info.suggestions.length > 0 && (
        <>
          <p>Nearest labels:</p>
          <ul className="chips" aria-label="Suggestions">
            {info.suggestions.map((s) => (
              <li key={s}>
                <Link href={`/cite/${encodeURIComponent(s)}${q}`}>{s}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <Link href={`/course${q}`}>Browse the outline</Link>
      </p>
    </article>
  );
}

/** The outline page's 404: an unknown `?course=`. */
export function CourseMiss() {
  const course = useSearchParams()?.get("course") ?? "";
  return (
    <article data-testid="course-not-found">
      <h1>No course “{course.slice(0, 64)}” here</h1>
      <p>
        <Link href="/course">Open the outline of the available course</Link> or <Link href="/">ask the tutor</Link>.
      </p>
    </article>
  );
}
