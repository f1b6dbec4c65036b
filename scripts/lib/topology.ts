import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { startNextApp, type RunningApp } from "../../tests/support/next-app";
import { startRedis, type RunningRedis } from "../../tests/support/redis-server";
import { startS3, type RunningS3 } from "../../tests/support/s3-server";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * The N-replica deployment of docs/DEPLOYMENT.md on one machine: s3rver (object storage, behind a counting
 * proxy), Debian's redis-server (shared limits), N `next start` replicas (the built app, server.ts) over one
 * `s3://` store, and a round-robin load balancer in front. `npm run replicas`, `npm run bench:replicas` and
 * tests/integration/replicas.test.ts start it through here. Needs `next build` first.
 */
export interface Topology {
  s3: RunningS3;
  redis: RunningRedis;
  replicas: RunningApp[];
  /** The load balancer's URL (round robin over the replicas). */
  url: string;
  /** The store every replica serves. */
  db: string;
  /** Env of the replicas and of an ingest (the store, object storage, Redis). */
  env: Record<string, string>;
  /** Starts one more replica over the same store (it is not put behind the load balancer). */
  startReplica: (extra?: Record<string, string>) => Promise<RunningApp>;
  stop: () => Promise<void>;
}

export async function startTopology(
  opts: { replicas?: number; store?: string; replicaEnv?: Record<string, string>; beforeReplicas?: (t: Pick<Topology, "env" | "db" | "s3">) => Promise<void> } = {},
): Promise<Topology> {
  const s3 = await startS3();
  const redis = await startRedis();
  const db = `s3://${s3.bucket}/${opts.store ?? "courses"}`;
  const env = { ...s3.env, TUTOR_DB_DIR: db, TUTOR_REDIS_URL: redis.url };
  await opts.beforeReplicas?.({ env, db, s3 });
  const extra: RunningApp[] = [];
  const startReplica = async (more: Record<string, string> = {}) => {
    const app = await startNextApp({ ...env, ...opts.replicaEnv, ...more }, "replica");
    extra.push(app);
    return app;
  };
  const replicas = await Promise.all(Array.from({ length: opts.replicas ?? 2 }, (_, i) => startNextApp({ ...env, ...opts.replicaEnv }, `replica ${i + 1}`)));
  const lb = roundRobin(replicas.map((r) => new URL(r.url)));
  await new Promise<void>((resolve) => lb.listen(0, "127.0.0.1", resolve));
  return {
    s3,
    redis,
    replicas,
    url: `http://127.0.0.1:${(lb.address() as AddressInfo).port}`,
    db,
    env,
    startReplica,
    stop: async () => {
      lb.closeAllConnections();
      await new Promise<void>((resolve) => lb.close(() => resolve()));
      await Promise.all([...replicas, ...extra].map((r) => r.stop()));
      await redis.stop();
      await s3.stop();
    },
  };
}

/** A tiny load balancer: each request goes to the next replica in turn; the client's address is forwarded. */
function roundRobin(targets: URL[]): http.Server {
  let next = 0;
  return http.createServer((req, res) => {
    const target = targets[next++ % targets.length];
    const up = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, "x-forwarded-for": req.socket.remoteAddress ?? "" } },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on("error", () => {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "upstream-error", message: "replica unreachable" }));
    });
    req.pipe(up);
  });
}

export interface IngestRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  /** When the process ended (ms, performance.now()): the new version is published just before. */
  endedAt: number;
}

/**
 * `npm run ingest -- <course> --tex none` in a child process (asynchronously: a request loop keeps running
 * meanwhile). `kill` gives a callback that kills it mid-run.
 */
export function runIngest(course: string, env: Record<string, string>, opts: { args?: string[]; onSpawn?: (kill: () => void) => void } = {}): Promise<IngestRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/ingest.ts"), course, "--tex", "none", ...(opts.args ?? [])], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    opts.onSpawn?.(() => child.kill("SIGKILL"));
    child.on("close", (code, signal) => resolve({ code, signal, output, endedAt: performance.now() }));
  });
}
