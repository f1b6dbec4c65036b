/**
 * The course's own math macros travel from the LaTeX preamble to every reader: stored per course at
 * ingest, returned with each cited item and the outline, rendered by KaTeX. A store written before the
 * column existed still reads (no macros) and gets it on the next ingest.
 */
import { readFileSync, renameSync, symlinkSync, unlinkSync } from "node:fs";
import path from "node:path";
import * as lancedb from "@lancedb/lancedb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOutline } from "@/app/api/outline/outline";
import { readCourseFigure } from "@/lib/cite/figures";
import { lookupCitation } from "@/lib/cite/lookup";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { figureHref, renderCourseText } from "@/lib/render/course-text";
import { invalidateSnapshots, listCourses, requireSnapshot } from "@/lib/store/read";
import { TABLES, manifestSchema, type ManifestRow } from "@/lib/store/schema";
import { copyDemoCourse, tempDir } from "./helpers";

const noModel = { available: false, modelId: "none", reason: "test: full-text only" };

describe("course macros and figures in the store", () => {
  const tmp = tempDir();
  let course: string;
  let db: string;

  beforeAll(async () => {
    course = copyDemoCourse(tmp.dir);
    db = path.join(tmp.dir, "db");
    await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: noModel });
    invalidateSnapshots(db);
  });
  afterAll(() => tmp.cleanup());

  it("stores the demo's \\newcommand macros and returns them with a cited item, which then renders", async () => {
    const res = await lookupCitation({ ref: "Example 4.2", db });
    expect(res.status).toBe("found");
    if (res.status !== "found") return;
    expect(res.item.macros).toEqual({ "\\R": "\\mathbb{R}", "\\norm": "\\lVert #1\\rVert" });
    // The printed text: labelled parts, no list markup.
    expect(res.item.text).toMatch(/^\(a\) Intervals are exactly the convex subsets of \$\\R\$\.\n\n\(b\) /);
    expect(res.item.text).not.toContain("\\item");
    const html = renderCourseText(res.item.text, { macros: res.item.macros });
    expect(html).toContain("∥");
    expect(html).not.toContain("<mtext>\\norm</mtext>");
    expect(html).not.toContain("\\item");
  });

  it("shows a figure's image beside its caption, served only when the ingest recorded the file", async () => {
    const res = await lookupCitation({ ref: "Section 4.2", db });
    expect(res.status).toBe("found");
    if (res.status !== "found") return;
    expect(res.item.text).toContain("![Figure 4.1](<tex/figures/convex-chord.pdf>)\n\nFigure 4.1: A convex function:");
    const html = renderCourseText(res.item.text, { figureHref: (f) => figureHref("imo-demo", f) });
    // An image (GET /api/figure draws the PDF as a PNG), its alt text the caption under it.
    expect(html).toContain('<img src="/api/figure?course=imo-demo&amp;file=tex%2Ffigures%2Fconvex-chord.pdf" alt="Figure 4.1: A convex function: the chord from (x,f(x)) to (y,f(y)) lies above the graph."');
    expect(html).not.toContain("<object");
    expect(html).toContain('<p class="caption"><strong>Figure 4.1:</strong>');
    // Without a figure route (the CLI, tests) only the caption is shown.
    expect(renderCourseText(res.item.text)).not.toContain("convex-chord");

    const fig = await readCourseFigure({ course: "imo-demo", file: "tex/figures/convex-chord.pdf", db });
    expect(fig.contentType).toBe("application/pdf");
    expect(fig.bytes.equals(readFileSync(path.join(course, "tex/figures/convex-chord.pdf")))).toBe(true);
    // Anything the ingest did not record is not found, whatever the path says.
    for (const file of ["tex/notes.tex", "course.json", "../../etc/passwd", "tex/figures/../notes.tex", "/etc/passwd", "tex/figures/convex-chord"]) {
      await expect(readCourseFigure({ course: "imo-demo", file, db }), file).rejects.toMatchObject({ code: "not-found" });
    }
    // A recorded file replaced by a link out of the course folder is not followed.
    const abs = path.join(course, "tex/figures/convex-chord.pdf");
    renameSync(abs, `${abs}.bak`);
    symlinkSync("/etc/hostname", abs);
    await expect(readCourseFigure({ course: "imo-demo", file: "tex/figures/convex-chord.pdf", db })).rejects.toMatchObject({ code: "not-found" });
    unlinkSync(abs);
    renameSync(`${abs}.bak`, abs);
  });

  it("reads a store written before the macros column existed, and adds the column on the next ingest", async () => {
    // Make the store look old: the courses table without the column, committed by a manifest row.
    const conn = await lancedb.connect(db);
    const courses = await conn.openTable(TABLES.courses);
    await courses.dropColumns(["macros", "figures"]);
    const manifest = await conn.openTable(TABLES.manifest);
    const rows = (await manifest.query().toArray()) as ManifestRow[];
    const last = rows.sort((a, b) => b.seq - a.seq)[0];
    const entry = { ...last, seq: last.seq + 1, courses_version: await courses.version() };
    await manifest.add(lancedb.makeArrowTable([entry as unknown as Record<string, unknown>], { schema: manifestSchema }));
    invalidateSnapshots(db);

    const snap = await requireSnapshot(db);
    expect(Object.keys((await listCourses(snap))[0])).not.toContain("macros");
    const old = await lookupCitation({ ref: "Definition 4.1", db });
    expect(old.status).toBe("found");
    if (old.status === "found") expect(old.item.macros).toBeUndefined();

    await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: noModel });
    invalidateSnapshots(db);
    const fresh = await lookupCitation({ ref: "Definition 4.1", db });
    expect(fresh.status === "found" && fresh.item.macros).toEqual({ "\\R": "\\mathbb{R}", "\\norm": "\\lVert #1\\rVert" });
    const outline = await loadOutline({ db });
    expect(outline.course.macros).toEqual({ "\\R": "\\mathbb{R}", "\\norm": "\\lVert #1\\rVert" });
  });
});
