import { headers } from "next/headers";
import { CiteMiss } from "@/components/not-found/cite-miss";
import { lookupCitation } from "@/lib/cite/lookup";
import { env } from "@/lib/env";
import { toTutorError } from "@/lib/errors";
import { PAGE_URL_HEADER } from "@/lib/http/security-headers";
import { refFromSegments } from "./ref-from-segments";

/**
 * An unknown label (or course): the friendly page, nearest labels included, with a 404 status (page.tsx calls
 * notFound()). A not-found page gets no params, so the address comes from the header proxy.ts sets.
 */
export default async function CiteNotFound() {
  const url = new URL((await headers()).get(PAGE_URL_HEADER) ?? "/cite/", "http://page.invalid");
  const label = refFromSegments(url.pathname.replace(/^\/cite\/?/, "").split("/").filter(Boolean));
  const course = url.searchParams.get("course") ?? undefined;
  let suggestions: string[] = [];
  let message: string | undefined;
  try {
    const r = await lookupCitation({ ref: label, course, defaultCourse: env.TUTOR_DEFAULT_COURSE });
    if (r.status === "not-found") suggestions = r.suggestions;
  } catch (e) {
    message = toTutorError(e).message;
  }
  return <CiteMiss label={label} course={course} suggestions={suggestions} message={message} />;
}
