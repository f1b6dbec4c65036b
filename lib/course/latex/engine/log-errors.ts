import type { TexError } from "./types";

/** Maps a file name as TeX prints it ("./ch/two.tex") to the course-relative name (or leaves it as TeX's). */
export type LogFileResolver = (texName: string) => string;

/** What the log says beyond the error list. */
export interface LogSummary {
  errors: TexError[];
  /** TeX gave up ("Fatal error occurred", "job aborted", "Emergency stop"). */
  fatal: boolean;
  /** LaTeX asked for another run to get cross-references right. */
  rerun: boolean;
}

const FILE_LINE = /^(.*?\.[A-Za-z0-9]+|[^:\s]*\/[^:]*):(\d+): (.*)$/;

/**
 * The errors of a TeX log written with `-file-line-error` and `max_print_line` large enough that lines are not
 * wrapped: "./ch1.tex:12: Undefined control sequence." followed by TeX's context "l.12 \privatebox"; errors TeX
 * prints without a file ("! File ended while scanning use of \foo.") take the line of their "l.<n>" context.
 * First error first; consequences of a fatal stop ("==> Fatal error occurred") are not errors of their own.
 */
export function parseTexLog(log: string, resolveFile: LogFileResolver): LogSummary {
  const lines = log.split(/\r?\n/);
  const errors: TexError[] = [];
  let fatal = false;
  let rerun = false;
  let runaway = "";
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    if (/Rerun to get|Label\(s\) may have changed\. Rerun|Rerun LaTeX/.test(text)) rerun = true;
    if (/^\*\*\* \(job aborted|==> Fatal error occurred|Emergency stop|That makes 100 errors/.test(text)) fatal = true;
    let error: TexError | null = null;
    const m = FILE_LINE.exec(text);
    if (m && !/^\s*==>/.test(m[3])) {
      error = { file: resolveFile(m[1]), line: Number(m[2]), message: m[3].trim() };
    } else if (text.startsWith("! ") && !/==> Fatal error occurred/.test(text)) {
      error = { file: "", line: 0, message: text.slice(2).trim() };
    } else if (text.startsWith("*** (")) {
      error = { file: "", line: 0, message: text.replace(/^\*\*\* \(|\)$/g, "").trim() };
    }
    if (text === "Runaway argument?" || text === "Runaway text?") runaway = (lines[i + 1] ?? "").trim();
    if (!error) continue;
    if (runaway) {
      // "Runaway argument?" then the argument's start, then the error: what TeX was reading when the file ended
      error.context = runaway.length > 200 ? `${runaway.slice(0, 200)}…` : runaway;
      runaway = "";
      const last = errors[errors.length - 1];
      if (!last || last.message !== error.message) errors.push(error);
      continue;
    }
    // TeX's context: "l.<n> <input read so far>" within the next lines of the help text
    for (let j = i + 1; j < Math.min(lines.length, i + 12); j++) {
      const c = /^l\.(\d+) (.*)$/.exec(lines[j]);
      if (c) {
        if (!error.line) error.line = Number(c[1]);
        const context = c[2].trim();
        if (context) error.context = context.length > 200 ? `…${context.slice(-200)}` : context;
        break;
      }
      if (FILE_LINE.test(lines[j]) || lines[j].startsWith("! ")) break;
    }
    const last = errors[errors.length - 1];
    if (!last || last.file !== error.file || last.line !== error.line || last.message !== error.message) errors.push(error);
  }
  return { errors, fatal, rerun };
}
