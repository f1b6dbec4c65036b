import { spawn } from "node:child_process";
import { Redis } from "ioredis";
import { freePort } from "./next-app";

export interface RunningRedis {
  url: string;
  stop: () => Promise<void>;
}

/**
 * A real Redis (Debian's redis-server; scripts/test.sh installs it) on a free loopback port, in memory only,
 * for the tests of limits shared by several app replicas.
 */
export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output = (output + d).slice(-5000)));
  child.stderr!.on("data", (d) => (output = (output + d).slice(-5000)));
  const spawnError = new Promise<never>((_, reject) => child.once("error", (e) => reject(new Error(`redis-server could not start (${e.message}): apt-get install redis-server`))));
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => {});
    try {
      await Promise.race([client.connect().then(() => client.ping()), spawnError]);
      client.disconnect();
      break;
    } catch (e) {
      client.disconnect();
      if ((e as Error).message.includes("could not start")) throw e;
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not answer within 15 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { url, stop };
}
