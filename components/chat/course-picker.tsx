import Link from "next/link";
import type { CourseSummary } from "@/app/api/outline/courses";

/** The courses of the store, each a link to its chat (`/c/<course>`) or, with `href`, elsewhere; a server component. */
export function CoursePicker({
  courses,
  href = (id) => `/c/${encodeURIComponent(id)}`,
  title = "Choose a course",
  note = "Each course has its own outline and conversations. This browser remembers the one you choose.",
}: {
  courses: CourseSummary[];
  href?: (id: string) => string;
  title?: string;
  note?: string;
}) {
  return (
    <section className="course-picker" data-testid="course-picker" aria-labelledby="course-picker-title">
      <h1 id="course-picker-title">{title}</h1>
      {courses.length === 0 ? (
        <p role="alert">No course has been ingested yet. Run: npm run ingest -- &lt;course folder&gt;</p>
      ) : (
        <>
          <p className="muted">{note}</p>
          <ul className="course-list">
            {courses.map((c) => (
              <li key={c.id}>
                <Link href={href(c.id)} className="course-link" data-testid="course-link">
                  <span className="course-title">{c.title}</span>
                  <span className="muted course-id">{c.id}</span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
