import type * as lancedb from "@lancedb/lancedb";

/**
 * Which of `names` exist, by opening each one. Not `conn.tableNames()`: that lists the store's folder with a
 * delimiter, and an object store's delimiter listing is the one answer that may lag or be wrong — s3rver
 * returns no tables at all (it only reports a "folder" holding an object directly, and a Lance table keeps
 * its objects in subfolders), and some S3-compatible services list eventually. With the listing, a reader took
 * a freshly ingested store for an empty one (`store-empty`) and a second ingest rebuilt over it from seq 1.
 * Opening a table reads its own `_versions/` prefix, which every S3 API answers consistently.
 */
export async function existingTables(conn: lancedb.Connection, names: readonly string[]): Promise<Set<string>> {
  const found = await Promise.all(names.map(async (name) => ((await openIfExists(conn, name)) ? name : null)));
  return new Set(found.filter((n): n is string => n !== null));
}

/** The table, or null when it does not exist; other failures (a damaged version file, no network) throw. */
export async function openIfExists(conn: lancedb.Connection, name: string): Promise<lancedb.Table | null> {
  try {
    return await conn.openTable(name);
  } catch (e) {
    // Only "no such table": a table whose files are damaged or unreachable is an error, not an empty store.
    if (/Table '[^']*' was not found/.test(String((e as Error).message ?? e))) return null;
    throw e;
  }
}

/** Drops the table when it exists (a damaged one too: nothing of it is read). */
export async function dropIfExists(conn: lancedb.Connection, name: string): Promise<void> {
  try {
    await conn.dropTable(name);
  } catch (e) {
    if (!/Table '[^']*' was not found/.test(String((e as Error).message ?? e))) throw e;
  }
}
