import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";

export interface RunningS3 {
  /** The endpoint apps use (a counting proxy in front of s3rver). */
  endpoint: string;
  bucket: string;
  /** s3rver's folder: objects are `<dir>/<bucket>/<key>._S3rver_object`. */
  dir: string;
  /** Env of a process that uses the store (credentials are s3rver's fixed dummies). */
  env: Record<string, string>;
  /** Requests the proxy forwarded so far, by method ("GET", "PUT", …) and in total. */
  requests: () => { total: number; byMethod: Record<string, number> };
  stop: () => Promise<void>;
}

/**
 * A real S3-protocol server (s3rver, npm) on a free loopback port, with one bucket, behind a tiny proxy that
 * counts every request (the object-store cost of a question is measured there, not estimated).
 */
export async function startS3(opts: { bucket?: string; dir?: string } = {}): Promise<RunningS3> {
  const bucket = opts.bucket ?? "tutor";
  const ownDir = !opts.dir;
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), "tutor-s3-"));
  const s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port: s3Port } = (await s3.run()) as AddressInfo;

  const byMethod: Record<string, number> = {};
  let total = 0;
  const agent = new http.Agent({ keepAlive: true });
  const proxy = http.createServer((req, res) => {
    total++;
    byMethod[req.method ?? "?"] = (byMethod[req.method ?? "?"] ?? 0) + 1;
    const up = http.request({ host: "127.0.0.1", port: s3Port, method: req.method, path: req.url, headers: req.headers, agent }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return {
    endpoint,
    bucket,
    dir,
    env: { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1", TUTOR_S3_ENDPOINT: endpoint },
    requests: () => ({ total, byMethod: { ...byMethod } }),
    stop: async () => {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      agent.destroy();
      await s3.close();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
