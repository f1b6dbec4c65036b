import type { Outline, OutlineItem } from "@/components/chat/types";
import { coursePrintedLabels } from "@/lib/cite/printed-lookup";
import { parseKatexMacros } from "@/lib/course/latex-macros";
import { env } from "@/lib/env";
import { readInsightsColumn } from "@/lib/insights/config";
import { listCourseItems, requireSnapshot, resolveCourse } from "@/lib/store/read";
import type { ItemRow } from "@/lib/store/schema";

const HEADINGS = new Set(["chapter", "section", "subsection"]);

/**
 * The course outline the chat page browses: chapters › sections › numbered items (subsection items
 * are listed under their section). Throws the store's TutorErrors (store-empty, unknown-course, …).
 */
export async function loadOutline(opts: { course?: string; db?: string } = {}): Promise<Outline> {
  const snap = await requireSnapshot(opts.db);
  const course = await resolveCourse(snap, opts.course, env.TUTOR_DEFAULT_COURSE);
  const [items, printed] = await Promise.all([listCourseItems(snap, course.id), coursePrintedLabels(snap, course.id)]);
  const toItem = (i: ItemRow): OutlineItem => ({ label: i.label, kind: i.kind, title: i.title });
  const macros = parseKatexMacros(course.macros);
  // Whether the course records insights (the chat then says what, and sends feedback): course.json `insights`.
  const insights = readInsightsColumn(course.insights);
  return {
    course: { id: course.id, title: course.title, ...(Object.keys(macros).length ? { macros } : {}), ...(insights ? { insights } : {}) },
    chapters: items
      .filter((c) => c.kind === "chapter")
      .map((c) => ({
        label: c.label,
        title: c.title,
        items: items.filter((i) => i.chapter === c.number && !i.section && !HEADINGS.has(i.kind)).map(toItem),
        sections: items
          .filter((s) => s.kind === "section" && s.chapter === c.number)
          .map((s) => ({
            label: s.label,
            title: s.title,
            items: items.filter((i) => i.section === s.label && !HEADINGS.has(i.kind)).map(toItem),
          })),
      })),
    // Every citable label: the items', then the figures, tables and equations the course prints ("Figure 2.1").
    labels: [...new Set([...items.map((i) => i.label), ...printed.keys()])],
  };
}
