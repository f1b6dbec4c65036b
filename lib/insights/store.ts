/**
 * The insights store (issue 16): answered questions of courses that turn insights on, in the course store's
 * LanceDB, table `insights` (lib/insights/schema.ts). Server-only (LanceDB is native).
 *
 * API (stable: add, don't rename):
 * - `recordInsight(row, { db? })`: buffers one row in memory and returns at once; rows are appended in batches
 *   (every FLUSH_MS, or as soon as FLUSH_ROWS are waiting). The table is created by the first flush, so a store
 *   whose courses never record gets no table and no file.
 * - `flushInsights(db?)`: writes what is buffered now (tests, before a report); `flushAllInsights()`: every store's
 *   buffer (the server's shutdown).
 * - `queryInsights({ db?, course, since?, until? })`: the rows of a course in [since, until) (ms or Date), oldest
 *   first, buffered ones included; [] when there is no table.
 * - `recordFeedback({ db?, course, answerId, rating, comment? })`: sets the thumbs and comment of one answer
 *   (buffered or stored); false when no such answer of that course exists.
 * - `deleteInsightsOlderThan({ db?, course?, before })`: deletes rows older than `before` (one course, or all);
 *   returns how many went.
 * - `applyRetention({ db?, course, retentionDays })`: `deleteInsightsOlderThan` for a course's retention period,
 *   at most once an hour per course and process (the chat calls it on every record; the first call runs it).
 * - `appendInsights(rows, { db? })`: writes rows at once, in one append (imports, seeding a benchmark); the chat uses
 *   `recordInsight`.
 * - `newAnswerId()`: a random answer id (not derived from anything about the student or the conversation).
 * - `insightTableExists(db?)`.
 */
import { randomUUID } from "node:crypto";
import * as lancedb from "@lancedb/lancedb";
import type { Table as ArrowTable } from "apache-arrow";
import { log } from "../log";
import { connectStore, resolveDbUri } from "../store/connection";
import { openTableHealing } from "../store/heal";
import { sqlString } from "../store/read";
import { INSIGHTS_TABLE, insightsSchema, type InsightRating, type InsightRow } from "./schema";

export { INSIGHTS_TABLE, type InsightRow, type InsightRating, type InsightScope } from "./schema";

/** Buffered rows are appended at least this often (each append is one LanceDB fragment and version). */
export const FLUSH_MS = 5000;
/** …or as soon as this many are waiting. */
export const FLUSH_ROWS = 200;
/** Every this many appends the table's small fragments are compacted and versions older than CLEANUP_MS removed. */
const COMPACT_EVERY = 50;
const CLEANUP_MS = 10 * 60_000;
const RETENTION_EVERY_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

interface Writer {
  uri: string;
  pending: InsightRow[];
  timer?: ReturnType<typeof setTimeout>;
  /** The write in progress (writes are serialised per store). */
  chain: Promise<void>;
  appends: number;
  retentionAt: Map<string, number>;
}

const writers: Map<string, Writer> = ((globalThis as Record<string, unknown>).__tutorInsights ??= new Map()) as Map<string, Writer>;

function writerFor(db?: string): Writer {
  const uri = resolveDbUri(db);
  let w = writers.get(uri);
  if (!w) {
    w = { uri, pending: [], chain: Promise.resolve(), appends: 0, retentionAt: new Map() };
    writers.set(uri, w);
  }
  return w;
}

export function newAnswerId(): string {
  return randomUUID();
}

/** Buffers one row; never throws, never waits for the store. */
export function recordInsight(row: InsightRow, opts: { db?: string } = {}): void {
  const w = writerFor(opts.db);
  w.pending.push(row);
  if (w.pending.length >= FLUSH_ROWS) void flushWriter(w);
  else if (!w.timer) {
    w.timer = setTimeout(() => void flushWriter(w), FLUSH_MS);
    // A CLI that records (tests, `npm run ask`) is not kept alive by the timer; it flushes before it exits.
    w.timer.unref?.();
  }
}

export async function flushInsights(db?: string): Promise<void> {
  await flushWriter(writerFor(db));
}

/** Flushes the buffers of every store this process records into (server shutdown). */
export async function flushAllInsights(): Promise<void> {
  await Promise.all([...writers.values()].map(flushWriter));
}

function flushWriter(w: Writer): Promise<void> {
  if (w.timer) clearTimeout(w.timer);
  w.timer = undefined;
  const run = w.chain.then(async () => {
    const rows = w.pending.splice(0);
    if (!rows.length) return;
    try {
      await withTable(w.uri, true, async (table) => {
        await table.add(lancedb.makeArrowTable(rows as unknown as Record<string, unknown>[], { schema: insightsSchema }));
        w.appends++;
        if (w.appends % COMPACT_EVERY === 0) await compact(table);
      });
    } catch (e) {
      // Recording must never break answers: the rows are logged as lost (their count only).
      log.error({ rows: rows.length, err: (e as Error).message }, "insights: could not record answered questions");
    }
  });
  w.chain = run;
  return run;
}

/** Writes `rows` in one append now (after anything buffered). */
export async function appendInsights(rows: InsightRow[], opts: { db?: string } = {}): Promise<void> {
  const w = writerFor(opts.db);
  const run = w.chain.then(() =>
    withTable(w.uri, true, async (table) => {
      await table.add(lancedb.makeArrowTable(rows as unknown as Record<string, unknown>[], { schema: insightsSchema }));
    }),
  );
  w.chain = run.then(() => {}).catch(() => {});
  await run;
}

async function compact(table: lancedb.Table): Promise<void> {
  try {
    await table.optimize({ cleanupOlderThan: new Date(Date.now() - CLEANUP_MS) });
  } catch (e) {
    log.warn({ err: (e as Error).message }, "insights: could not compact the table; it stays as it is");
  }
}

/** The insights table, created when `create` (first flush); null when it does not exist. */
async function openInsightsTable(uri: string, create: boolean): Promise<lancedb.Table | null> {
  const conn = await connectStore(uri);
  const names = await conn.tableNames();
  if (names.includes(INSIGHTS_TABLE)) return openTableHealing(conn, uri, INSIGHTS_TABLE);
  if (!create) return null;
  return conn.createEmptyTable(INSIGHTS_TABLE, insightsSchema, { mode: "create", existOk: true });
}

/**
 * Runs `fn` on the insights table (created first when `create`), then closes the handle: a process that records
 * for weeks must not collect open handles (their native memory outlives what a garbage collection sees).
 * Resolves to undefined when there is no table and `create` is false.
 */
async function withTable<T>(uri: string, create: boolean, fn: (table: lancedb.Table) => Promise<T>): Promise<T | undefined> {
  const table = await openInsightsTable(uri, create);
  if (!table) return undefined;
  try {
    return await fn(table);
  } finally {
    table.close();
  }
}

export async function insightTableExists(db?: string): Promise<boolean> {
  const conn = await connectStore(resolveDbUri(db));
  return (await conn.tableNames()).includes(INSIGHTS_TABLE);
}

const ms = (t: number | Date) => (t instanceof Date ? t.getTime() : t);

/**
 * Query results → InsightRow[], column by column: reading 100,000 rows through Arrow's row proxies (a list column
 * a `Vector` per row) took seconds; the columns' own arrays and the lists' offsets take milliseconds.
 */
const utf8 = new TextDecoder();

function rowsFromArrow(table: ArrowTable): InsightRow[] {
  const n = table.numRows;
  // No match: LanceDB's empty result may come without the columns.
  if (!n) return [];
  const col = (name: string) => table.getChild(name);
  const strings = (name: string): (string | null)[] => {
    const v = col(name);
    return v ? (v.toArray() as (string | null)[]) : new Array<null>(n).fill(null);
  };
  const bools = (name: string): boolean[] => {
    const v = col(name)!;
    return Array.from({ length: n }, (_, i) => Boolean(v.get(i)));
  };
  const lists = (name: string): string[][] => {
    const out: string[][] = [];
    for (const data of col(name)!.data) {
      // A list's offsets index its child Utf8 column, whose own offsets index the UTF-8 bytes.
      const offsets = data.valueOffsets as Int32Array;
      const child = data.children[0];
      const charOffsets = child.valueOffsets as Int32Array;
      const bytes = child.values as Uint8Array;
      for (let i = 0; i < data.length; i++) {
        const at = data.offset + i;
        const list: string[] = [];
        if (data.getValid(i)) {
          for (let j = offsets[at]; j < offsets[at + 1]; j++) list.push(utf8.decode(bytes.subarray(charOffsets[child.offset + j], charOffsets[child.offset + j + 1])));
        }
        out.push(list);
      }
    }
    return out;
  };
  const [answerId, course, scope, mode, rating, comment, question] = ["answer_id", "course", "scope", "mode", "rating", "comment", "question"].map(strings);
  const time = Array.from(col("time")!.toArray() as Float64Array);
  const [named, absent, retrieved, cited, verdicts] = ["named", "absent", "retrieved", "cited", "verdicts"].map(lists);
  const [grounded, hint] = ["grounded", "hint"].map(bools);
  const rows: InsightRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    rows[i] = {
      answer_id: answerId[i]!,
      course: course[i]!,
      time: time[i],
      named: named[i],
      absent: absent[i],
      retrieved: retrieved[i],
      cited: cited[i],
      verdicts: verdicts[i],
      grounded: grounded[i],
      scope: scope[i] as InsightRow["scope"],
      hint: hint[i],
      mode: mode[i] as InsightRow["mode"],
      rating: (rating[i] ?? null) as InsightRating | null,
      comment: comment[i] ?? null,
      question: question[i] ?? null,
    };
  }
  return rows;
}

/** A course's rows in [since, until), oldest first, including those still buffered. */
export async function queryInsights(opts: { db?: string; course: string; since?: number | Date; until?: number | Date }): Promise<InsightRow[]> {
  const w = writerFor(opts.db);
  const since = opts.since == null ? -Infinity : ms(opts.since);
  const until = opts.until == null ? Infinity : ms(opts.until);
  await w.chain;
  const rows: InsightRow[] = [];
  await withTable(w.uri, false, async (table) => {
    const where = [`course = ${sqlString(opts.course)}`];
    if (Number.isFinite(since)) where.push(`time >= ${since}`);
    if (Number.isFinite(until)) where.push(`time < ${until}`);
    for (const r of rowsFromArrow(await table.query().where(where.join(" AND ")).toArrow())) rows.push(r);
  });
  for (const r of w.pending) if (r.course === opts.course && r.time >= since && r.time < until) rows.push({ ...r });
  return rows.sort((a, b) => a.time - b.time);
}

/** Sets the thumbs (and comment) of one recorded answer. False when the course has no such answer. */
export async function recordFeedback(opts: { db?: string; course: string; answerId: string; rating: InsightRating; comment?: string | null }): Promise<boolean> {
  const w = writerFor(opts.db);
  const comment = opts.comment?.trim() ? opts.comment.trim() : null;
  const buffered = w.pending.find((r) => r.answer_id === opts.answerId && r.course === opts.course);
  if (buffered) {
    buffered.rating = opts.rating;
    buffered.comment = comment;
    return true;
  }
  // Serialised with the appends, so feedback for a row being flushed finds it written.
  let updated = false;
  const run = w.chain.then(async () => {
    const res = await withTable(w.uri, false, (table) =>
      table.update({
        where: `answer_id = ${sqlString(opts.answerId)} AND course = ${sqlString(opts.course)}`,
        valuesSql: { rating: sqlString(opts.rating), comment: comment == null ? "CAST(NULL AS STRING)" : sqlString(comment) },
      }),
    );
    updated = (res?.rowsUpdated ?? 0) > 0;
  });
  w.chain = run.catch(() => {});
  await run;
  return updated;
}

/** Deletes rows older than `before` (of one course, or of all). Returns how many were deleted. */
export async function deleteInsightsOlderThan(opts: { db?: string; course?: string; before: number | Date }): Promise<number> {
  const w = writerFor(opts.db);
  const before = ms(opts.before);
  const keep = (r: InsightRow) => !(r.time < before && (opts.course == null || r.course === opts.course));
  const buffered = w.pending.length;
  w.pending = w.pending.filter(keep);
  let deleted = buffered - w.pending.length;
  const run = w.chain.then(async () => {
    const where = `time < ${before}${opts.course == null ? "" : ` AND course = ${sqlString(opts.course)}`}`;
    await withTable(w.uri, false, async (table) => {
      const n = await table.countRows(where);
      if (!n) return;
      await table.delete(where);
      deleted += n;
    });
  });
  w.chain = run.catch(() => {});
  await run;
  return deleted;
}

/**
 * Deletes a course's rows older than its retention period, at most once an hour per course and process
 * (the first call of a process runs it). Never throws: a failure is logged and retried next time.
 */
export async function applyRetention(opts: { db?: string; course: string; retentionDays: number; force?: boolean }): Promise<number> {
  const w = writerFor(opts.db);
  const last = w.retentionAt.get(opts.course) ?? 0;
  if (!opts.force && Date.now() - last < RETENTION_EVERY_MS) return 0;
  w.retentionAt.set(opts.course, Date.now());
  try {
    const n = await deleteInsightsOlderThan({ db: opts.db, course: opts.course, before: Date.now() - opts.retentionDays * DAY_MS });
    if (n) log.info({ course: opts.course, rows: n, retentionDays: opts.retentionDays }, "insights: rows past the retention period deleted");
    return n;
  } catch (e) {
    w.retentionAt.set(opts.course, last);
    log.warn({ course: opts.course, err: (e as Error).message }, "insights: could not delete rows past the retention period");
    return 0;
  }
}
