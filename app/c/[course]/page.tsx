import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadCourses } from "@/app/api/outline/courses";
import { ChatPage } from "@/app/chat-page";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ course: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { course } = await params;
  const found = (await loadCourses()).find((c) => c.id === safeDecode(course));
  return { title: { absolute: found ? `${found.title} · Course tutor` : "Course tutor" } };
}

/** `/c/<course>`: the chat of one course; its outline, conversations and history are that course's alone. */
export default async function CourseChat({ params }: Props) {
  const id = safeDecode((await params).course);
  const courses = await loadCourses();
  if (!courses.some((c) => c.id === id)) notFound();
  return <ChatPage course={id} courses={courses.length} />;
}

/** The segment as the course id (Next may hand it over still %-encoded); a malformed escape is no course. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
