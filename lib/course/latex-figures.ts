/**
 * The image files a LaTeX course shows: `\includegraphics{figures/chord}` resolved the way pdflatex
 * looks for it (the main file's folder, then each `\graphicspath` folder; without an extension, .pdf,
 * .png, .jpg, .jpeg in that order). Only files inside the course folder count; what is found is recorded
 * and becomes the list of files the app may serve (see app/api/figure).
 */

/** The image types a browser shows, by extension. Anything else (EPS, SVG with scripts) is not served. */
export const FIGURE_TYPES: Readonly<Record<string, string>> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".pdf": "application/pdf",
};
const TRY_EXTENSIONS = [".pdf", ".png", ".jpg", ".jpeg"];

/** `rel` under `base`, POSIX, `..` resolved; undefined when it leaves the course folder or is absolute. */
function join(base: string, rel: string): string | undefined {
  if (/^[/\\]|^[A-Za-z]:/.test(rel)) return undefined;
  const out: string[] = [];
  for (const p of (base ? `${base}/${rel}` : rel).split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(p);
  }
  return out.length ? out.join("/") : undefined;
}

function extOf(file: string): string {
  const m = /\.[A-Za-z0-9]+$/.exec(file.slice(file.lastIndexOf("/") + 1));
  return m ? m[0].toLowerCase() : "";
}

/** Finds the files of `\includegraphics` arguments and remembers them. */
export class FigureFinder {
  private readonly dirs: string[] = [];
  private readonly found = new Set<string>();

  constructor(
    /** Folder of the main file, relative to the course root ("" for the root). */
    private readonly mainDir: string,
    private readonly exists: ((rel: string) => boolean) | undefined,
  ) {}

  /** `\graphicspath{{figures/}{img/}}`: folders (relative to the main file) searched after its own. */
  addGraphicsPath(arg: string): void {
    for (const m of arg.matchAll(/\{([^{}]*)\}/g)) if (m[1].trim()) this.dirs.push(m[1].trim());
  }

  /** The file an argument names, relative to the course root, when it exists and a browser can show it. */
  resolve(arg: string, fromFile: string): string | undefined {
    if (!this.exists || !arg) return undefined;
    const fileDir = fromFile.includes("/") ? fromFile.slice(0, fromFile.lastIndexOf("/")) : "";
    const bases = [this.mainDir, ...this.dirs.map((d) => join(this.mainDir, d) ?? ""), fileDir];
    const ext = extOf(arg);
    const names = ext in FIGURE_TYPES ? [arg] : ext && !/^\.\d+$/.test(ext) ? [] : TRY_EXTENSIONS.map((e) => `${arg}${e}`);
    for (const base of bases) {
      for (const name of names) {
        const rel = join(base, name);
        if (rel && this.exists(rel)) {
          this.found.add(rel);
          return rel;
        }
      }
    }
    return undefined;
  }

  /** Every file found so far, in the order first shown. */
  files(): string[] {
    return [...this.found];
  }
}
