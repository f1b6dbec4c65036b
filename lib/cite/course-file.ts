import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { TutorError } from "../errors";

/**
 * The bytes of a file the ingest recorded for a course (a figure, a PDF of the notes), read only while it still
 * lies inside the course folder as a regular file of at most `maxBytes`. Otherwise `notFound()` is thrown; a file
 * that has gone since the ingest is "not-found" with `gone` as the message. Callers check first that the file is
 * one the ingest recorded.
 */
export async function readInsideCourse(root: string, file: string, maxBytes: number, notFound: () => TutorError, gone: string): Promise<Buffer> {
  let real: string;
  try {
    const base = await realpath(root);
    real = await realpath(path.resolve(root, file));
    // The file may have been replaced by a link out of the folder since the ingest.
    if (!real.startsWith(base + path.sep)) throw notFound();
    const st = await stat(real);
    if (!st.isFile() || st.size > maxBytes) throw notFound();
  } catch (e) {
    if (e instanceof TutorError) throw e;
    throw new TutorError("not-found", gone);
  }
  return readFile(real);
}
