import { cookies, headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { COURSE_COOKIE, loadCourses } from "@/app/api/outline/courses";
import { CoursePicker } from "@/components/chat/course-picker";
import { env } from "@/lib/env";
import { toTutorError } from "@/lib/errors";
import { CourseMiss } from "@/components/not-found/cite-miss";
import { setPageStatus } from "@/lib/http/page-status";
import { listCourseItems, listCourses, openSnapshot, requireSnapshot, resolveCourse } from "@/lib/store/read";
import type { ItemRow } from "@/lib/store/schema";

export const dynamic = "force-dynamic";
export const metadata = { title: "Outline" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * Chapters › sections › numbered items, each a link to its exact text. Which course: `?course=`, else the
 * configured default, else (a store of several) the one chosen last in this browser, else a picker of outlines.
 */
export default async function CourseOutline({ searchParams }: Props) {
  const sp = await searchParams;
  let asked = typeof sp.course === "string" ? sp.course : undefined;
  if (!asked && !env.TUTOR_DEFAULT_COURSE) {
    const courses = await loadCourses();
    if (courses.length > 1) {
      const remembered = (await cookies()).get(COURSE_COOKIE)?.value;
      if (!remembered || !courses.some((c) => c.id === remembered)) {
        return <CoursePicker courses={courses} href={(id) => `/course?course=${encodeURIComponent(id)}`} title="Choose a course's outline" note="Each course has its own outline." />;
      }
      asked = remembered;
    }
  }
  let items: ItemRow[];
  let title: string;
  let courseId: string;
  try {
    const snap = await requireSnapshot();
    const course = await resolveCourse(snap, asked, env.TUTOR_DEFAULT_COURSE);
    items = await listCourseItems(snap, course.id);
    title = course.title;
    courseId = course.id;
  } catch (e) {
    const err = toTutorError(e);
    // An unknown course: 404 with the friendly page in the HTML (lib/http/page-status.ts); without server.ts, notFound().
    if (err.status === 404) {
      if (!setPageStatus(await headers(), 404)) notFound();
      const snap = await openSnapshot().catch(() => null);
      const known = snap ? (await listCourses(snap).catch(() => [])).map((c) => c.id) : [];
      return <CourseMiss course={typeof sp.course === "string" ? sp.course : ""} known={known} />;
    }
    return <p role="alert">{err.message}</p>;
  }
  const q = `?course=${encodeURIComponent(courseId)}`;
  const chapters = items.filter((i) => i.kind === "chapter");
  const link = (i: ItemRow) => (
    <Link href={`/cite/${encodeURIComponent(i.label)}${q}`}>
      {i.label}
      {i.title ? `: ${i.title}` : ""}
    </Link>
  );
  return (
    <>
      <h1>{title}</h1>
      <ul className="outline" data-testid="outline">
        {chapters.map((c) => (
          <li key={c.id}>
            <h2>{link(c)}</h2>
            <ul className="outline">
              {items
                .filter((i) => i.chapter === c.number && i.kind === "section")
                .map((s) => (
                  <li key={s.id}>
                    {link(s)}
                    <ul className="chips" aria-label={`Items in ${s.label}`}>
                      {items
                        .filter((i) => i.section === s.label && !["chapter", "section", "subsection"].includes(i.kind))
                        .map((i) => (
                          <li key={i.id}>
                            <Link href={`/cite/${encodeURIComponent(i.label)}${q}`} title={i.title || undefined}>
                              {i.label}
                            </Link>
                          </li>
                        ))}
                    </ul>
                  </li>
                ))}
            </ul>
          </li>
        ))}
      </ul>
    </>
  );
}
