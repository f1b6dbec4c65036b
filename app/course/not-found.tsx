import { CourseMiss } from "@/components/not-found/cite-miss";

/** An unknown `?course=`: 404 with a way on. */
export default function CourseNotFound() {
  return <CourseMiss />;
}
