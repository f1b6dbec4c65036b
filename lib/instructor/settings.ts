import type { CourseRow } from "../store/schema";

/** A course's insights settings as the ingest stored them (course.json `insights`). */
export interface CourseInsights {
  keepQuestions: boolean;
  retentionDays: number;
}

/** The stored course's insights settings, or null when the course records nothing. */
export function courseInsights(course: CourseRow): CourseInsights | null {
  const value = (course as CourseRow & { insights?: string | null }).insights;
  if (!value) return null;
  try {
    const json = JSON.parse(value) as Partial<CourseInsights>;
    return { keepQuestions: json.keepQuestions === true, retentionDays: typeof json.retentionDays === "number" ? json.retentionDays : 120 };
  } catch {
    return null;
  }
}
