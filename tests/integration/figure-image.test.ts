/**
 * Figures included as PDF (`\includegraphics{box.pdf}`, what pdflatex courses mostly have) are shown as images:
 * GET /api/figure draws the PDF's first page as a PNG (poppler, through `renderPdfPage`), kept per content hash.
 * The figure PDFs are made here by the real pdflatex; the course is ingested into a real LanceDB store.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { courseFigureImage, figureCacheSize, figurePlaceholderSvg, pdfFigurePng } from "@/lib/cite/figure-image";
import { lookupCitation } from "@/lib/cite/lookup";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { figureHref, renderCourseText } from "@/lib/render/course-text";
import { invalidateSnapshots, requireSnapshot, resolveCourse } from "@/lib/store/read";
import { pdflatex } from "../support/pdf-fixtures";
import { tempDir } from "./helpers";

const noModel = { available: false, modelId: "none", reason: "test: full-text only" };

/** A PNG's size from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString()).toBe("PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The page size in points pdfinfo reports for page 1. */
function pageSize(pdf: string): { w: number; h: number } {
  const m = /^Page\s+1 size:\s+([\d.]+) x ([\d.]+) pts/m.exec(execFileSync("pdfinfo", ["-f", "1", "-l", "1", pdf], { encoding: "utf8" }))!;
  return { w: Number(m[1]), h: Number(m[2]) };
}

describe("PDF figures as images", () => {
  const tmp = tempDir("tutor-figure-");
  let course: string;
  let db: string;
  const figures = () => path.join(course, "figures");

  beforeAll(async () => {
    course = path.join(tmp.dir, "course");
    mkdirSync(path.join(course, "figures"), { recursive: true });
    // The figures, each its own standalone document compiled by pdflatex: a small drawing, and one on a page 40 in wide.
    const build = path.join(tmp.dir, "build");
    mkdirSync(build);
    writeFileSync(
      path.join(build, "box.tex"),
      "\\documentclass[border=4pt]{standalone}\n\\begin{document}\n\\setlength{\\unitlength}{1cm}\\begin{picture}(6,3)\\put(0,0){\\framebox(6,3){a box}}\\put(0,0){\\line(2,1){6}}\\end{picture}\n\\end{document}\n",
    );
    writeFileSync(
      path.join(build, "poster.tex"),
      "\\documentclass{article}\n\\usepackage[paperwidth=40in,paperheight=10in,margin=1in]{geometry}\n\\pagestyle{empty}\n\\begin{document}\nA figure drawn on a poster-sized page.\n\\end{document}\n",
    );
    copyFileSync(pdflatex(build, "box.tex", 1), path.join(figures(), "box.pdf"));
    copyFileSync(pdflatex(build, "poster.tex", 1), path.join(figures(), "poster.pdf"));
    // The same drawing under a second name (one content, drawn once), a PNG made from it, and a damaged PDF (cut short).
    copyFileSync(path.join(figures(), "box.pdf"), path.join(figures(), "box-again.pdf"));
    execFileSync("pdftoppm", ["-png", "-r", "72", "-singlefile", path.join(figures(), "box.pdf"), path.join(figures(), "photo")]);
    const whole = readFileSync(path.join(figures(), "box.pdf"));
    writeFileSync(path.join(figures(), "damaged.pdf"), whole.subarray(0, 400));

    const fig = (file: string, caption: string, label: string) =>
      `\\begin{figure}\n\\centering\n\\includegraphics{figures/${file}}\n\\caption{${caption}}\\label{fig:${label}}\n\\end{figure}\n`;
    writeFileSync(
      path.join(course, "notes.tex"),
      "\\documentclass{book}\n\\usepackage{graphicx}\n\\begin{document}\n\\chapter{Pictures}\n\\section{Boxes}\nA box with its diagonal.\n\n" +
        fig("box", "A box with the diagonal $y = x/2$.", "box") +
        fig("box-again", "The same box again.", "again") +
        fig("photo.png", "The box as a photograph.", "photo") +
        fig("poster", "A poster.", "poster") +
        fig("damaged", "A figure whose PDF is damaged.", "damaged") +
        "\\end{document}\n",
    );
    writeFileSync(path.join(course, "course.json"), JSON.stringify({ id: "pictures", title: "Pictures", files: ["notes.tex"] }));
    db = path.join(tmp.dir, "db");
    const summary = await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: noModel });
    expect(summary.errors).toEqual([]);
    invalidateSnapshots(db);
  }, 180_000);
  afterAll(() => tmp.cleanup());

  it("records every figure file the notes include, and shows each as an <img> whose alt text is its caption", async () => {
    const snap = await requireSnapshot(db);
    expect(JSON.parse((await resolveCourse(snap, "pictures")).figures ?? "[]")).toEqual([
      "figures/box.pdf",
      "figures/box-again.pdf",
      "figures/photo.png",
      "figures/poster.pdf",
      "figures/damaged.pdf",
    ]);
    const res = await lookupCitation({ ref: "Section 1.1", db, course: "pictures" });
    if (res.status !== "found") throw new Error(`Section 1.1: ${res.status}`);
    const html = renderCourseText(res.item.text, { figureHref: (f) => figureHref("pictures", f) });
    expect(html).toContain('<img src="/api/figure?course=pictures&amp;file=figures%2Fbox.pdf" alt="Figure 1.1: A box with the diagonal y = x/2."');
    expect(html).toContain('<img src="/api/figure?course=pictures&amp;file=figures%2Fphoto.png" alt="Figure 1.3: The box as a photograph."');
    expect(html).not.toContain("<object");
  });

  it("draws a PDF figure's first page as a PNG at 150 dpi, once per content", async () => {
    const before = figureCacheSize();
    const first = await courseFigureImage({ course: "pictures", file: "figures/box.pdf", db });
    if (first.status !== "ok") throw new Error(first.reason);
    expect(first.contentType).toBe("image/png");
    const { w, h } = pageSize(path.join(figures(), "box.pdf"));
    const size = pngSize(first.bytes);
    expect(Math.abs(size.width - (w / 72) * 150)).toBeLessThanOrEqual(1);
    expect(Math.abs(size.height - (h / 72) * 150)).toBeLessThanOrEqual(1);
    // Not blank: the frame and the diagonal are drawn (a PNG of one flat colour compresses to almost nothing).
    expect(first.bytes.length).toBeGreaterThan(1000);
    // Asked again, or under another name with the same bytes: the same drawing, not a new pdftoppm run.
    const again = await courseFigureImage({ course: "pictures", file: "figures/box.pdf", db });
    const copy = await courseFigureImage({ course: "pictures", file: "figures/box-again.pdf", db });
    if (again.status !== "ok" || copy.status !== "ok") throw new Error("not drawn");
    expect(again.bytes).toBe(first.bytes);
    expect(copy.bytes).toBe(first.bytes);
    expect(figureCacheSize()).toBe(before + 1);
  }, 60_000);

  it("keeps a drawn figure's longest side at 2000 pixels, whatever its page size", async () => {
    const poster = await courseFigureImage({ course: "pictures", file: "figures/poster.pdf", db });
    if (poster.status !== "ok") throw new Error(poster.reason);
    const { width, height } = pngSize(poster.bytes);
    expect(width).toBeLessThanOrEqual(2000);
    expect(width).toBeGreaterThan(1990);
    expect(Math.abs(width / height - 4)).toBeLessThan(0.01);
  }, 60_000);

  it("serves PNG figures as they are", async () => {
    const photo = await courseFigureImage({ course: "pictures", file: "figures/photo.png", db });
    if (photo.status !== "ok") throw new Error(photo.reason);
    expect(photo.contentType).toBe("image/png");
    expect(photo.bytes.equals(readFileSync(path.join(figures(), "photo.png")))).toBe(true);
  });

  it("a PDF figure that cannot be drawn is 'unavailable' with a reason a student may read, and that is not kept", async () => {
    const size = figureCacheSize();
    const damaged = await courseFigureImage({ course: "pictures", file: "figures/damaged.pdf", db });
    expect(damaged).toEqual({ status: "unavailable", reason: "The figure damaged.pdf cannot be shown: its PDF could not be drawn." });
    expect(figureCacheSize()).toBe(size);
    await expect(pdfFigurePng(Buffer.from("not a pdf"))).rejects.toMatchObject({ code: "not-found" });
    // The placeholder the route answers: an SVG image saying why, the text escaped, no server path in it.
    const svg = figurePlaceholderSvg(damaged.status === "unavailable" ? damaged.reason : "");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain(">Figure unavailable<");
    expect(svg).toContain(">its PDF could not be drawn.<");
    expect(svg).not.toContain(tmp.dir);
    expect(figurePlaceholderSvg("a <script> & b")).not.toContain("<script>");
  });

  it("a file that is not a figure of the course is not found, with the reason", async () => {
    for (const file of ["notes.tex", "figures/missing.pdf", "../course/figures/box.pdf", path.join(figures(), "box.pdf")]) {
      await expect(courseFigureImage({ course: "pictures", file, db }), file).rejects.toMatchObject({
        code: "not-found",
        message: `"${file}" is not a figure of pictures.`,
      });
    }
  });
});
