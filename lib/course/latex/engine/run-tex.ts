import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { childProcessEnv } from "@/lib/env";
import type { TexEngine } from "./find-engine";

export interface TexRun {
  /** The engine's exit code (1 after any TeX error, even in nonstop mode); null when it was killed. */
  exitCode: number | null;
  /** True when the time limit stopped it. */
  timedOut: boolean;
  /** The last 64 KB of what it printed (the open-file trail "(./main.tex (./ch1.tex" is here even when killed). */
  stdout: string;
  seconds: number;
  /** CPU seconds of the engine and what it started (Linux: from /proc; undefined elsewhere). */
  cpuSeconds?: number;
}

/**
 * CPU seconds of this process's children that have ended (`cutime + cstime` of /proc/self/stat, in clock ticks of
 * 1/100 s — USER_HZ on every Linux Node runs on). Undefined where there is no /proc.
 */
function endedChildrenCpu(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is the state, field 3 of the file
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

const STDOUT_KEEP = 64 * 1024;

/** CPU seconds a running process has used so far (/proc/<pid>/stat utime + stime); undefined without /proc. */
function processCpu(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** How often the CPU time of a running engine is checked against the limit. */
const CPU_POLL_MS = 250;
/** A run may take this many times its CPU limit in wall-clock time (a machine busy with other work) before it is stopped anyway. */
const WALL_FACTOR = 10;

/**
 * Runs the engine once in `cwd`, sandboxed: no shell escape, writes only below `cwd` (kpathsea's openout_any=p),
 * no terminal (stdin is empty, so TeX can never wait for an answer), unwrapped log lines, and a hard time
 * limit: the engine runs in its own process group, killed as a whole when the limit passes. The limit is on the CPU
 * time TeX uses (Linux /proc; an endless loop burns it, a machine busy with other work does not: a 990-page book
 * took 79 s of CPU and 430 s of wall-clock time at a load of 25 on 2 cores), with a wall-clock backstop of
 * `WALL_FACTOR` times it; where there is no /proc the limit is wall-clock time.
 */
export function runTex({ engine, cwd, jobname, firstLine, timeoutMs }: {
  engine: TexEngine;
  cwd: string;
  jobname: string;
  /** The command line TeX reads first, e.g. `\input{instrument.tex}\input{main.tex}`. */
  firstLine: string;
  /** CPU time TeX may use (wall-clock time where the OS does not say). */
  timeoutMs: number;
}): Promise<TexRun> {
  const args = [
    "-no-shell-escape",
    "-interaction=nonstopmode",
    "-file-line-error",
    "-draftmode", // no PDF written and no images read: only the trace matters
    `-jobname=${jobname}`,
    firstLine,
  ];
  const started = performance.now();
  const cpuBefore = endedChildrenCpu();
  return new Promise((resolve, reject) => {
    const child = spawn(engine.command, args, {
      cwd,
      detached: true, // own process group, so the time limit kills everything TeX started
      stdio: ["ignore", "pipe", "pipe"],
      env: childProcessEnv({
        max_print_line: "100000",
        error_line: "254",
        half_error_line: "238",
        openout_any: "p",
        shell_escape: "f",
      }),
    });
    let stdout = "";
    let timedOut = false;
    const keep = (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (stdout.length > 2 * STDOUT_KEEP) stdout = stdout.slice(-STDOUT_KEEP);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const cpuMeasured = child.pid !== undefined && processCpu(child.pid) !== undefined;
    const stop = () => {
      timedOut = true;
      killGroup();
    };
    const timer = setTimeout(stop, cpuMeasured ? timeoutMs * WALL_FACTOR : timeoutMs);
    const poll = cpuMeasured
      ? setInterval(() => {
          const used = processCpu(child.pid!);
          if (used !== undefined && used * 1000 > timeoutMs) stop();
        }, CPU_POLL_MS)
      : undefined;
    const done = () => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
    };
    child.on("error", (e) => {
      done();
      reject(e);
    });
    child.on("close", (code) => {
      done();
      const cpuAfter = endedChildrenCpu();
      const cpuSeconds = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
      resolve({ exitCode: code, timedOut, stdout: stdout.slice(-STDOUT_KEEP), seconds: (performance.now() - started) / 1000, ...(cpuSeconds !== undefined ? { cpuSeconds } : {}) });
    });
  });
}
