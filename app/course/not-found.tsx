import { headers } from "next/headers";
import { CourseMiss } from "@/components/not-found/cite-miss";
import { PAGE_URL_HEADER } from "@/lib/http/security-headers";
import { listCourses, openSnapshot } from "@/lib/store/read";

/** An unknown `?course=`: 404, the courses there are, a way on. The address comes from proxy.ts's header. */
export default async function CourseNotFound() {
  const url = new URL((await headers()).get(PAGE_URL_HEADER) ?? "/course", "http://page.invalid");
  const snap = await openSnapshot().catch(() => null);
  const known = snap ? (await listCourses(snap).catch(() => [])).map((c) => c.id) : [];
  return <CourseMiss course={url.searchParams.get("course") ?? ""} known={known} />;
}
