import { z } from "zod";
import { DEFAULT_PERIOD, PERIODS, type Period } from "@/lib/instructor/report";

const periods = Object.keys(PERIODS) as [Period, ...Period[]];

/** `?period=7d|30d|120d|all` (default 30d) of the instructor's page, JSON and CSV. */
export const instructorQuerySchema = z.object({
  period: z.enum(periods, { message: `period must be one of ${periods.join(", ")}` }).default(DEFAULT_PERIOD),
});
export type InstructorQuery = z.infer<typeof instructorQuerySchema>;

/** A course id as the address carries it (Next may hand the segment over still %-encoded). */
export const courseSegmentSchema = z
  .string()
  .transform((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  })
  .pipe(z.string().trim().min(1).max(64));

/** The sign-in form: the token and the course page to go back to. */
export const signInFormSchema = z.object({
  token: z.string().max(1024).default(""),
  course: z.string().trim().min(1).max(64),
});
