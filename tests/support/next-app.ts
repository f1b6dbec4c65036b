import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A port the OS says is free now (no clash between parallel test files, unlike a random pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningApp {
  url: string;
  /** The server process (its RSS is in /proc/<pid>/status). */
  pid: number;
  stop: () => Promise<void>;
}

/**
 * Starts the production build (`npm start`: server.ts) on 127.0.0.1 with the given env and resolves once
 * `/api/health` answers. Used by the integration tests and the e2e global setup alike.
 */
export async function startNextApp(env: Record<string, string>, name = "app", opts: { nodeArgs?: string[] } = {}): Promise<RunningApp> {
  const port = await freePort();
  // The app's own server (server.ts, what `npm start` runs): Next behind a Node server that knows the socket.
  // `nodeArgs`: extra Node flags for the server (the load bench's --cpu-prof).
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--import", "tsx", path.join(ROOT, "server.ts"), "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "silent", NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output = (output + d).slice(-20_000)));
  child.stderr!.on("data", (d) => (output = (output + d).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(t);
        resolve();
      });
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start (${name}) exited: ${output}`);
    try {
      const r = await fetch(`${url}/api/health`);
      // Up: any answer of the app's own (a damaged store's health is a JSON 503).
      if (r.status < 500 || (r.headers.get("content-type") ?? "").includes("json")) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`npm start (${name}) did not answer within 60 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, pid: child.pid!, stop };
}
