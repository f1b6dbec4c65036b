import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as lancedb from "@lancedb/lancedb";
import type { Schema } from "apache-arrow";
import type { Passage } from "../course/chunk";
import type { CourseDoc, CourseItem } from "../course/types";
import { TutorError } from "../errors";
import { env } from "../env";
import { log } from "../log";
import { connectStore, resolveDbUri } from "./connection";
import { isObjectStoreUri } from "./object-store";
import { existingTables } from "./tables";
import { healStoreForWrite } from "./heal";
import { invalidateSnapshots, sqlString } from "./read";
import {

  coursesSchema,
  DEFAULT_DIMENSION,
  itemsSchema,
  manifestSchema,
  passagesSchema,
  TABLES,
  type CourseRow,
  type ItemRow,
  type ManifestRow,
  type PassageRow,
} from "./schema";

/** One tokenizer for every full-text index (passages and items), so a question's terms meet both alike. (A fresh
 * config per index: LanceDB consumes it.) */
const ftsConfig = () => lancedb.Index.fts({ baseTokenizer: "simple", lowercase: true, stem: true, removeStopWords: true, asciiFolding: true });

export interface WriteCourseInput {
  db?: string;
  doc: CourseDoc;
  passages: Passage[];
  items: CourseItem[];
  /** Item/heading label → passage id (from chunkCourse). */
  passageOf: Map<string, string>;
  counts: Record<string, number>;
  /** Embeds passage texts ("passage: " prefix applied by the embedder). Absent: store text only. */
  embed?: (texts: string[]) => Promise<Float32Array[]>;
  modelId?: string;
  dimension?: number;
  /** Re-embed and rewrite everything of this course, and recreate tables whose vector width changed. */
  rebuild?: boolean;
  onProgress?: (event: { phase: "embed" | "write"; done: number; total: number }) => void;
}

export interface WriteCourseResult {
  passages: number;
  embedded: number;
  reusedVectors: number;
  unchanged: number;
  removed: number;
  items: number;
  seq: number;
}

/**
 * Writes one course into the store so that readers never see a half-written state:
 * each table gets one merge-insert (upsert by id + delete of this course's vanished ids, a single
 * atomic LanceDB commit), and only then a manifest row naming the new table versions is appended.
 * Readers read the tables at the versions of the newest manifest row, so a run killed at any point
 * leaves the previous version readable and complete; the next run first rolls the tables back to it.
 */
export async function writeCourse(input: WriteCourseInput): Promise<WriteCourseResult> {
  const uri = resolveDbUri(input.db);
  const release = acquireLock(uri);
  try {
    return await writeLocked(uri, input);
  } finally {
    release();
    invalidateSnapshots(uri);
  }
}

async function writeLocked(uri: string, input: WriteCourseInput): Promise<WriteCourseResult> {
  const { doc, passages } = input;
  const conn = await connectStore(uri);
  const dimension = input.dimension ?? DEFAULT_DIMENSION;
  const modelId = input.embed ? (input.modelId ?? "") : "";

  // A damaged store is healed first (lib/store/heal.ts): the run builds on the last complete version.
  const { manifest } = await healStoreForWrite(conn, uri, !!input.rebuild);
  const tables = await openTables(conn, manifest, dimension, !!input.rebuild);

  // Existing passages of this course: reuse vectors of unchanged text embedded by the same model.
  const existing = new Map<string, { hash: string; model: string; vector: number[] | null }>();
  const existingRows = (await tables.passages
    .query()
    .where(`course = ${sqlString(doc.id)}`)
    .select(["id", "hash", "model", "vector"])
    .toArray()) as { id: string; hash: string; model: string; vector: { toArray(): Float32Array } | null }[];
  for (const r of existingRows) {
    existing.set(r.id, { hash: r.hash, model: r.model, vector: r.vector ? Array.from(r.vector.toArray()) : null });
  }

  const rows: PassageRow[] = passages.map((p) => ({
    id: p.id,
    course: p.course,
    section: p.section,
    heading: p.heading,
    heading_path: p.headingPath.join(" › "),
    text: p.text,
    refs: p.refs,
    file: p.file,
    line: p.line,
    end_line: p.endLine,
    hash: p.hash,
    tokens: p.tokens,
    model: "",
    vector: null,
  }));
  let unchanged = 0;
  const toEmbed: number[] = [];
  rows.forEach((row, i) => {
    const old = existing.get(row.id);
    if (!input.rebuild && old && old.hash === row.hash && old.model === modelId && (modelId === "" || old.vector)) {
      row.model = old.model;
      row.vector = old.vector;
      unchanged++;
    } else if (input.embed) toEmbed.push(i);
  });

  if (input.embed && toEmbed.length) {
    const batch = 16;
    for (let i = 0; i < toEmbed.length; i += batch) {
      const idx = toEmbed.slice(i, i + batch);
      const vectors = await input.embed(idx.map((j) => rows[j].text));
      idx.forEach((j, k) => {
        if (vectors[k].length !== dimension) {
          throw new TutorError("bad-request", `the model gives ${vectors[k].length}-dim vectors but the store expects ${dimension}`);
        }
        rows[j].vector = Array.from(vectors[k]);
        rows[j].model = modelId;
      });
      input.onProgress?.({ phase: "embed", done: Math.min(i + batch, toEmbed.length), total: toEmbed.length });
    }
  }
  const kept = new Set(rows.map((r) => r.id));
  const removed = [...existing.keys()].filter((id) => !kept.has(id)).length;

  input.onProgress?.({ phase: "write", done: 0, total: 3 });
  await upsertCourseRows(tables.passages, passagesSchema(dimension), rows, doc.id, !!input.rebuild, "target.hash != source.hash OR target.model != source.model");
  crashPoint("after-passages");
  // The full-text index is rebuilt over the new version; unindexed rows would still be searched, but slower.
  await tables.passages.createIndex("text", { config: ftsConfig(), replace: true });
  await ensureVectorIndex(tables.passages);
  crashPoint("after-index");
  input.onProgress?.({ phase: "write", done: 1, total: 3 });

  const seen = new Set<string>();
  const itemRows: ItemRow[] = [];
  input.items.forEach((it, ord) => {
    // Duplicate labels were reported by the numbering check; the first occurrence stays citable.
    if (seen.has(it.label)) return;
    seen.add(it.label);
    const row: Omit<ItemRow, "hash"> = {
      id: `${doc.id}/${it.label}`,
      course: doc.id,
      kind: it.kind,
      number: it.number,
      label: it.label,
      title: it.title,
      text: it.text,
      chapter: it.chapter,
      chapter_title: it.chapterTitle,
      section: it.section,
      section_title: it.sectionTitle,
      path: it.path.join(" › "),
      parts: (it.parts ?? []).join(","),
      passage_id: input.passageOf.get(it.label) ?? "",
      file: it.source.file,
      line: it.source.line,
      end_line: it.source.endLine,
      pdf: it.source.pdf ?? null,
      page: it.source.page ?? null,
      ord,
    };
    itemRows.push({ ...row, hash: sha256(JSON.stringify(row)) });
  });
  // A store older than the pdf/page columns holds nulls there under the same hash: those rows are updated too.
  await upsertCourseRows(tables.items, itemsSchema, itemRows, doc.id, !!input.rebuild, "target.hash != source.hash OR (target.page IS NULL AND source.page IS NOT NULL)");
  // Item-level full text: one exercise or theorem as its own unit, whatever passage it shares (lib/retrieve).
  await tables.items.createIndex("text", { config: ftsConfig(), replace: true });
  crashPoint("after-items");
  input.onProgress?.({ phase: "write", done: 2, total: 3 });

  const courseRow: Omit<CourseRow, "hash"> = {
    id: doc.id,
    title: doc.title,
    language: doc.language ?? "en",
    guidance: doc.guidance ?? "",
    root: doc.root,
    model: modelId,
    counts: JSON.stringify(input.counts),
    updated_at: new Date().toISOString(),
    macros: doc.macros && Object.keys(doc.macros).length ? JSON.stringify(doc.macros) : "",
    figures: doc.figures?.length ? JSON.stringify(doc.figures) : "",
    insights: doc.insights ? JSON.stringify(doc.insights) : "",
    policy: doc.solutions && Object.keys(doc.solutions.policies).length ? JSON.stringify(doc.solutions.policies) : "",
  };
  await tables.courses
    .mergeInsert("id")
    .whenMatchedUpdateAll()
    .whenNotMatchedInsertAll()
    .execute(lancedb.makeArrowTable([{ ...courseRow, hash: sha256(JSON.stringify(courseRow)) }], { schema: coursesSchema }));

  crashPoint("after-courses");

  // The commit point: readers switch to the new versions only when this row exists.
  const seq = (manifest?.seq ?? 0) + 1;
  const entry: ManifestRow = {
    seq,
    passages_version: await tables.passages.version(),
    items_version: await tables.items.version(),
    courses_version: await tables.courses.version(),
    dimension,
    course: doc.id,
    finished_at: new Date().toISOString(),
  };
  await tables.manifest.add(lancedb.makeArrowTable([entry as unknown as Record<string, unknown>], { schema: manifestSchema }));
  input.onProgress?.({ phase: "write", done: 3, total: 3 });
  await pruneOldVersions(tables, manifest ? [manifest, entry] : [entry], env.TUTOR_STORE_RETENTION_MINUTES * 60_000);

  return {
    passages: rows.length,
    embedded: toEmbed.length,
    reusedVectors: unchanged,
    unchanged,
    removed,
    items: itemRows.length,
    seq,
  };
}

/**
 * Below this many embedded passages no vector index is built: readers search such courses exactly, in
 * memory (lib/store/read.ts, `searchPassagesVector`). Above it, an IVF-RQ index keeps dense search fast.
 */
export const VECTOR_INDEX_MIN_ROWS = 20_000;

/**
 * Builds (or rebuilds, once a tenth of the rows are unindexed) the vector index when the table is large.
 * IVF-RQ (RaBitQ, 1 bit per dimension, re-ranked with the exact vectors at query time): on 100,000
 * clustered 384-dim vectors it builds in ~7 s with recall@10 0.985, where IVF-PQ took 72 s for 0.81
 * (measured on this 2-core machine; docs/ARCHITECTURE.md).
 */
async function ensureVectorIndex(table: lancedb.Table): Promise<void> {
  const rows = await table.countRows("model != ''");
  if (rows < VECTOR_INDEX_MIN_ROWS) return;
  const existing = (await table.listIndices()).find((i) => i.columns.includes("vector"));
  if (existing) {
    const stats = await table.indexStats(existing.name);
    if (stats && stats.numUnindexedRows < rows / 10) return;
  }
  await table.createIndex("vector", {
    config: lancedb.Index.ivfRq({ distanceType: "cosine", numPartitions: Math.max(1, Math.round(Math.sqrt(rows))) }),
    replace: true,
  });
}

/**
 * Removes old table versions (and the files only they use), so a store does not grow with every ingest.
 * Runs after the commit point, under the ingest lock: no other writer can have files in flight (hence
 * `deleteUnverified`). Kept: every version of the last `retainMs`, the version the new manifest row pins,
 * and the one the previous row pinned (a reader may have just taken that snapshot) with everything newer.
 * LanceDB's optimize also compacts small fragments into a newer version; the manifest still names the
 * committed one, and the next ingest starts from it, as after any run. A failure here loses nothing (the
 * ingest is already committed): it is logged, not thrown.
 */
async function pruneOldVersions(tables: Tables, committed: ManifestRow[], retainMs: number): Promise<void> {
  const byRetention = Date.now() - retainMs;
  for (const [name, table] of Object.entries(tables) as [keyof Tables, lancedb.Table][]) {
    try {
      let cutoff = byRetention;
      if (name !== "manifest") {
        const key = `${name}_version` as const;
        const pinned = new Set(committed.map((m) => Number(m[key])));
        for (const v of await table.listVersions()) if (pinned.has(v.version)) cutoff = Math.min(cutoff, v.timestamp.getTime() - 1);
      }
      await table.optimize({ cleanupOlderThan: new Date(cutoff), deleteUnverified: true });
    } catch (e) {
      log.warn({ table: name, err: (e as Error).message }, "could not remove old store versions; they stay until the next ingest");
    }
  }
}

/** One atomic commit: update changed rows, insert new ones, delete this course's rows that vanished. */
async function upsertCourseRows(
  table: lancedb.Table,
  schema: Schema,
  rows: object[],
  course: string,
  force: boolean,
  changed = "target.hash != source.hash",
): Promise<void> {
  const data = lancedb.makeArrowTable(rows as Record<string, unknown>[], { schema });
  await table
    .mergeInsert("id")
    .whenMatchedUpdateAll(force ? undefined : { where: changed })
    .whenNotMatchedInsertAll()
    .whenNotMatchedBySourceDelete({ where: `course = ${sqlString(course)}` })
    .execute(data);
}

interface Tables {
  passages: lancedb.Table;
  items: lancedb.Table;
  courses: lancedb.Table;
  manifest: lancedb.Table;
}

/**
 * Opens (creating when missing) the tables, rolled back to the versions the last manifest row names:
 * anything a killed run committed after that point is undone before writing.
 */
async function openTables(conn: lancedb.Connection, manifest: ManifestRow | null, dimension: number, rebuild: boolean): Promise<Tables> {
  const names = await existingTables(conn, Object.values(TABLES));
  if (!manifest) {
    // No committed run yet: whatever exists is debris of a first run that died. Start clean.
    for (const n of [TABLES.passages, TABLES.items, TABLES.courses]) if (names.has(n)) await conn.dropTable(n);
    names.delete(TABLES.passages);
    names.delete(TABLES.items);
    names.delete(TABLES.courses);
  } else if (manifest.dimension !== dimension) {
    if (!rebuild) {
      throw new TutorError(
        "bad-request",
        `this store holds ${manifest.dimension}-dim vectors but the model gives ${dimension}: re-run with --rebuild (re-ingests from scratch) or use another --db`,
      );
    }
    // A new vector width cannot share a table with the old one: recreate (other courses must be re-ingested).
    for (const n of [TABLES.passages, TABLES.items, TABLES.courses, TABLES.manifest]) if (names.has(n)) await conn.dropTable(n);
    names.clear();
    manifest = null;
  }
  const open = async (name: string, schema: Schema) =>
    names.has(name) ? conn.openTable(name) : conn.createEmptyTable(name, schema, { mode: "create", existOk: true });
  const tables: Tables = {
    passages: await open(TABLES.passages, passagesSchema(dimension)),
    items: await open(TABLES.items, itemsSchema),
    courses: await open(TABLES.courses, coursesSchema),
    manifest: await open(TABLES.manifest, manifestSchema),
  };
  if (manifest) {
    const want: [lancedb.Table, number][] = [
      [tables.passages, manifest.passages_version],
      [tables.items, manifest.items_version],
      [tables.courses, manifest.courses_version],
    ];
    for (const [table, version] of want) {
      if ((await table.version()) !== version) {
        await table.checkout(version);
        await table.restore();
      }
    }
  }
  await addMissingColumns(tables.courses, coursesSchema);
  await addMissingColumns(tables.items, itemsSchema);
  return tables;
}

/**
 * A store written before a column of `courses` or `items` existed gets it (null for the old rows), after the
 * roll back to the manifest's version, so the merge-insert of the new rows matches the table's schema.
 */
async function addMissingColumns(table: lancedb.Table, schema: Schema): Promise<void> {
  const have = new Set((await table.schema()).fields.map((f) => f.name));
  const missing = schema.fields.filter((f) => !have.has(f.name));
  if (!missing.length) return;
  await table.addColumns(missing.map((f) => ({ name: f.name, valueSql: `CAST(NULL AS ${f.type.toString() === "Int32" ? "INT" : "STRING"})` })));
}

/**
 * An exclusive lock file beside a local store, so two ingests never interleave their commits. A lock
 * whose process is gone is taken over. (Object-store URIs are not locked: run one ingest at a time.)
 */
function acquireLock(uri: string): () => void {
  if (isObjectStoreUri(uri)) return () => {};
  mkdirSync(uri, { recursive: true });
  const lock = path.join(uri, ".ingest.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lock);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(readFileSync(lock, "utf8").trim());
      if (pid && isAlive(pid) && pid !== process.pid) {
        throw new TutorError("store-unavailable", `another ingest (pid ${pid}) is writing to ${uri}; wait for it to finish`);
      }
      unlinkSync(lock);
    }
  }
  throw new TutorError("store-unavailable", `could not lock ${uri}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Kills the process at a named point when the test hook asks for it (see TUTOR_TEST_CRASH_AT). */
function crashPoint(name: NonNullable<typeof env.TUTOR_TEST_CRASH_AT>): void {
  if (env.TUTOR_TEST_CRASH_AT === name) process.kill(process.pid, "SIGKILL");
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
