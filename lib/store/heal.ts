import { existsSync, mkdirSync, openSync, readdirSync, readSync, closeSync, fstatSync, renameSync } from "node:fs";
import path from "node:path";
import type * as lancedb from "@lancedb/lancedb";
import { TutorError } from "../errors";
import { log } from "../log";
import { isObjectStoreUri } from "./object-store";
import { TABLES, type ManifestRow } from "./schema";
import { dropIfExists, openIfExists } from "./tables";

/**
 * A store that heals. LanceDB opens a table at its newest version file (`<table>.lance/_versions/*.manifest`),
 * so one garbage version file makes the whole table unopenable, and a deleted data file makes every version
 * that uses it unreadable. Readers and the ingest go through here:
 * - a newest version file that is not a Lance manifest (too short, no `LANC` magic) is moved aside to
 *   `<table>.lance/_quarantine/` (local stores only), which makes the version before it the newest again;
 * - readers take the newest manifest row whose table versions all open and read, and fall back to older rows;
 *   only when none does is the store `store-unavailable` (503, with a reason);
 * - the ingest starts from that same row and drops the bad rows after it; with `--rebuild` a store with no
 *   readable row at all is recreated (healStoreForWrite).
 */

/** How many manifest rows a reader tries, newest first, before it gives up. */
const MAX_FALLBACK_ROWS = 8;
const DATA_TABLES = [TABLES.passages, TABLES.items, TABLES.courses] as const;

export const DAMAGED_STORE_MESSAGE =
  "The course store is damaged: no complete version of it can be read. An instructor can repair it with: npm run ingest -- --rebuild <course folder>";


/** Lance manifest files end with the magic bytes "LANC"; anything shorter than a footer is not one either. */
function looksLikeManifest(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    if (size < 16) return false;
    const tail = Buffer.alloc(4);
    readSync(fd, tail, 0, 4, size - 4);
    return tail.toString("latin1") === "LANC";
  } finally {
    closeSync(fd);
  }
}

/**
 * The newest version file of a local table. Lance names them `<n>.manifest` (V1: n = version) or with the
 * V2 scheme, 20 digits of u64::MAX − version (the newest sorts first). Both are handled.
 */
function newestManifestFile(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const names = readdirSync(dir).filter((f) => /^\d+\.manifest$/.test(f));
  if (!names.length) return null;
  const v2 = names.some((f) => f.length === "18446744073709551615.manifest".length);
  const num = (f: string) => BigInt(f.slice(0, -".manifest".length));
  const sorted = names.sort((a, b) => (num(a) < num(b) ? -1 : num(a) > num(b) ? 1 : 0));
  return path.join(dir, v2 ? sorted[0] : sorted[sorted.length - 1]);
}

/**
 * Moves aside every newest version file of `table` that is not a Lance manifest, until the newest one is
 * (or none is left). Returns how many were moved. Object stores are left alone (no rename there).
 */
export function quarantineCorruptVersions(uri: string, table: string): number {
  if (isObjectStoreUri(uri)) return 0;
  const dir = path.join(uri, `${table}.lance`, "_versions");
  let moved = 0;
  for (let file = newestManifestFile(dir); file && !looksLikeManifest(file); file = newestManifestFile(dir)) {
    const quarantine = path.join(uri, `${table}.lance`, "_quarantine");
    mkdirSync(quarantine, { recursive: true });
    renameSync(file, path.join(quarantine, `${path.basename(file)}.${Date.now()}`));
    moved++;
    log.warn({ table, file: path.basename(file) }, "store: a corrupt table version file was moved aside; the version before it is served");
  }
  // Lance's hint of the newest version may name the file just moved: without it Lance lists the folder.
  if (moved) {
    try {
      renameSync(path.join(dir, "latest_version_hint.json"), path.join(uri, `${table}.lance`, "_quarantine", `latest_version_hint.json.${Date.now()}`));
    } catch {
      /* no hint file */
    }
  }
  return moved;
}

/** Opens a table, healing a corrupt newest version file once. */
export async function openTableHealing(conn: lancedb.Connection, uri: string, name: string): Promise<lancedb.Table> {
  try {
    return await conn.openTable(name);
  } catch (e) {
    if (quarantineCorruptVersions(uri, name) > 0) return conn.openTable(name);
    throw e;
  }
}

/** Reads one small column of every row (so every data file of the version is touched). Throws if any is unreadable. */
export async function readWholeTable(table: lancedb.Table): Promise<number> {
  const schema = await table.schema();
  const column = schema.fields.some((f) => f.name === "id") ? "id" : schema.fields[0].name;
  let rows = 0;
  for await (const batch of table.query().select([column])) rows += batch.numRows;
  return rows;
}

/** All manifest rows, newest first (empty when the store has none). */
export async function readManifestRows(conn: lancedb.Connection, uri: string): Promise<ManifestRow[]> {
  const table = await openManifestTable(conn, uri);
  if (!table) return [];
  try {
    return await manifestRowsOf(table);
  } finally {
    // A running app reads the manifest every second: an unclosed handle each time holds native memory until a
    // garbage collection that JavaScript's small share of it rarely triggers.
    table.close();
  }
}

/** The manifest table (healing a corrupt newest version file once), or null when the store has none. */
export async function openManifestTable(conn: lancedb.Connection, uri: string): Promise<lancedb.Table | null> {
  try {
    return await openIfExists(conn, TABLES.manifest);
  } catch (e) {
    if (quarantineCorruptVersions(uri, TABLES.manifest) > 0) return openIfExists(conn, TABLES.manifest);
    throw e;
  }
}

/** The rows of an open manifest table at its checked-out version, newest first. */
export async function manifestRowsOf(table: lancedb.Table): Promise<ManifestRow[]> {
  const rows = (await table.query().select(["seq", "passages_version", "items_version", "courses_version", "dimension", "course", "finished_at"]).toArray()) as ManifestRow[];
  return rows.map((r) => ({ ...r, seq: Number(r.seq) })).sort((a, b) => b.seq - a.seq);
}

/** A manifest row's identity: its seq and when that run finished. */
export const rowId = (row: ManifestRow): string => `${Number(row.seq)}@${String(row.finished_at)}`;

export interface ReadableVersion {
  row: ManifestRow;
  /** The newest manifest row's seq (differs from row.seq when an older version is served). */
  newestSeq: number;
  newestId: string;
  tables: { passages: lancedb.Table; items: lancedb.Table; courses: lancedb.Table };
}

/** The tables at one manifest row's versions, each read through once; throws when any cannot be read. */
async function openRow(conn: lancedb.Connection, uri: string, row: ManifestRow): Promise<ReadableVersion["tables"]> {
  const at = async (name: string, version: number) => {
    const t = await openTableHealing(conn, uri, name);
    await t.checkout(Number(version));
    await readWholeTable(t);
    return t;
  };
  return {
    passages: await at(TABLES.passages, row.passages_version),
    items: await at(TABLES.items, row.items_version),
    courses: await at(TABLES.courses, row.courses_version),
  };
}

/**
 * The newest complete version of the store: the newest manifest row whose tables all read, falling back to
 * older rows. Null for an empty store; `store-unavailable` (safe reason) when no row reads. `previous` is reused
 * when the newest row has not moved since it was loaded.
 */
export async function openNewestReadable(
  conn: lancedb.Connection,
  uri: string,
  previous: { newestSeq: number; newestId?: string } | null,
): Promise<ReadableVersion | "unchanged" | null> {
  let rows: ManifestRow[];
  try {
    rows = await readManifestRows(conn, uri);
  } catch (e) {
    throw new TutorError("store-unavailable", DAMAGED_STORE_MESSAGE, { cause: e });
  }
  if (!rows.length) return null;
  // Same seq is not enough: an ingest that healed a damaged store drops the rows after the last complete one and
  // writes the next seq again (with another finish time).
  if (previous && previous.newestSeq === rows[0].seq && (previous.newestId === undefined || previous.newestId === rowId(rows[0]))) return "unchanged";
  let firstError: unknown;
  for (const row of rows.slice(0, MAX_FALLBACK_ROWS)) {
    try {
      const tables = await openRow(conn, uri, row);
      if (row !== rows[0]) log.warn({ newest: rows[0].seq, served: row.seq, err: String(firstError) }, "store: the newest version cannot be read; serving an earlier complete one");
      return { row, newestSeq: rows[0].seq, newestId: rowId(rows[0]), tables };
    } catch (e) {
      firstError ??= e;
    }
  }
  log.error({ err: String(firstError) }, "store: no complete version can be read");
  throw new TutorError("store-unavailable", DAMAGED_STORE_MESSAGE, { cause: firstError });
}

/**
 * Before an ingest writes: heals what can be healed and returns the manifest row to build on (null: start
 * clean). Rows newer than the readable one are deleted, so the new row's seq follows the one it builds on.
 * With no readable row: `rebuild` drops every table (the caller recreates them; the names of courses that
 * must be ingested again are returned); otherwise `store-unavailable` tells the instructor to rebuild.
 */
export async function healStoreForWrite(
  conn: lancedb.Connection,
  uri: string,
  rebuild: boolean,
): Promise<{ manifest: ManifestRow | null; lostCourses: string[]; recreated: boolean }> {
  for (const t of [...DATA_TABLES, TABLES.manifest]) quarantineCorruptVersions(uri, t);
  let found: ReadableVersion | null = null;
  let rows: ManifestRow[] = [];
  let failure: unknown;
  try {
    rows = await readManifestRows(conn, uri);
    const r = rows.length ? await openNewestReadable(conn, uri, null) : null;
    found = r === "unchanged" ? null : r;
  } catch (e) {
    failure = e;
  }
  if (!failure) {
    if (found && found.row.seq !== rows[0].seq) {
      const manifest = await openTableHealing(conn, uri, TABLES.manifest);
      await manifest.delete(`seq > ${Number(found.row.seq)}`);
      log.warn({ from: rows[0].seq, to: found.row.seq }, "store: versions that cannot be read were dropped; building on the last complete one");
    }
    return { manifest: found?.row ?? null, lostCourses: [], recreated: false };
  }
  if (!rebuild) {
    throw new TutorError("store-unavailable", "The course store is damaged: no complete version of it can be read. Re-run with --rebuild to recreate it from the course folder.", { cause: failure });
  }
  const lostCourses = [...new Set(rows.map((r) => r.course))];
  for (const name of Object.values(TABLES)) await dropIfExists(conn, name);
  log.warn({ lostCourses }, "store: no complete version could be read; the store was recreated");
  return { manifest: null, lostCourses, recreated: true };
}
