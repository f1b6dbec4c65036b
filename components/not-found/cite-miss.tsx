import Link from "next/link";

/** The friendly "no such label" page (rendered with a 404 status by app/cite/[...ref]/not-found.tsx). */
export function CiteMiss({ label, course, suggestions, message }: { label: string; course?: string; suggestions: string[]; message?: string }) {
  const q = course ? `?course=${encodeURIComponent(course)}` : "";
  return (
    <article data-testid="cite-not-found">
      <h1>No “{label}” in these notes</h1>
      {message && <p role="alert">{message}</p>}
      {suggestions.length > 0 && (
        <>
          <p>Nearest labels:</p>
          <ul className="chips" aria-label="Suggestions">
            {suggestions.map((s) => (
              <li key={s}>
                <Link href={`/cite/${encodeURIComponent(s)}${q}`}>{s}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <Link href="/course">Browse the outline</Link>
      </p>
    </article>
  );
}

/** The 404 for an unknown course (the outline's `?course=`, the instructor page's segment): the courses there are, each linked by `hrefOf`. */
export function CourseMiss({ course, known, hrefOf = (c) => `/course?course=${encodeURIComponent(c)}` }: { course: string; known: string[]; hrefOf?: (course: string) => string }) {
  return (
    <article data-testid="course-not-found">
      <h1>No course “{course.slice(0, 64)}” here</h1>
      {known.length > 0 && (
        <ul className="chips" aria-label="Courses">
          {known.map((c) => (
            <li key={c}>
              <Link href={hrefOf(c)}>{c}</Link>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link href="/">Ask the tutor</Link>
      </p>
    </article>
  );
}
