import { TRACE_FORMAT } from "./instrumentation";
import { printedText, undoubleHashes, decodeCaretNotation } from "./tex-text";
import type { TraceRecord, TraceWhere } from "./types";

/** Maps TeX's (`\CurrentFilePathUsed`, `\CurrentFileUsed`) to a course-relative file, or TeX's own name. */
export type FileResolver = (dir: string, name: string) => { file: string; inCourse: boolean };

export interface ParsedTrace {
  records: TraceRecord[];
  /** Lines that were not a record this parser knows (a format mismatch shows here, never as a crash). */
  unreadLines: number;
}

/** Minimum number of tab-separated fields per record type (type letter + dir + file + line + own fields). */
const FIELDS: Record<string, number> = { S: 11, H: 9, B: 5, E: 5, M: 7, C: 5, N: 6, T: 7, L: 6, I: 9, F: 4, G: 4, D: 4, Z: 4 };

/**
 * Parses the `.tutortrace` file the instrumentation wrote (one record per line, tab-separated; see
 * instrumentation.ts). The last field of free-text records (titles, bodies) takes any tabs left over. Unknown or
 * short lines are counted, not thrown: a half-written last line (TeX killed) is expected.
 */
export function parseTrace(text: string, resolve: FileResolver): ParsedTrace {
  const records: TraceRecord[] = [];
  let unreadLines = 0;
  let formatSeen = false;
  // A record is one line, but a recorded body may hold a newline character TeX prints as is (\MessageBreak is
  // ^^J): a line that does not start a record continues the one before.
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^[A-Z]\t/.test(line) || lines.length === 0) lines.push(line);
    else lines[lines.length - 1] += `\n${line}`;
  }
  for (const raw of lines) {
    if (raw === "") continue;
    const f = raw.split("\t");
    const type = f[0];
    if (type === "V") {
      formatSeen = Number(f[1]) === TRACE_FORMAT;
      if (!formatSeen) unreadLines++;
      continue;
    }
    const min = FIELDS[type];
    if (!formatSeen || min === undefined || f.length < min) {
      unreadLines++;
      continue;
    }
    const line = Number(f[3]);
    const { file, inCourse } = resolve(decodeCaretNotation(f[1]), decodeCaretNotation(f[2]));
    const at: TraceWhere = { seq: records.length, file, line: Number.isFinite(line) ? line : 0, inCourse };
    const rest = (from: number) => f.slice(from).join("\t");
    switch (type) {
      case "S":
        records.push({
          ...at,
          type: "step",
          via: f[4] === "r" ? "refstepcounter" : "stepcounter",
          counter: printedText(f[5]),
          value: Number(f[6]),
          printed: printedText(f[7]),
          currentLabel: printedText(f[8]),
          env: printedText(f[9]),
          macro: rest(10),
        });
        break;
      case "H": {
        // the line the heading command began on, when TeX saw it begin in this file (not after the title was read)
        const start = Number(f[6]);
        const line = start > 0 && start <= at.line ? start : at.line;
        records.push({ ...at, line, type: "heading", level: printedText(f[4]), starred: f[5] === "0", title: printedText(f[7]), titleTex: undoubleHashes(rest(8)) });
        break;
      }
      case "B":
      case "E":
        records.push(type === "B" ? { ...at, type: "begin", env: printedText(rest(4)) } : { ...at, type: "end", env: printedText(rest(4)) });
        break;
      case "M":
        records.push({ ...at, type: "macro", name: f[4], steps: f[5] === "1", bodyTex: undoubleHashes(decodeCaretNotation(rest(6))) });
        break;
      case "C":
        records.push({ ...at, type: "call", name: rest(4) });
        break;
      case "N":
        records.push({ ...at, type: "envdef", env: printedText(f[4]), meaningTex: undoubleHashes(decodeCaretNotation(rest(5))) });
        break;
      case "T":
        records.push({ ...at, type: "theorem", name: printedText(f[4]), nameTex: undoubleHashes(f[4]), number: printedText(f[5]), env: printedText(rest(6)) });
        break;
      case "L":
        // amsmath hands a display's label on as \ltx@label{{key}}: the braces are not part of the key
        records.push({ ...at, type: "label", key: undoubleHashes(decodeCaretNotation(f[4])).replace(/^\{([^{}]*)\}$/, "$1"), printed: printedText(rest(5)) });
        break;
      case "I":
        records.push({ ...at, type: "item", label: printedText(f[4]), env: printedText(f[5]), depth: Number(f[6]) || 0, auto: f[7] === "1", counter: printedText(rest(8)) });
        break;
      case "F":
        records.push({ ...at, line: 1, type: "file-begin" });
        break;
      case "G":
        records.push({ ...at, line: 0, type: "file-end" });
        break;
      case "D":
        records.push({ ...at, type: "document" });
        break;
      case "Z": {
        const pages = Number(f[4]);
        records.push({ ...at, type: "finished", ...(f.length > 4 && Number.isInteger(pages) && pages >= 0 ? { pages } : {}) });
        break;
      }
        break;
    }
  }
  return { records, unreadLines };
}
