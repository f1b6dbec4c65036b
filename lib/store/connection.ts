import path from "node:path";
import { availableParallelism } from "node:os";
import * as lancedb from "@lancedb/lancedb";
import { env } from "../env";
import { isObjectStoreUri, objectStoreOptions } from "./object-store";

/**
 * Lance sizes its CPU thread pool as the cores minus two it reserves for I/O, and at least one. On a
 * 2-core machine that is one thread, and building a full-text index over ~100,000 passages then never
 * finishes: the index writer waits on a queue of one (LANCE_FTS_WRITE_QUEUE_SIZE) that only a task on
 * that same thread would drain (measured: 40,000 passages build in 9 s, 100,000 hang; with two or more
 * CPU threads they build in ~15 s, as on machines with more cores). Lance reads the variable when it first needs the pool, after this
 * module is loaded; an explicit setting is left alone.
 */
if (!process.env.LANCE_CPU_THREADS) process.env.LANCE_CPU_THREADS = String(Math.max(2, availableParallelism()));

/**
 * One LanceDB connection per URI per process, kept on globalThis so Next.js dev reloads reuse it.
 * LanceDB is native: this module must only be imported from server code (route handlers, scripts).
 */
const cache: Map<string, Promise<lancedb.Connection>> = ((globalThis as Record<string, unknown>).__tutorLance ??= new Map()) as Map<
  string,
  Promise<lancedb.Connection>
>;

/**
 * The store location: an explicit `--db`, else TUTOR_DB_DIR, else data/lancedb. A local path is made
 * absolute: LanceDB reads a bare "db-1" or "db…" as a LanceDB Cloud address. URIs ("s3://…") are kept.
 */
export function resolveDbUri(db?: string): string {
  const uri = db ?? env.TUTOR_DB_DIR;
  return isObjectStoreUri(uri) ? uri : path.resolve(uri);
}

export function connectStore(db?: string): Promise<lancedb.Connection> {
  const uri = resolveDbUri(db);
  let conn = cache.get(uri);
  if (!conn) {
    // An s3:// store gets its endpoint, region, credentials, path style and HTTP setting from lib/env.ts.
    const storageOptions = objectStoreOptions(uri);
    conn = lancedb.connect(uri, Object.keys(storageOptions).length ? { storageOptions } : {});
    cache.set(uri, conn);
    conn.catch(() => cache.delete(uri));
  }
  return conn;
}
