import { describe, expect, it } from "vitest";
import { FigureFinder } from "@/lib/course/latex-figures";

const files = new Set(["tex/figures/chord.pdf", "tex/figures/chord.png", "tex/img/photo.jpg", "tex/chapters/local.png", "tex/plot.eps", "other/x.png"]);
const exists = (rel: string) => files.has(rel);

describe("FigureFinder", () => {
  it("resolves \\includegraphics as pdflatex does: main file's folder, \\graphicspath, then the chapter's own folder", () => {
    const f = new FigureFinder("tex", exists);
    // No extension: .pdf before .png, as pdflatex tries them.
    expect(f.resolve("figures/chord", "tex/chapters/one.tex")).toBe("tex/figures/chord.pdf");
    expect(f.resolve("figures/chord.png", "tex/chapters/one.tex")).toBe("tex/figures/chord.png");
    expect(f.resolve("photo", "tex/chapters/one.tex")).toBeUndefined();
    f.addGraphicsPath("{figures/}{img/}");
    expect(f.resolve("photo", "tex/chapters/one.tex")).toBe("tex/img/photo.jpg");
    expect(f.resolve("local", "tex/chapters/one.tex")).toBe("tex/chapters/local.png");
    expect(f.files()).toEqual(["tex/figures/chord.pdf", "tex/figures/chord.png", "tex/img/photo.jpg", "tex/chapters/local.png"]);
  });

  it("never names a file outside the course folder or of a type a browser should not be handed", () => {
    const f = new FigureFinder("tex", exists);
    expect(f.resolve("../other/x.png", "tex/main.tex")).toBe("other/x.png");
    expect(f.resolve("../../etc/passwd", "tex/main.tex")).toBeUndefined();
    expect(f.resolve("/etc/passwd", "tex/main.tex")).toBeUndefined();
    expect(f.resolve("plot.eps", "tex/main.tex")).toBeUndefined();
    expect(new FigureFinder("tex", undefined).resolve("figures/chord", "tex/main.tex")).toBeUndefined();
  });
});
