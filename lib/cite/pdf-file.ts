import { z } from "zod";
import { TutorError } from "../errors";
import { courseWithholding, listCourseItems, requireSnapshot, resolveCourse } from "../store/read";
import { withheldSentence } from "../policy/withhold";
import { readInsideCourse } from "./course-file";
import { isPdfFile } from "./source";

/** A book's PDF with its figures runs to tens of MB; the ingest reads up to 200 MB. */
const MAX_PDF_BYTES = 200 * 1024 * 1024;

export const pdfQuerySchema = z.object({
  course: z.string().trim().min(1).max(64).optional(),
  file: z.string().min(1, "file is required, e.g. file=notes.pdf").max(1000, "file is longer than 1000 characters"),
});
export type PdfQuery = z.infer<typeof pdfQuerySchema>;

/**
 * The bytes of a PDF the course's notes were read from. Only a `.pdf` file that items of that course
 * cite (the ingest read it as notes) is served, and only while it still lies inside the course folder;
 * anything else is "not-found", whatever the path says. While the course's solutions policy withholds any
 * exercise's solution (or hints), no PDF is served: its pages print them, and a page cannot be served in part
 * ("withheld", 403, saying until when; the passages are still shown as text, the withheld blocks taken out).
 */
export async function readCoursePdf(opts: PdfQuery & { db?: string; defaultCourse?: string }): Promise<Buffer> {
  const snap = await requireSnapshot(opts.db);
  const course = await resolveCourse(snap, opts.course, opts.defaultCourse);
  const notFound = () => new TutorError("not-found", `"${opts.file}" is not a PDF of ${course.id}'s notes.`);
  if (!isPdfFile(opts.file)) throw notFound();
  const items = await listCourseItems(snap, course.id);
  // The notes' own PDF, or the PDF a LaTeX source was printed as (it supplied the items' pages).
  if (!items.some((i) => i.file === opts.file || i.pdf === opts.file)) throw notFound();
  const view = await courseWithholding(snap, course.id);
  if (view.rules.size) {
    const [label, rule] = [...view.rules][0];
    const more = view.rules.size > 1 ? ` (and ${view.rules.size - 1} more exercise${view.rules.size > 2 ? "s" : ""})` : "";
    throw new TutorError("withheld", `The PDF of ${course.id}'s notes is not shown while solutions are withheld: ${withheldSentence(label, rule)}${more} The passages are shown as text.`);
  }
  return readInsideCourse(course.root, opts.file, MAX_PDF_BYTES, notFound, `The PDF "${opts.file}" of ${course.id} is no longer in the course folder.`);
}
