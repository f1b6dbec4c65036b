import path from "node:path";
import { z } from "zod";
import { FIGURE_TYPES } from "../course/latex-figures";
import { TutorError } from "../errors";
import { requireSnapshot, resolveCourse } from "../store/read";
import { readInsideCourse } from "./course-file";

/** Figures larger than this are not served (a course's figures are a few hundred kB). */
const MAX_FIGURE_BYTES = 20 * 1024 * 1024;

export const figureQuerySchema = z.object({
  course: z.string().trim().min(1).max(64).optional(),
  file: z.string().min(1, "file is required, e.g. file=tex/figures/chord.pdf").max(1000, "file is longer than 1000 characters"),
});
export type FigureQuery = z.infer<typeof figureQuerySchema>;

/** The stored list of a course's figures (JSON); an older store has none. */
export function parseFigureList(json: string | null | undefined): string[] {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The bytes of one figure of a course. Only a file the ingest recorded for that course (an
 * `\includegraphics` it resolved) is read, and only when it still lies inside the course folder with a
 * browser-safe image type; anything else is "not-found", whatever the path says.
 */
export async function readCourseFigure(opts: FigureQuery & { db?: string; defaultCourse?: string }): Promise<{ bytes: Buffer; contentType: string }> {
  const snap = await requireSnapshot(opts.db);
  const course = await resolveCourse(snap, opts.course, opts.defaultCourse);
  const notFound = () => new TutorError("not-found", `"${opts.file}" is not a figure of ${course.id}.`);
  if (!parseFigureList(course.figures).includes(opts.file)) throw notFound();
  const contentType = FIGURE_TYPES[path.extname(opts.file).toLowerCase()];
  if (!contentType) throw notFound();
  const bytes = await readInsideCourse(course.root, opts.file, MAX_FIGURE_BYTES, notFound, `The figure "${opts.file}" of ${course.id} is no longer in the course folder.`);
  return { bytes, contentType };
}
