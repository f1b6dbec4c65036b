import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { COURSE_COOKIE, loadCourses } from "@/app/api/outline/courses";
import { ChatPage } from "@/app/chat-page";
import { CoursePicker } from "@/components/chat/course-picker";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: { absolute: "Course tutor" } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The student's start page. One course (or `?course=`, or a configured default): its chat. Several: the course
 * chosen last in this browser (a cookie), else the course picker — never a chat that cannot answer.
 */
export default async function Home({ searchParams }: Props) {
  const sp = await searchParams;
  const asked = typeof sp.course === "string" ? sp.course : undefined;
  const courses = await loadCourses();
  if (asked || env.TUTOR_DEFAULT_COURSE || courses.length <= 1) return <ChatPage course={asked} courses={courses.length} />;
  const remembered = (await cookies()).get(COURSE_COOKIE)?.value;
  if (remembered && courses.some((c) => c.id === remembered)) redirect(`/c/${encodeURIComponent(remembered)}`);
  return <CoursePicker courses={courses} />;
}
