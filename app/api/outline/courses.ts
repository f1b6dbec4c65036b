import { listCourses, openSnapshot } from "@/lib/store/read";

export interface CourseSummary {
  id: string;
  title: string;
}

export { COURSE_COOKIE } from "@/components/chat/course-cookie";

/** Every course in the store, by title; none when the store is empty or unreadable (the chat page says why). */
export async function loadCourses(): Promise<CourseSummary[]> {
  try {
    const snap = await openSnapshot();
    if (!snap) return [];
    return (await listCourses(snap)).map((c) => ({ id: c.id, title: c.title || c.id })).sort((a, b) => a.title.localeCompare(b.title));
  } catch {
    return [];
  }
}
