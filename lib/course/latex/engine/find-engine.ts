import { spawnSync } from "node:child_process";
import path from "node:path";
import { childProcessEnv, env } from "@/lib/env";
import { TutorError } from "@/lib/errors";

/** A TeX engine that ran `-version` successfully. */
export interface TexEngine {
  /** What to spawn: the TUTOR_TEX path, or the bare name found on the PATH. */
  command: string;
  kind: "pdflatex" | "lualatex";
  /** First line of `-version`, e.g. "pdfTeX 3.141592653-2.6-1.40.24 (TeX Live 2022/Debian)". */
  version: string;
}

export type TexEngineLookup = { engine: TexEngine; reason?: undefined } | { engine: null; reason: string };

function probe(command: string): TexEngine | null {
  const run = spawnSync(command, ["-version"], { encoding: "utf8", timeout: 15_000, env: childProcessEnv(), stdio: ["ignore", "pipe", "pipe"] });
  if (run.error || run.status !== 0) return null;
  const version = run.stdout.split("\n")[0]?.trim() ?? "";
  const kind = /lua/i.test(path.basename(command)) || /^Lua/i.test(version) ? "lualatex" : "pdflatex";
  return { command, kind, version };
}

/**
 * The engine LaTeX ingestion compiles with: `TUTOR_TEX` (a path of pdflatex or lualatex, or `none`), else
 * `pdflatex`, then `lualatex`, on the PATH. No engine is not an error (numbers are then derived from the source;
 * `reason` says why); a TUTOR_TEX that names a program which does not run is one, since the instructor asked for it.
 */
export function findTexEngine({ setting = env.TUTOR_TEX, probeOnly = false }: { setting?: string; probeOnly?: boolean } = {}): TexEngineLookup {
  if (setting === "none") return { engine: null, reason: "TUTOR_TEX=none" };
  if (setting) {
    const engine = probe(setting);
    // probeOnly: whether this program runs, not what the instructor asked for (no error when it does not)
    if (!engine && probeOnly) return { engine: null, reason: `${setting} does not run` };
    if (!engine) {
      throw new TutorError("bad-request", `TUTOR_TEX=${setting} does not run (\`${setting} -version\` failed): fix the path or set TUTOR_TEX=none`);
    }
    return { engine };
  }
  for (const name of ["pdflatex", "lualatex"]) {
    const engine = probe(name);
    if (engine) return { engine };
  }
  return { engine: null, reason: "neither pdflatex nor lualatex is on the PATH (Debian: apt-get install texlive-latex-base texlive-latex-recommended texlive-latex-extra)" };
}
