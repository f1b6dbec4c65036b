import type * as lancedb from "@lancedb/lancedb";
import { TutorError } from "../errors";
import { env } from "../env";
import { log } from "../log";
import { connectStore, resolveDbUri } from "./connection";
import { openManifestTable, openNewestReadable } from "./heal";
import { mirrorOf } from "./mirror";
import { openIfExists } from "./tables";
import { TABLES, type CourseRow, type ItemRow, type ManifestRow } from "./schema";
import { parseExercisePolicies, withholdView, type WithholdView } from "../policy/withhold";

/** SQL string literal for LanceDB filters. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The newest committed manifest row, or null for an empty store. */
export async function readManifest(conn: lancedb.Connection): Promise<ManifestRow | null> {
  const table = await openIfExists(conn, TABLES.manifest);
  if (!table) return null;
  const rows = (await table.query().select(["seq", "passages_version", "items_version", "courses_version", "dimension", "course", "finished_at"]).toArray()) as ManifestRow[];
  if (!rows.length) return null;
  return rows.reduce((a, b) => (Number(b.seq) > Number(a.seq) ? b : a));
}

/**
 * A consistent read view: every table checked out at the versions of one manifest row. Ingest runs
 * commit new versions and then a manifest row, so a reader holding a snapshot never sees a half-run.
 */
export interface Snapshot {
  seq: number;
  /** The newest manifest row's seq: differs from `seq` while an older, complete version is served. */
  newestSeq: number;
  /** The newest manifest row's identity (lib/store/heal.ts `rowId`). */
  newestId: string;
  dimension: number;
  passages: lancedb.Table;
  items: lancedb.Table;
  courses: lancedb.Table;
  /** Per-snapshot memo (items of a course, course list): snapshots are immutable, so this never goes stale. */
  memo: Map<string, Promise<unknown>>;
  /** Recent full-text rankings (ids and scores) by query, bounded (SEARCH_CACHE_MAX): see `cachedRanking`. */
  searches: Map<string, Promise<Ranked[]>>;
}

type Ranked = { id: string; score: number };

/**
 * Full-text rankings kept per snapshot, the most recently used. A class asks the same things over and over
 * ("hint for exercise 1.41"), and a ranking of an immutable snapshot never goes stale; each LanceDB query
 * costs more CPU (the query, then Arrow decoding) than the rest of retrieval. Bounded, so a stream of
 * distinct questions cannot grow memory; an entry is a few hundred bytes.
 */
export const SEARCH_CACHE_MAX = 2000;

function cachedRanking(snap: Snapshot, key: string, load: () => Promise<Ranked[]>): Promise<Ranked[]> {
  return lruMemo(snap.searches, key, load, SEARCH_CACHE_MAX);
}

/**
 * `cache`'s promise for `key`, else `load()`'s (kept; forgotten if it fails), holding at most `max` entries: the
 * least recently used goes first (a Map keeps insertion order, so a hit moves to the end).
 */
export function lruMemo<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>, max: number): Promise<T> {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const p = load();
  cache.set(key, p);
  p.catch(() => cache.delete(key));
  if (cache.size > max) cache.delete(cache.keys().next().value!);
  return p;
}

/**
 * What a process holds of one store: the snapshot it serves and a watch on the store's manifest table. A timer
 * checks every TUTOR_STORE_CHECK_MS whether the manifest table has a new version (one listing of its
 * `_versions/` on object storage); only then is an s3:// store's local copy updated and the new snapshot
 * opened (from that copy), read through and warmed
 * (`warmSnapshot`), and swapped in whole. Requests never wait for a check or a reload, and each request holds
 * one snapshot from start to end: an answer is from the old version or the new one, never a mix.
 */
interface StoreWatch {
  /** The snapshot served; null: nothing ingested yet. Pending only until the first load. */
  current: Promise<Snapshot | null>;
  loaded?: Snapshot | null;
  /** Version of the manifest table `loaded` was read at. */
  manifestVersion?: number;
  manifest?: lancedb.Table | null;
  timer?: ReturnType<typeof setInterval>;
  /** A refresh is running (it closes the manifest handle itself when the watch was closed meanwhile). */
  checking?: boolean;
  closed?: boolean;
  /** The last failed check's message: a failure that repeats every tick is logged once, not every second. */
  failing?: string;
}

const watches: Map<string, StoreWatch> = ((globalThis as Record<string, unknown>).__tutorStoreWatches ??= new Map()) as Map<string, StoreWatch>;

/** Forget the cached snapshot of a store (after this process wrote to it, or a read under it failed). */
export function invalidateSnapshots(db?: string): void {
  const uri = resolveDbUri(db);
  const w = watches.get(uri);
  if (!w) return;
  watches.delete(uri);
  w.closed = true;
  if (w.timer) clearInterval(w.timer);
  if (!w.checking) w.manifest?.close();
}

/**
 * The current snapshot of a store, or null when nothing was ever ingested. Only the first call of a process
 * (or the first after `invalidateSnapshots`) waits for a load; afterwards the snapshot in memory is returned
 * and replaced in the background when another process publishes a version (see StoreWatch).
 */
export function openSnapshot(db?: string): Promise<Snapshot | null> {
  const uri = resolveDbUri(db);
  const w = watches.get(uri);
  if (w) return w.loaded !== undefined ? Promise.resolve(w.loaded) : w.current;
  const watch: StoreWatch = { current: Promise.resolve(null), checking: true };
  watch.current = refresh(uri, watch).then(
    () => {
      // Invalidated while loading (this process wrote meanwhile): the caller still gets the complete version it
      // loaded; the next call loads afresh.
      if (!watch.closed) {
        watch.timer = setInterval(() => void check(uri, watch), env.TUTOR_STORE_CHECK_MS);
        watch.timer.unref?.();
      }
      return watch.loaded ?? null;
    },
    (e) => {
      if (watches.get(uri) === watch) invalidateSnapshots(uri);
      throw e;
    },
  );
  watches.set(uri, watch);
  return watch.current;
}

/** One background check; a failure keeps the served snapshot (logged, tried again at the next tick). */
async function check(uri: string, watch: StoreWatch): Promise<void> {
  if (watch.checking || watch.closed) return;
  watch.checking = true;
  try {
    await refresh(uri, watch);
    if (watch.failing !== undefined) log.info("store: version checks work again");
    watch.failing = undefined;
  } catch (e) {
    const message = (e as Error).message;
    if (message !== watch.failing) log.warn({ err: message }, "store: could not check for a new version; serving the one loaded (logged once until it changes)");
    watch.failing = message;
  }
}

/**
 * Loads, warms and swaps in the newest version when the manifest table moved since `watch.loaded` was read.
 * The caller has set `watch.checking`; it is cleared here.
 */
async function refresh(uri: string, watch: StoreWatch): Promise<void> {
  try {
    await refreshOnce(uri, watch);
  } finally {
    watch.checking = false;
    if (watch.closed) watch.manifest?.close();
  }
}

async function refreshOnce(uri: string, watch: StoreWatch): Promise<void> {
  let conn: lancedb.Connection;
  try {
    conn = await connectStore(uri);
  } catch (e) {
    if (e instanceof TutorError) throw e; // settings that cannot work, said with the variable to set
    throw new TutorError("store-unavailable", "The course store cannot be opened.", { cause: e });
  }
  if (watch.manifest) await watch.manifest.checkoutLatest();
  else watch.manifest = await openManifestTable(conn, uri);
  if (!watch.manifest) {
    watch.loaded = null;
    return;
  }
  const version = await watch.manifest.version();
  if (version === watch.manifestVersion) return;
  const previous = watch.loaded ?? null;
  // An s3:// store is read from this process's local copy, brought up to date first (lib/store/mirror.ts).
  let readUri = uri;
  let readConn = conn;
  if (/^s3:\/\//i.test(uri)) {
    const mirror = mirrorOf(uri);
    await mirror.sync();
    readUri = mirror.dir;
    readConn = await connectStore(readUri);
  }
  const next = await loadSnapshot(readConn, readUri, previous);
  // A replacement is warmed before it is served; a first load is not (its caller waits for it either way, and the
  // server's start-up warm-up, or the first question, loads what it needs).
  if (next && previous && next !== previous) await warmSnapshot(next);
  watch.loaded = next;
  watch.current = Promise.resolve(next);
  watch.manifestVersion = version;
}

/**
 * Functions that build per-snapshot data a question needs (lib/retrieve registers its term statistics), run
 * on a new snapshot before it is served.
 */
const warmers: Set<(snap: Snapshot) => Promise<unknown>> = ((globalThis as Record<string, unknown>).__tutorSnapshotWarmers ??= new Set()) as Set<
  (snap: Snapshot) => Promise<unknown>
>;
export function onNewSnapshot(warm: (snap: Snapshot) => Promise<unknown>): void {
  warmers.add(warm);
}

/**
 * Everything a question reads from a snapshot, loaded before the snapshot is served: courses, items, passages,
 * vectors held in memory, and the full-text indices (their first query loads them). A question is then
 * answered from memory, plus the full-text searches.
 */
async function warmSnapshot(snap: Snapshot): Promise<void> {
  for (const c of await listCourses(snap)) {
    await Promise.all([listCourseItems(snap, c.id), passagesById(snap, c.id)]);
    for (const [model, count] of await courseModels(snap, c.id)) if (model && count <= IN_MEMORY_VECTOR_MAX) await courseVectors(snap, c.id, model);
  }
  for (const table of [snap.passages, snap.items]) {
    await table.search("warm", "fts", "text").select(["id", "_score"]).limit(1).toArray().catch(() => []);
  }
  for (const warm of warmers) await warm(snap).catch((e) => log.warn({ err: (e as Error).message }, "store: warming a new snapshot failed"));
}

/**
 * Opens the tables at the newest manifest row's versions that all read (lib/store/heal.ts falls back to older
 * rows when the newest is damaged), or returns `previous` when the newest row has not moved.
 */
async function loadSnapshot(conn: lancedb.Connection, uri: string, previous: Snapshot | null): Promise<Snapshot | null> {
  const found = await openNewestReadable(conn, uri, previous);
  if (found === "unchanged") return previous;
  if (!found) return null;
  return { seq: Number(found.row.seq), newestSeq: found.newestSeq, newestId: found.newestId, dimension: Number(found.row.dimension), ...found.tables, memo: new Map(), searches: new Map() };
}

/** Like openSnapshot, but an empty store is an error a user can act on. */
export async function requireSnapshot(db?: string): Promise<Snapshot> {
  const snap = await openSnapshot(db);
  if (!snap) {
    throw new TutorError("store-empty", "No course has been ingested yet. Run: npm run ingest -- <course folder>");
  }
  return snap;
}

function memo<T>(snap: Snapshot, key: string, load: () => Promise<T>): Promise<T> {
  let p = snap.memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    snap.memo.set(key, p);
    p.catch(() => snap.memo.delete(key));
  }
  return p;
}

export function listCourses(snap: Snapshot): Promise<CourseRow[]> {
  return memo(snap, "courses", async () => {
    const rows = (await snap.courses.query().toArray()) as CourseRow[];
    return rows.map((r) => ({ ...r })).sort((a, b) => a.id.localeCompare(b.id));
  });
}

/**
 * The course a request means: the named one, else TUTOR_DEFAULT_COURSE-like `fallback`, else the only
 * course in the store. Unknown → 404 listing the known ones; several and none named → 400.
 */
export async function resolveCourse(snap: Snapshot, course?: string, fallback?: string): Promise<CourseRow> {
  const courses = await listCourses(snap);
  const wanted = course ?? fallback;
  if (wanted) {
    const found = courses.find((c) => c.id === wanted);
    if (!found) {
      throw new TutorError("unknown-course", `Unknown course "${wanted}".`, { details: { courses: courses.map((c) => c.id) } });
    }
    return found;
  }
  if (courses.length === 1) return courses[0];
  if (!courses.length) throw new TutorError("store-empty", "No course has been ingested yet. Run: npm run ingest -- <course folder>");
  throw new TutorError("ambiguous-course", `The store holds several courses; name one with course=… (${courses.map((c) => c.id).join(", ")}).`, {
    details: { courses: courses.map((c) => c.id) },
  });
}

/**
 * Every citable item of a course, in notes order (memoised per snapshot), as students may see it: the
 * solutions policy's withheld blocks are taken out (`courseWithholding`).
 */
export async function listCourseItems(snap: Snapshot, course: string): Promise<ItemRow[]> {
  const view = await courseWithholding(snap, course);
  const stored = storedCourseItems(snap, course);
  if (!view.key) return stored;
  return memo(snap, `items:${course}:${view.key}`, async () =>
    (await stored).map((r) => {
      // An exercise's text is its own body; a heading's holds its exercises after their openers.
      const text = view.text(r.text, r.kind === "exercise" ? r.label : undefined);
      return text === r.text ? r : { ...r, text };
    }),
  );
}

/** The items as stored, the policy not applied: for the policy's own view (labels) only. */
function storedCourseItems(snap: Snapshot, course: string): Promise<ItemRow[]> {
  return memo(snap, `items:${course}`, async () => {
    const rows = (await snap.items.query().where(`course = ${sqlString(course)}`).toArray()) as ItemRow[];
    return rows.map((r) => ({ ...r, line: Number(r.line), end_line: Number(r.end_line), ord: Number(r.ord) })).sort((a, b) => a.ord - b.ord);
  });
}

/**
 * The course's solutions policy as in force now (lib/policy/withhold.ts). Every reader that hands notes text
 * to a student, the LLM or a prompt goes through `listCourseItems`/`listCoursePassages`, which apply it; the
 * memo key changes when a release date passes, so a solution appears on its day without a new ingest.
 */
export async function courseWithholding(snap: Snapshot, course: string, now: Date = new Date()): Promise<WithholdView> {
  const row = (await listCourses(snap)).find((c) => c.id === course);
  const policies = parseExercisePolicies(row?.policy);
  if (!Object.keys(policies).length) return withholdView({}, [], now);
  const labels = await memo(snap, `labels:${course}`, async () => (await storedCourseItems(snap, course)).map((i) => i.label));
  return withholdView(policies, labels, now);
}

export interface PassageHit {
  id: string;
  course: string;
  section: string;
  heading: string;
  headingPath: string;
  text: string;
  refs: string[];
  file: string;
  line: number;
  endLine: number;
  score: number;
}

/** Words only: the full-text query parser must never see user punctuation (LaTeX, quotes, operators). */
export function toFullTextQuery(question: string): string {
  return (question.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).join(" ").slice(0, 1000);
}

/**
 * BM25 full-text search over passage text within one course. Only ids and scores cross from LanceDB; the
 * passages come from the per-snapshot memo (the scope check holds them in memory anyway).
 */
export async function searchPassagesText(snap: Snapshot, opts: { course: string; query: string; k: number }): Promise<PassageHit[]> {
  const q = toFullTextQuery(opts.query);
  if (!q) return [];
  const ranked = await cachedRanking(snap, `p|${opts.course}|${opts.k}|${q}`, async () => {
    let search = snap.passages.search(q, "fts", "text");
    // A filter costs the full-text query a pass over the rows (~1–2 ms on 1,000 passages): skip it when it keeps everything.
    if ((await listCourses(snap)).length > 1) search = search.where(`course = ${sqlString(opts.course)}`);
    const rows = (await search.select(["id", "_score"]).limit(opts.k).toArray()) as { id: string; _score: number }[];
    return rows.map((r) => ({ id: String(r.id), score: Number(r._score) }));
  });
  return hitsOf(snap, opts.course, ranked);
}

/**
 * BM25 over the course's numbered items (exercises, theorems, examples… one unit each, headings left out),
 * returned as the passages that hold them, best item first. An item shares its passage with its neighbours;
 * searched alone, an exercise the question describes is not outweighed by the rest of that passage. Empty
 * for a store written before items had a full-text index (the next ingest adds it).
 */
export async function searchItemsText(snap: Snapshot, opts: { course: string; query: string; k: number; kind?: string }): Promise<PassageHit[]> {
  const q = toFullTextQuery(opts.query);
  if (!q) return [];
  const ranked = await cachedRanking(snap, `i|${opts.course}|${opts.k}|${opts.kind ?? ""}|${q}`, async () => {
    let rows: { passage_id: string; kind: string; course: string; _score: number }[];
    try {
      // Headings (whole sections) are passages' business; over-fetch so k items remain after dropping them.
      let search = snap.items.search(q, "fts", "text");
      if (opts.kind) search = search.where(`kind = ${sqlString(opts.kind)}`);
      rows = (await search.select(["passage_id", "kind", "course", "_score"]).limit(opts.k * 3).toArray()) as typeof rows;
    } catch {
      return [];
    }
    const seen = new Set<string>();
    const out: Ranked[] = [];
    for (const r of rows) {
      if (r.course !== opts.course || HEADING_KINDS_SET.has(String(r.kind)) || seen.has(String(r.passage_id))) continue;
      seen.add(String(r.passage_id));
      out.push({ id: String(r.passage_id), score: Number(r._score) });
    }
    return out.slice(0, opts.k);
  });
  return hitsOf(snap, opts.course, ranked);
}

const HEADING_KINDS_SET = new Set(["chapter", "section", "subsection"]);

/** The course's passages for ids and scores LanceDB returned, from the per-snapshot memo, in order. */
async function hitsOf(snap: Snapshot, course: string, ranked: { id: string; score: number }[]): Promise<PassageHit[]> {
  const byId = await passagesById(snap, course);
  return ranked.flatMap(({ id, score }) => {
    const hit = byId.get(id);
    return hit ? [{ ...hit, score }] : [];
  });
}

/** A course's passages by id, in the order asked, from the per-snapshot memo (no query). */
export async function getCoursePassages(snap: Snapshot, course: string, ids: string[]): Promise<PassageHit[]> {
  if (!ids.length) return [];
  const byId = await passagesById(snap, course);
  return ids.flatMap((id) => {
    const hit = byId.get(id);
    return hit ? [{ ...hit }] : [];
  });
}

/** Passages by id, in the order asked, as stored (the solutions policy not applied: the ingest's checks and tests only). */
export async function getPassages(snap: Snapshot, ids: string[]): Promise<PassageHit[]> {
  if (!ids.length) return [];
  const rows = (await snap.passages
    .query()
    .where(`id IN (${ids.map(sqlString).join(", ")})`)
    .select(["id", "course", "section", "heading", "heading_path", "text", "refs", "file", "line", "end_line"])
    .toArray()) as Record<string, unknown>[];
  const byId = new Map(rows.map((r) => [String(r.id), toPassageHit(r)]));
  return ids.map((id) => byId.get(id)).filter((p): p is PassageHit => !!p);
}

function toPassageHit(r: Record<string, unknown>): PassageHit {
  const refs = r.refs as { toArray?: () => string[] } | string[] | null;
  return {
    id: String(r.id),
    course: String(r.course),
    section: String(r.section),
    heading: String(r.heading),
    headingPath: String(r.heading_path),
    text: String(r.text),
    refs: Array.isArray(refs) ? refs : refs?.toArray ? Array.from(refs.toArray()) : [],
    file: String(r.file),
    line: Number(r.line),
    endLine: Number(r.end_line),
    score: Number(r._score ?? r._relevance_score ?? 0),
  };
}

const HIT_COLUMNS = ["id", "course", "section", "heading", "heading_path", "text", "refs", "file", "line", "end_line"];

/**
 * Up to this many passages of one course and model, dense search is an exact scan of the vectors held in
 * memory (1.5 KB a passage): a few hundred microseconds for 1,000 passages, where one LanceDB query costs
 * ~10 ms. Larger courses are searched in LanceDB, through the IVF-RQ index ingestion builds from 20,000
 * rows (VECTOR_INDEX_MIN_ROWS in write.ts).
 */
export const IN_MEMORY_VECTOR_MAX = 20_000;

/**
 * Nearest passages to a query vector (cosine) within one course, among passages embedded by `model`
 * (vectors of another model live in another space). `score` is the cosine similarity.
 */
export async function searchPassagesVector(
  snap: Snapshot,
  opts: { course: string; vector: Float32Array | number[]; model: string; k: number },
): Promise<PassageHit[]> {
  const count = (await courseModels(snap, opts.course)).get(opts.model) ?? 0;
  if (!count) return [];
  return count <= IN_MEMORY_VECTOR_MAX ? searchVectorsInMemory(snap, opts) : searchVectorsInStore(snap, opts);
}

/** Dense search by LanceDB (flat scan, or the vector index when the table has one). */
export async function searchVectorsInStore(
  snap: Snapshot,
  opts: { course: string; vector: Float32Array | number[]; model: string; k: number },
): Promise<PassageHit[]> {
  let query = snap.passages
    .query()
    .nearestTo(Array.from(opts.vector))
    .column("vector")
    .distanceType("cosine")
    // Only used when a vector index exists: probe 20 partitions, re-rank 4×k candidates with the exact vectors.
    .nprobes(20)
    .refineFactor(4);
  if (!(await onlyContent(snap, opts.course, opts.model))) query = query.where(`course = ${sqlString(opts.course)} AND model = ${sqlString(opts.model)}`);
  const rows = (await query.select(["id"]).limit(opts.k).toArray()) as { id: string; _distance: number }[];
  return hitsOf(snap, opts.course, rows.map((r) => ({ id: String(r.id), score: 1 - Number(r._distance ?? 1) })));
}

/** True when the store holds only this course, all of it embedded by this model: filters would keep every row. */
async function onlyContent(snap: Snapshot, course: string, model: string): Promise<boolean> {
  const [courses, models] = await Promise.all([listCourses(snap), courseModels(snap, course)]);
  return courses.length === 1 && models.size === 1 && models.has(model);
}

interface VectorMatrix {
  ids: string[];
  dimension: number;
  /** Row-major, each row scaled to unit length. */
  data: Float32Array;
}

/** Exact cosine search over the course's vectors, held in memory per snapshot. */
export async function searchVectorsInMemory(
  snap: Snapshot,
  opts: { course: string; vector: Float32Array | number[]; model: string; k: number },
): Promise<PassageHit[]> {
  const m = await courseVectors(snap, opts.course, opts.model);
  const q = Float32Array.from(opts.vector);
  if (q.length !== m.dimension) throw new TutorError("bad-request", `query vector has ${q.length} dimensions, the store ${m.dimension}`);
  let norm = 0;
  for (let j = 0; j < q.length; j++) norm += q[j] * q[j];
  norm = Math.sqrt(norm) || 1;
  // Top k by insertion into a short sorted list: k is small, the scan dominates.
  const top: { i: number; s: number }[] = [];
  const { data, dimension } = m;
  for (let i = 0, off = 0; i < m.ids.length; i++, off += dimension) {
    // Four accumulators: V8 keeps them in registers and overlaps the multiplies.
    let a = 0, b = 0, c = 0, d = 0, j = 0;
    for (; j + 3 < dimension; j += 4) {
      a += data[off + j] * q[j];
      b += data[off + j + 1] * q[j + 1];
      c += data[off + j + 2] * q[j + 2];
      d += data[off + j + 3] * q[j + 3];
    }
    for (; j < dimension; j++) a += data[off + j] * q[j];
    const s = (a + b + c + d) / norm;
    if (top.length === opts.k && s <= top[top.length - 1].s) continue;
    let at = top.length;
    while (at > 0 && top[at - 1].s < s) at--;
    top.splice(at, 0, { i, s });
    if (top.length > opts.k) top.pop();
  }
  return hitsOf(snap, opts.course, top.map(({ i, s }) => ({ id: m.ids[i], score: s })));
}

function courseVectors(snap: Snapshot, course: string, model: string): Promise<VectorMatrix> {
  return memo(snap, `vectors:${course}:${model}`, async () => {
    const rows = (await snap.passages
      .query()
      .where(`course = ${sqlString(course)} AND model = ${sqlString(model)}`)
      .select(["id", "vector"])
      .toArray()) as { id: string; vector: { toArray(): Float32Array } | null }[];
    const withVector = rows.filter((r) => r.vector);
    const dimension = withVector.length ? withVector[0].vector!.toArray().length : snap.dimension;
    const data = new Float32Array(withVector.length * dimension);
    withVector.forEach((r, i) => {
      const v = r.vector!.toArray();
      let n = 0;
      for (let j = 0; j < dimension; j++) n += v[j] * v[j];
      n = Math.sqrt(n) || 1;
      for (let j = 0; j < dimension; j++) data[i * dimension + j] = v[j] / n;
    });
    return { ids: withVector.map((r) => String(r.id)), dimension, data };
  });
}

async function passagesById(snap: Snapshot, course: string): Promise<Map<string, PassageHit>> {
  const { key } = await courseWithholding(snap, course);
  return memo(snap, `passages-by-id:${course}:${key}`, async () => new Map((await listCoursePassages(snap, course)).map((p) => [p.id, p])));
}

/** The model ids the course's passages were embedded with ("" = stored without vectors). */
export function courseModels(snap: Snapshot, course: string): Promise<Map<string, number>> {
  return memo(snap, `models:${course}`, async () => {
    const rows = (await snap.passages.query().where(`course = ${sqlString(course)}`).select(["model"]).toArray()) as { model: string }[];
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.model, (counts.get(r.model) ?? 0) + 1);
    return counts;
  });
}

/**
 * Every passage of a course (id, text, refs, headings), memoised per snapshot: for term statistics and
 * evaluation, and (through `passagesById`) every search. The solutions policy's withheld blocks are taken out.
 */
export async function listCoursePassages(snap: Snapshot, course: string): Promise<PassageHit[]> {
  const view = await courseWithholding(snap, course);
  const stored = memo(snap, `passages:${course}`, async () => {
    const rows = (await snap.passages.query().where(`course = ${sqlString(course)}`).select(HIT_COLUMNS).toArray()) as Record<string, unknown>[];
    return rows.map(toPassageHit);
  });
  if (!view.key) return stored;
  return memo(snap, `passages:${course}:${view.key}`, async () =>
    (await stored).map((p) => {
      const text = view.text(p.text);
      return text === p.text ? p : { ...p, text };
    }),
  );
}

/** Memoises any per-snapshot derived data (e.g. term statistics) under a key. */
export function memoOnSnapshot<T>(snap: Snapshot, key: string, load: () => Promise<T>): Promise<T> {
  return memo(snap, key, load);
}
