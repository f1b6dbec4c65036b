import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { TutorError } from "@/lib/errors";
import { findTexEngine, type TexEngine } from "./find-engine";
import { readAuxPages } from "./aux-pages";
import { INSTRUMENT_FILE, INSTRUMENT_TEX, TRACE_EXTENSION } from "./instrumentation";
import { parseTexLog } from "./log-errors";
import { runTex } from "./run-tex";
import { isSweaveFile, sweaveToLatex } from "../sweave";
import { parseTrace, type FileResolver } from "./trace-records";
import type { TexError, TraceResult } from "./types";

/** Folders never copied into the temporary build (version control, dependencies). */
const SKIP_DIRS = new Set([".git", ".hg", ".svn", "node_modules"]);
/** Build outputs that are not the author's input (the author's .aux and .bbl are kept: the book may need them). */
const SKIP_FILES = /\.(log|synctex\.gz|synctex|fls|fdb_latexmk|tutortrace\d*)$/i;

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/**
 * Compiles `main` (relative to the course folder `root`) with the real TeX engine and returns the trace of what
 * the printed book numbers (records: see types.ts). The course is copied to a temporary folder first (symlinks
 * followed, so nothing TeX writes can reach the author's files) and the copy is always removed. A document that
 * does not compile, or runs past `timeoutMs` (each run), gives `ok: false` with the first error at file:line.
 * Throws only when there is no engine or `main` is not a file in `root`.
 */
export async function traceLatex(options: TraceOptions): Promise<TraceResult> {
  const tex = options.engine ?? findEngineOrThrow();
  const result = await traceOnce({ ...options, engine: tex });
  // a book pdfTeX cannot typeset (TikZ's graph drawing, fontspec: "You need to run LuaTeX") is run with LuaLaTeX
  if (tex.kind !== "pdflatex" || !result.errors.some((e) => NEEDS_LUATEX.test(e.message))) return result;
  const lua = luaBeside(tex);
  if (!lua) return result;
  const again = await traceOnce({ ...options, engine: lua });
  return { ...again, seconds: result.seconds + again.seconds };
}

/** What a package prints when it only runs under LuaTeX. */
const NEEDS_LUATEX = /\b(?:need to (?:run|use) LuaTeX|requires? (?:LuaTeX|LuaLaTeX)|LuaTeX (?:is )?required)/i;

/** lualatex next to the pdflatex in use (the same folder when it is a path), when it runs. */
function luaBeside(tex: TexEngine): TexEngine | null {
  const dir = path.dirname(tex.command);
  const command = dir === "." && !tex.command.includes(path.sep) ? "lualatex" : path.join(dir, "lualatex");
  const found = findTexEngine({ setting: command, probeOnly: true });
  return found.engine?.kind === "lualatex" ? found.engine : null;
}

type TraceOptions = {
  root: string;
  main: string;
  /** Time limit of each TeX run: CPU time on Linux (a busy machine does not cut a long book short), else wall-clock time. */
  timeoutMs?: number;
  /** Default: `findTexEngine()` (TUTOR_TEX, else pdflatex, then lualatex on the PATH). */
  engine?: TexEngine;
  /**
   * 2: run again when LaTeX asks for it (cross-references). 1 (default): the trace does not need it — every
   * `\label` is recorded with the text it prints where it is defined, so references resolve from the trace, and
   * counters never read the .aux (the integration test checks that both runs give the same trace).
   */
  maxRuns?: 1 | 2;
};

async function traceOnce({ root, main, timeoutMs = 240_000, engine: tex, maxRuns = 1 }: TraceOptions & { engine: TexEngine }): Promise<TraceResult> {
  const started = performance.now();
  const rootAbs = path.resolve(root);
  const mainAbs = path.resolve(rootAbs, main);
  if (path.relative(rootAbs, mainAbs).startsWith("..") || !existsSync(mainAbs) || !statSync(mainAbs).isFile()) {
    throw new TutorError("bad-request", `LaTeX main file ${main} is not a file in ${root}`);
  }
  const work = mkdtempSync(path.join(tmpdir(), "tutor-tex-"));
  try {
    const copy = path.join(work, "course");
    cpSync(rootAbs, copy, {
      recursive: true,
      dereference: true,
      filter: (src) => {
        const base = path.basename(src);
        return !(SKIP_DIRS.has(base) && src !== rootAbs) && !SKIP_FILES.test(base);
      },
    });
    const mainCopy = path.join(copy, path.relative(rootAbs, mainAbs));
    const cwd = path.dirname(mainCopy);
    // Sweave/knitr notes: TeX reads the copy with its R chunks as verbatim code, line for line (R never runs
    // here, so a chunk's output and an \Sexpr's value are not typeset; figures R would draw are missing)
    if (isSweaveFile(mainCopy)) writeFileSync(mainCopy, sweaveToLatex(readFileSync(mainCopy, "utf8").replace(/\r\n?/g, "\n")).text);
    const jobname = path.basename(mainCopy).replace(/\.(tex|rnw|snw|stex|rtex)$/i, "");
    if (existsSync(path.join(cwd, INSTRUMENT_FILE))) {
      throw new TutorError("bad-request", `${INSTRUMENT_FILE} in the course folder clashes with the tutor's own file: rename it`);
    }
    writeFileSync(path.join(cwd, INSTRUMENT_FILE), INSTRUMENT_TEX);
    const firstLine = `\\input{${INSTRUMENT_FILE}}\\input{${path.basename(mainCopy)}}`;

    const inCopy = (abs: string) => {
      const rel = path.relative(copy, abs);
      return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? toPosix(rel) : null;
    };
    const resolved = new Map<string, { file: string; inCourse: boolean }>();
    const resolveTraceFile: FileResolver = (dir, name) => {
      const key = `${dir}\u0000${name}`;
      let hit = resolved.get(key);
      if (!hit) {
        const given = dir ? `${dir}/${name}` : name;
        const abs = path.resolve(cwd, given);
        const rel = inCopy(abs);
        hit = rel && rel !== INSTRUMENT_FILE && existsSync(abs) ? { file: rel, inCourse: true } : { file: given, inCourse: false };
        resolved.set(key, hit);
      }
      return hit;
    };
    const resolveLogFile = (name: string) => {
      const rel = inCopy(path.resolve(cwd, name));
      return rel ?? name;
    };

    let runs = 0;
    let run;
    let log;
    let texCpuSeconds: number | undefined = 0;
    do {
      runs++;
      run = await runTex({ engine: tex, cwd, jobname, firstLine, timeoutMs });
      texCpuSeconds = texCpuSeconds !== undefined && run.cpuSeconds !== undefined ? texCpuSeconds + run.cpuSeconds : undefined;
      const logPath = path.join(cwd, `${jobname}.log`);
      log = parseTexLog(existsSync(logPath) ? readFileSync(logPath, "utf8") : "", resolveLogFile);
    } while (!run.timedOut && !log.fatal && log.rerun && runs < maxRuns);

    const trace = parseTrace(readTraceParts(cwd, jobname), resolveTraceFile);
    // TeX cannot say where a file ends; the copy can (a heading or list exercise running to the end of its file)
    for (const r of trace.records) {
      if (r.type === "file-end" && r.inCourse) r.line = countLines(path.join(copy, r.file));
    }
    const end = trace.records.find((r) => r.type === "finished");
    const finished = end !== undefined;
    const lastInCourse = trace.records.findLast((r) => r.inCourse && r.line > 0 && r.type !== "file-end");
    const mainRel = toPosix(path.relative(rootAbs, mainAbs));
    const errors: TexError[] = log.errors.map((e) => (e.file ? lineOfMissingFile(e, copy) : locateFileless(e, lastInCourse, copy, mainRel)));
    if (run.timedOut) {
      // a killed TeX leaves its buffered trace unwritten; what it printed names the files it opened
      const opened = [...run.stdout.matchAll(/\((\.?\/?[^\s()]+\.(?:tex|sty|cls|ltx))/g)]
        .map((m) => inCopy(path.resolve(cwd, m[1])))
        .filter((f): f is string => f !== null && f !== INSTRUMENT_FILE);
      const where = lastInCourse ? { file: lastInCourse.file, line: lastInCourse.line } : { file: opened.at(-1) ?? mainRel, line: 0 };
      errors.unshift({
        ...where,
        message: `TeX did not finish within ${Math.round(timeoutMs / 100) / 10} s${run.cpuSeconds !== undefined ? " of CPU time" : ""} and was stopped (an endless loop?); ${lastInCourse ? "the last line it was traced reading" : "the last file it opened"}`,
      });
    } else if (!finished && errors.length === 0) {
      errors.push({ file: mainRel, line: 0, message: `${tex.kind} stopped before the end of the document (exit code ${run.exitCode})` });
    }
    return {
      ok: finished && !run.timedOut,
      engine: { command: tex.command, kind: tex.kind, version: tex.version },
      records: trace.records,
      errors,
      seconds: (performance.now() - started) / 1000,
      ...(texCpuSeconds !== undefined ? { texCpuSeconds } : {}),
      ...(end?.pages !== undefined ? { pages: end.pages } : {}),
      labelPages: readAuxPages(cwd, jobname),
      runs,
      unreadLines: trace.unreadLines,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function findEngineOrThrow(): TexEngine {
  const found = findTexEngine();
  if (!found.engine) throw new TutorError("bad-request", `No TeX engine: ${found.reason}`);
  return found.engine;
}

function countLines(file: string): number {
  try {
    const text = readFileSync(file, "utf8");
    return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  } catch {
    return 0;
  }
}

/**
 * An error TeX printed without file:line — in practice a file that ended inside an argument ("File ended while
 * scanning use of \textbf", an unclosed brace), fatal, so the trace stops just before it. The place is the first
 * line from the last traced one on that uses the command with the argument TeX shows; failing that, the last
 * traced line, said as such.
 */
function locateFileless(error: TexError, last: { file: string; line: number } | undefined, copy: string, mainRel: string): TexError {
  if (!last) return { ...error, file: mainRel };
  const command = /use of (\\[A-Za-z@]+|\\.)/.exec(error.message)?.[1];
  const argument = error.context?.replace(/^\{/, "").split(/[\s\\{}]/)[0];
  let lines: string[] = [];
  try {
    lines = readFileSync(path.join(copy, last.file), "utf8").split("\n");
  } catch {
    // not readable: fall back to the traced line
  }
  if (command) {
    for (let i = Math.max(0, last.line - 1); i < lines.length; i++) {
      if (lines[i].includes(command) && (!argument || lines[i].includes(argument))) return { ...error, file: last.file, line: i + 1 };
    }
  }
  return { ...error, file: last.file, line: last.line, message: `${error.message} (TeX names no line: the last line it was traced reading)` };
}

/**
 * "File 'x.sty' not found" is reported at the line TeX was on when it looked for an optional argument after
 * `\usepackage{x}`, often the next one: the line that names the file, among the three before, is the place.
 */
function lineOfMissingFile(error: TexError, copy: string): TexError {
  const name = /File ['`]([^']+)' not found/.exec(error.message)?.[1];
  if (!name || !error.line) return error;
  const base = path.basename(name).replace(/\.(sty|cls|tex)$/, "");
  try {
    const lines = readFileSync(path.join(copy, error.file), "utf8").split("\n");
    for (let l = error.line; l >= Math.max(1, error.line - 3); l--) {
      if (lines[l - 1]?.replace(/%.*/, "").includes(base)) return { ...error, line: l };
    }
  } catch {
    // the file is TeX's own: keep TeX's line
  }
  return error;
}

/** The trace's parts (`<jobname>.tutortrace0`, `1`, …) in the order TeX wrote them, as one text. */
function readTraceParts(cwd: string, jobname: string): string {
  const prefix = `${jobname}${TRACE_EXTENSION}`;
  const parts = readdirSync(cwd)
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)));
  return parts.map((name) => readFileSync(path.join(cwd, name), "utf8").replace(/\n?$/, "\n")).join("");
}
