import type * as lancedb from "@lancedb/lancedb";
import { TutorError } from "../errors";
import { connectStore, resolveDbUri } from "./connection";
import { TABLES, type CourseRow, type ItemRow, type ManifestRow } from "./schema";

/** SQL string literal for LanceDB filters. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The newest committed manifest row, or null for an empty store. */
export async function readManifest(conn: lancedb.Connection): Promise<ManifestRow | null> {
  const names = await conn.tableNames();
  if (!names.includes(TABLES.manifest)) return null;
  const table = await conn.openTable(TABLES.manifest);
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
  dimension: number;
  passages: lancedb.Table;
  items: lancedb.Table;
  courses: lancedb.Table;
  /** Per-snapshot memo (items of a course, course list): snapshots are immutable, so this never goes stale. */
  memo: Map<string, Promise<unknown>>;
}

interface CacheEntry {
  checkedAt: number;
  snapshot: Promise<Snapshot | null>;
}

const SNAPSHOT_TTL_MS = 1000;
const snapshots: Map<string, CacheEntry> = ((globalThis as Record<string, unknown>).__tutorSnapshots ??= new Map()) as Map<string, CacheEntry>;

/** Forget cached snapshots of a store (after this process wrote to it). */
export function invalidateSnapshots(db?: string): void {
  snapshots.delete(resolveDbUri(db));
}

/**
 * The current snapshot of a store, or null when nothing was ever ingested. The manifest is re-read at
 * most once a second, so a finished ingest is visible to a running app within a second.
 */
export async function openSnapshot(db?: string): Promise<Snapshot | null> {
  const uri = resolveDbUri(db);
  const now = Date.now();
  const cached = snapshots.get(uri);
  if (cached && now - cached.checkedAt < SNAPSHOT_TTL_MS) return cached.snapshot;
  const previous = cached ? await cached.snapshot.catch(() => null) : null;
  const next = (async () => {
    let conn: lancedb.Connection;
    try {
      conn = await connectStore(uri);
    } catch (e) {
      throw new TutorError("store-unavailable", "The course store cannot be opened.", { cause: e });
    }
    const manifest = await readManifest(conn);
    if (!manifest) return null;
    if (previous && previous.seq === Number(manifest.seq)) return previous;
    const open = async (name: string, version: number) => {
      const t = await conn.openTable(name);
      await t.checkout(Number(version));
      return t;
    };
    return {
      seq: Number(manifest.seq),
      dimension: Number(manifest.dimension),
      passages: await open(TABLES.passages, manifest.passages_version),
      items: await open(TABLES.items, manifest.items_version),
      courses: await open(TABLES.courses, manifest.courses_version),
      memo: new Map(),
    } satisfies Snapshot;
  })();
  snapshots.set(uri, { checkedAt: now, snapshot: next });
  next.catch(() => snapshots.delete(uri));
  return next;
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

/** Every citable item of a course, in notes order (memoised per snapshot). */
export function listCourseItems(snap: Snapshot, course: string): Promise<ItemRow[]> {
  return memo(snap, `items:${course}`, async () => {
    const rows = (await snap.items.query().where(`course = ${sqlString(course)}`).toArray()) as ItemRow[];
    return rows.map((r) => ({ ...r, line: Number(r.line), end_line: Number(r.end_line), ord: Number(r.ord) })).sort((a, b) => a.ord - b.ord);
  });
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

/** BM25 full-text search over passage text within one course. */
export async function searchPassagesText(snap: Snapshot, opts: { course: string; query: string; k: number }): Promise<PassageHit[]> {
  const q = toFullTextQuery(opts.query);
  if (!q) return [];
  const rows = (await snap.passages
    .search(q, "fts", "text")
    .where(`course = ${sqlString(opts.course)}`)
    .select(["id", "course", "section", "heading", "heading_path", "text", "refs", "file", "line", "end_line", "_score"])
    .limit(opts.k)
    .toArray()) as Record<string, unknown>[];
  return rows.map(toPassageHit);
}

/** Passages by id, in the order asked. */
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
 * Nearest passages to a query vector (cosine) within one course, among passages embedded by `model`
 * (vectors of another model live in another space). `score` is the cosine similarity.
 */
export async function searchPassagesVector(
  snap: Snapshot,
  opts: { course: string; vector: Float32Array | number[]; model: string; k: number },
): Promise<PassageHit[]> {
  const rows = (await snap.passages
    .query()
    .nearestTo(Array.from(opts.vector))
    .column("vector")
    .distanceType("cosine")
    // Only used when an IVF-PQ index exists (large stores): re-rank PQ candidates with the exact vectors.
    .nprobes(20)
    .refineFactor(4)
    .where(`course = ${sqlString(opts.course)} AND model = ${sqlString(opts.model)}`)
    .select(HIT_COLUMNS)
    .limit(opts.k)
    .toArray()) as Record<string, unknown>[];
  return rows.map((r) => ({ ...toPassageHit(r), score: 1 - Number(r._distance ?? 1) }));
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

/** Every passage of a course (id, text, refs, headings), memoised per snapshot: for term statistics and evaluation. */
export function listCoursePassages(snap: Snapshot, course: string): Promise<PassageHit[]> {
  return memo(snap, `passages:${course}`, async () => {
    const rows = (await snap.passages.query().where(`course = ${sqlString(course)}`).select(HIT_COLUMNS).toArray()) as Record<string, unknown>[];
    return rows.map(toPassageHit);
  });
}

/** Memoises any per-snapshot derived data (e.g. term statistics) under a key. */
export function memoOnSnapshot<T>(snap: Snapshot, key: string, load: () => Promise<T>): Promise<T> {
  return memo(snap, key, load);
}
