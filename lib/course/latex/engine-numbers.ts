/**
 * Pass 3 with TeX: compiles a LaTeX main file with the real engine (`engine/`: sandboxed copy,
 * instrumented, time-limited) and reduces its trace to the numbers `settleNumbers` puts over the derived
 * ones. A document that does not compile, or compiles with errors, keeps the derived numbers; the first
 * TeX error is reported at its file:line.
 */
import type { Diagnostic } from "../types";
import { numberedItemsFromTrace, traceLatex, type TexEngine } from "./engine";
import type { TracedNumber } from "./numbering";
import { isSweaveFile } from "./sweave";

/**
 * "File `cover-lores-front' not found", "File 'plot.png' not found": an image graphicx looked for (it names
 * images without an extension). A missing .sty, .cls or chapter (`chapter.tex`) is not this.
 */
const MISSING_FIGURE = /File [`'][^'.]*(?:\.(?:png|jpe?g|pdf|eps|svg|gif|tiff?))?' not found/i;

export interface EngineNumbers {
  /** Undefined when TeX did not reach the end of the document (the derived numbers stand). */
  trace?: TracedNumber[];
  diagnostics: Diagnostic[];
  /** "pdfTeX 3.14… (TeX Live 2022/Debian)". */
  version: string;
  seconds: number;
  /** CPU seconds TeX used (Linux), and the pages it typeset: what the ingest benchmark reports. */
  cpuSeconds?: number;
  pages?: number;
  /** The page each `\label` is on (what `\pageref` prints), when the trace stands. */
  labelPages?: Map<string, string>;
}

/** Runs `engine` on `main` (relative to `root`) and returns the printed numbers it traced. Never throws for a bad document. */
export async function engineNumbers({ root, main, engine, timeoutMs }: { root: string; main: string; engine: TexEngine; timeoutMs?: number }): Promise<EngineNumbers> {
  const diagnostics: Diagnostic[] = [];
  try {
    const result = await traceLatex({ root, main, engine, timeoutMs });
    const first = result.errors[0];
    if (!result.ok) {
      diagnostics.push({
        severity: "warning",
        file: first?.file || main,
        line: Math.max(1, first?.line ?? 1),
        message: `${result.engine.kind} could not compile ${main}${first ? `: ${first.message}` : ""}; the numbers are derived from the source instead`,
      });
      return { diagnostics, version: result.engine.version, seconds: result.seconds };
    }
    // A figure or cover image missing from the folder (real books often lack them) moves no counter: the trace
    // stands, and the missing files are named. Any other error TeX went past may have changed the numbers: the
    // derived numbers stand, and the first error says why.
    const missing = result.errors.filter((e) => MISSING_FIGURE.test(e.message));
    if (first && missing.length === result.errors.length) {
      diagnostics.push({
        severity: "warning",
        file: first.file || main,
        line: Math.max(1, first.line),
        message: `${result.engine.kind}: ${missing.length} image${missing.length === 1 ? "" : "s"} not in the folder (first: ${first.message}); numbers are as printed, the images are missing${isSweaveFile(main) ? " (R draws a chunk's figures when Sweave/knitr runs, which the ingest does not)" : ""}`,
      });
    } else if (first) {
      diagnostics.push({
        severity: "warning",
        file: first.file || main,
        line: Math.max(1, first.line),
        message: `${result.engine.kind} reported ${result.errors.length} error${result.errors.length === 1 ? "" : "s"} compiling ${main} (first: ${first.message}${first.context ? ` at ${first.context.slice(0, 60)}` : ""}); the numbers are derived from the source instead`,
      });
      return { diagnostics, version: result.engine.version, seconds: result.seconds };
    }
    const trace: TracedNumber[] = numberedItemsFromTrace(result.records).map((n) => ({
      counter: n.counter,
      number: n.number,
      by: n.macro ? `\\${n.macro}` : n.env ? `\\begin{${n.env}}` : n.via,
      file: n.file,
      line: n.line,
      item: { name: n.name, kind: n.kind, via: n.via, endLine: n.endLine, labels: n.labels, parts: n.parts, ...(n.env ? { env: n.env } : {}), ...(n.macro ? { macro: n.macro } : {}), ...(n.from ? { from: n.from } : {}) },
    }));
    return { trace, diagnostics, version: result.engine.version, seconds: result.seconds, cpuSeconds: result.texCpuSeconds, pages: result.pages, labelPages: result.labelPages };
  } catch (e) {
    diagnostics.push({ severity: "warning", file: main, line: 1, message: `the TeX run failed (${e instanceof Error ? e.message : String(e)}); the numbers are derived from the source instead` });
    return { diagnostics, version: engine.version, seconds: 0 };
  }
}
