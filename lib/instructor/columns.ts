import type { Table } from "@lancedb/lancedb";
import { connectStore, resolveDbUri } from "../store/connection";
import { openTableHealing } from "../store/heal";
import { sqlString } from "../store/read";
import { flushInsights, INSIGHTS_TABLE, type InsightRow } from "../insights/store";

/**
 * The instructor page's read of the insights table (lib/insights/store.ts writes it): the same rows as
 * `queryInsights`, with the course and period filter pushed to LanceDB, decoded straight from the Arrow
 * buffers. LanceDB's row objects (`toArray`) cost most of the page's budget (≤ 1 s) at 100,000 rows; here
 * the short strings that repeat (labels, verdicts, scopes) are decoded once each and shared, and a row is a
 * plain object. Buffered rows of this process are flushed first, so the page shows what was just recorded.
 */
const COLUMNS = ["answer_id", "time", "named", "absent", "retrieved", "cited", "verdicts", "grounded", "scope", "hint", "mode", "rating", "comment"];

function periodFilter(course: string, since?: number | null, until?: number | null): string {
  const where = [`course = ${sqlString(course)}`];
  if (since != null && Number.isFinite(since)) where.push(`time >= ${since}`);
  if (until != null && Number.isFinite(until)) where.push(`time < ${until}`);
  return where.join(" AND ");
}

async function withInsightsTable<T>(db: string | undefined, empty: T, fn: (t: Table) => Promise<T>): Promise<T> {
  const uri = resolveDbUri(db);
  await flushInsights(db);
  const conn = await connectStore(uri);
  if (!(await conn.tableNames()).includes(INSIGHTS_TABLE)) return empty;
  const table = await openTableHealing(conn, uri, INSIGHTS_TABLE);
  try {
    return await fn(table);
  } finally {
    table.close();
  }
}

/**
 * A course's recorded answers in [since, until) (ms since the epoch; unset: unbounded), in the table's order,
 * each with `question` null: the texts are read for the few answers a page lists (`readQuestionTexts`).
 * Rows share their label arrays (an empty list, a list of one label): treat them as read-only.
 */
export function readInsightRows(opts: { db?: string; course: string; since?: number | null; until?: number | null }): Promise<InsightRow[]> {
  return withInsightsTable(opts.db, [] as InsightRow[], async (table) => {
    const arrow = await table.query().where(periodFilter(opts.course, opts.since, opts.until)).select(COLUMNS).toArrow();
    const dict = new Dictionary();
    const decoder = new TextDecoder();
    const lists = new ListCache();
    const rows: InsightRow[] = new Array(arrow.numRows);
    let at = 0;
    for (const batch of arrow.batches) {
      const col = (name: string) => batch.getChild(name)!.data[0] as unknown as ArrowData;
      const time = col("time");
      const [answerId, named, absent, retrieved, cited, verdicts] = ["answer_id", "named", "absent", "retrieved", "cited", "verdicts"].map(col);
      const [grounded, scope, hint, mode, rating, comment] = ["grounded", "scope", "hint", "mode", "rating", "comment"].map(col);
      for (let i = 0; i < batch.numRows; i++) {
        rows[at++] = {
          answer_id: asciiString(answerId, i, decoder) ?? "",
          course: opts.course,
          time: (time.values as unknown as Float64Array)[time.offset + i],
          named: lists.at(named, i, dict),
          absent: lists.at(absent, i, dict),
          retrieved: lists.at(retrieved, i, dict),
          cited: lists.at(cited, i, dict),
          verdicts: lists.at(verdicts, i, dict),
          grounded: boolAt(grounded, i),
          scope: shortString(scope, i, dict) as InsightRow["scope"],
          hint: boolAt(hint, i),
          mode: shortString(mode, i, dict) as InsightRow["mode"],
          rating: shortString(rating, i, dict) as InsightRow["rating"],
          comment: longString(comment, i, decoder),
          question: null,
        };
      }
    }
    return rows;
  });
}

/** The question texts (null where the course keeps none) of the given answers of a course, by answer id. */
export function readQuestionTexts(opts: { db?: string; course: string; answerIds: string[] }): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (!opts.answerIds.length) return Promise.resolve(out);
  return withInsightsTable(opts.db, out, async (table) => {
    const ids = [...new Set(opts.answerIds)].map(sqlString).join(", ");
    const rows = (await table.query().where(`course = ${sqlString(opts.course)} AND answer_id IN (${ids})`).select(["answer_id", "question"]).toArray()) as {
      answer_id: string;
      question: string | null;
    }[];
    for (const r of rows) out.set(String(r.answer_id), r.question ?? null);
    return out;
  });
}

/** Arrow's buffers of one column chunk, as much of apache-arrow's `Data` as this reader uses. */
interface ArrowData {
  offset: number;
  length: number;
  valueOffsets: Int32Array;
  values: Uint8Array;
  nullBitmap?: Uint8Array | null;
  nullCount: number;
  children: ArrowData[];
}

function isNull(d: ArrowData, i: number): boolean {
  if (!d.nullCount || !d.nullBitmap || d.nullBitmap.length === 0) return false;
  const bit = d.offset + i;
  return (d.nullBitmap[bit >> 3] & (1 << (bit & 7))) === 0;
}

/**
 * UTF-8 strings, each distinct UTF-8 byte sequence decoded once: bytes are hashed (FNV-1a) and compared
 * with the code's bytes, so the hot path does integer work only (no string is built per row).
 */
class Dictionary {
  readonly strings: string[] = [];
  private bytes: Uint8Array[] = [];
  private decoder = new TextDecoder();
  private byHash = new Map<number, number[]>();
  string(bytes: Uint8Array, start: number, end: number): string {
    return this.strings[this.code(bytes, start, end)];
  }
  code(bytes: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    const len = end - start;
    let codes = this.byHash.get(h);
    if (codes) {
      for (const c of codes) {
        const b = this.bytes[c];
        if (b.length !== len) continue;
        let same = true;
        for (let i = 0; i < len; i++) if (b[i] !== bytes[start + i]) {
          same = false;
          break;
        }
        if (same) return c;
      }
    } else this.byHash.set(h, (codes = []));
    const c = this.strings.length;
    this.bytes.push(bytes.slice(start, end));
    this.strings.push(this.decoder.decode(bytes.subarray(start, end)));
    codes.push(c);
    return c;
  }
}

/**
 * List cells as arrays, the common ones shared: every empty list is one array, every list of one label the
 * same array for that label (most rows name, retrieve and cite one label or none) — 100,000 rows then
 * allocate a few hundred arrays, not half a million.
 */
class ListCache {
  private readonly empty: string[] = [];
  private readonly single = new Map<number, string[]>();
  at(list: ArrowData, i: number, dict: Dictionary): string[] {
    if (isNull(list, i)) return this.empty;
    const j = list.offset + i;
    const from = list.valueOffsets[j];
    const to = list.valueOffsets[j + 1];
    if (from === to) return this.empty;
    const child = list.children[0];
    if (to - from === 1 && !isNull(child, from)) {
      const c = child.offset + from;
      const code = dict.code(child.values, child.valueOffsets[c], child.valueOffsets[c + 1]);
      let one = this.single.get(code);
      if (!one) this.single.set(code, (one = [dict.strings[code]]));
      return one;
    }
    const out: string[] = [];
    for (let k = from; k < to; k++) {
      if (isNull(child, k)) continue;
      const c = child.offset + k;
      out.push(dict.string(child.values, child.valueOffsets[c], child.valueOffsets[c + 1]));
    }
    return out;
  }
}

function shortString(d: ArrowData, i: number, dict: Dictionary): string | null {
  if (isNull(d, i)) return null;
  const j = d.offset + i;
  return dict.string(d.values, d.valueOffsets[j], d.valueOffsets[j + 1]);
}

function longString(d: ArrowData, i: number, decoder: TextDecoder): string | null {
  if (isNull(d, i)) return null;
  const j = d.offset + i;
  return decoder.decode(d.values.subarray(d.valueOffsets[j], d.valueOffsets[j + 1]));
}

/** An id (ASCII, such as a UUID) without the UTF-8 decoder's per-call cost; other bytes go through it. */
function asciiString(d: ArrowData, i: number, decoder: TextDecoder): string | null {
  if (isNull(d, i)) return null;
  const j = d.offset + i;
  const from = d.valueOffsets[j];
  const to = d.valueOffsets[j + 1];
  let s = "";
  for (let k = from; k < to; k++) {
    const b = d.values[k];
    if (b > 0x7f) return decoder.decode(d.values.subarray(from, to));
    s += String.fromCharCode(b);
  }
  return s;
}

function boolAt(d: ArrowData, i: number): boolean {
  if (isNull(d, i)) return false;
  const bit = d.offset + i;
  return (d.values[bit >> 3] & (1 << (bit & 7))) !== 0;
}
