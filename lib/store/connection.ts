import * as lancedb from "@lancedb/lancedb";
import { env } from "../env";

/**
 * One LanceDB connection per URI per process, kept on globalThis so Next.js dev reloads reuse it.
 * LanceDB is native: this module must only be imported from server code (route handlers, scripts).
 */
const cache: Map<string, Promise<lancedb.Connection>> = ((globalThis as Record<string, unknown>).__tutorLance ??= new Map()) as Map<
  string,
  Promise<lancedb.Connection>
>;

/** The store location: an explicit `--db`, else TUTOR_DB_DIR, else data/lancedb. */
export function resolveDbUri(db?: string): string {
  return db ?? env.TUTOR_DB_DIR;
}

export function connectStore(db?: string): Promise<lancedb.Connection> {
  const uri = resolveDbUri(db);
  let conn = cache.get(uri);
  if (!conn) {
    conn = lancedb.connect(uri);
    cache.set(uri, conn);
    conn.catch(() => cache.delete(uri));
  }
  return conn;
}
