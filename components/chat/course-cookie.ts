/** The cookie that remembers the course a student last chose, where the store holds several (read by app/page.tsx). */
export const COURSE_COOKIE = "tutor-course";
