import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { loadCourses } from "@/app/api/outline/courses";
import { CoursePicker } from "@/components/chat/course-picker";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Courses" };

/** `/c`: every course of the store, to choose one (the toolbar's "Courses" link). One course: its chat. */
export default async function Courses() {
  const courses = await loadCourses();
  if (courses.length === 1) redirect(`/c/${encodeURIComponent(courses[0].id)}`);
  return <CoursePicker courses={courses} />;
}
