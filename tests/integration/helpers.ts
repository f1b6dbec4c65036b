import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startNextApp, type RunningApp } from "../support/next-app";

export const ROOT = path.resolve(__dirname, "../..");
export const DEMO_COURSE = path.join(ROOT, "content/demo-course");

/** A fresh temp dir, removed by the returned cleanup. */
export function tempDir(prefix = "tutor-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A private copy of the demo course that a test may edit. */
export function copyDemoCourse(into: string): string {
  const dest = path.join(into, "course");
  cpSync(DEMO_COURSE, dest, { recursive: true });
  return dest;
}

/** Runs one of the project's CLIs (scripts/<name>.ts) exactly as `npm run <name>` does, in a child process. */
export function runCli(
  name: string,
  args: string[],
  opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): SpawnSyncReturns<string> {
  // A bare name is scripts/<name>.ts; a path ("bench/retrieve.ts") is taken from the project root.
  const file = name.includes("/") ? path.join(ROOT, name) : path.join(ROOT, "scripts", `${name}.ts`);
  return spawnSync(process.execPath, ["--import", "tsx", file, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    input: opts.input,
    timeout: opts.timeoutMs ?? 120_000,
    env: { ...process.env, LOG_LEVEL: "silent", ...opts.env },
  });
}

/** Starts the built Next.js app with the given env; resolves when it answers. */
export function startApp(env: Record<string, string>): Promise<RunningApp> {
  return startNextApp(env);
}
