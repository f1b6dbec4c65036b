import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { notFound } from "next/navigation";
import { InstructorDashboard, instructorPath } from "@/components/instructor/dashboard";
import { SignInForm } from "@/components/instructor/sign-in-form";
import { CourseMiss } from "@/components/not-found/cite-miss";
import { env } from "@/lib/env";
import { toTutorError } from "@/lib/errors";
import { setPageStatus } from "@/lib/http/page-status";
import { INSTRUCTOR_COOKIE, instructorAccess } from "@/lib/instructor/auth";
import { DEFAULT_PERIOD } from "@/lib/instructor/report";
import { buildInstructorReport } from "@/lib/instructor/report";
import { listCourses, openSnapshot } from "@/lib/store/read";
import { courseSegmentSchema, instructorQuerySchema } from "@/app/api/instructor/schema";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ course: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(): Promise<Metadata> {
  // Without the token the page does not exist: no title that would say otherwise.
  if (!env.TUTOR_INSTRUCTOR_TOKEN) return {};
  return { title: "Instructor", robots: { index: false, follow: false } };
}

/**
 * `/instructor/<course>`: what students asked, by the course's own outline (issue 16). Behind
 * TUTOR_INSTRUCTOR_TOKEN (lib/instructor/auth.ts): unset → 404 like any unknown address; no or a wrong
 * credential → 401 with the sign-in form; signed in → the figures of `?period=` (7d, 30d, 120d, all).
 */
export default async function InstructorPage({ params, searchParams }: Props) {
  const requestHeaders = await headers();
  const access = instructorAccess({ authorization: requestHeaders.get("authorization"), cookie: (await cookies()).get(INSTRUCTOR_COOKIE)?.value });
  if (access === "disabled") notFound();
  const parsedCourse = courseSegmentSchema.safeParse((await params).course);
  if (!parsedCourse.success) notFound();
  const course = parsedCourse.data;
  const sp = await searchParams;
  if (access === "denied") {
    setPageStatus(requestHeaders, 401);
    return <SignInForm course={course} failed={sp.failed === "1"} />;
  }
  const query = instructorQuerySchema.safeParse({ period: typeof sp.period === "string" ? sp.period : undefined });
  const period = query.success ? query.data.period : DEFAULT_PERIOD;
  try {
    const report = await buildInstructorReport({ course, period });
    return (
      <>
        {!query.success ? (
          <p role="alert">
            Unknown period “{String(sp.period).slice(0, 20)}”: showing the last 30 days. Choose 7 days, 30 days, 120 days or All below.
          </p>
        ) : null}
        <InstructorDashboard report={report} />
        <form method="post" action="/api/instructor/sign-out" className="sign-out">
          <button type="submit" className="secondary">
            Sign out
          </button>
        </form>
      </>
    );
  } catch (e) {
    const err = toTutorError(e);
    if (err.status === 404) {
      if (!setPageStatus(requestHeaders, 404)) notFound();
      const snap = await openSnapshot().catch(() => null);
      const known = snap ? (await listCourses(snap).catch(() => [])).map((c) => c.id) : [];
      return <CourseMiss course={course} known={known} hrefOf={instructorPath} />;
    }
    return <p role="alert">{err.message}</p>;
  }
}
