import Link from "next/link";
import type { CourseSummary } from "@/app/api/outline/courses";

/** The courses of the store, each a link to its chat (`/c/<course>`); a server component. */
export function CoursePicker({ courses }: { courses: CourseSummary[] }) {
  return (
    <section className="course-picker" data-testid="course-picker" aria-labelledby="course-picker-title">
      <h1 id="course-picker-title">Choose a course</h1>
      {courses.length === 0 ? (
        <p role="alert">No course has been ingested yet. Run: npm run ingest -- &lt;course folder&gt;</p>
      ) : (
        <>
          <p className="muted">Each course has its own outline and conversations. This browser remembers the one you choose.</p>
          <ul className="course-list">
            {courses.map((c) => (
              <li key={c.id}>
                <Link href={`/c/${encodeURIComponent(c.id)}`} className="course-link" data-testid="course-link">
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
