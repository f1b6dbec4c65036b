import { connectStore, resolveDbUri } from "../store/connection";
import { openTableHealing } from "../store/heal";
import { sqlString } from "../store/read";
import { flushInsights, INSIGHTS_TABLE } from "../insights/store";

/**
 * The instructor page's read of the insights table (lib/insights/store.ts writes it): only the columns the
 * figures need, the course and period filter pushed to LanceDB, decoded straight from the Arrow buffers.
 * Materialising 100,000 rows as objects (question text, comment and all) costs several times the whole budget
 * of the page (≤ 1 s); this reads the columns as arrays and strings only where a figure needs one.
 */

/**
 * The answered questions of a period, column by column (row i across the arrays). Strings are dictionary
 * codes into `dict` (labels, verdicts, scopes repeat thousands of times); a list column is `offsets` into
 * `values` (row i's labels are values[offsets[i]] … values[offsets[i+1] - 1]).
 */
export interface InsightColumns {
  count: number;
  dict: string[];
  time: Float64Array;
  /** Labels the question named / the answer cited (with its verdicts) / the passages' headings. */
  named: ListColumn;
  cited: ListColumn;
  verdicts: ListColumn;
  retrieved: ListColumn;
  grounded: Uint8Array;
  /** Codes of "in" | "doubted" | "declined". */
  scope: Int32Array;
  /** Codes of "up" | "down"; -1 for none. */
  rating: Int32Array;
}

export interface ListColumn {
  offsets: Int32Array;
  values: Int32Array;
}

/** Row `row`'s strings of a list column. */
export function listAt(c: InsightColumns, list: ListColumn, row: number): string[] {
  const out: string[] = [];
  for (let k = list.offsets[row]; k < list.offsets[row + 1]; k++) out.push(c.dict[list.values[k]]);
  return out;
}

/** A question to group by wording: one that the notes did not cover, or whose answer was flagged. */
export interface FlaggedQuestion {
  time: number;
  question: string | null;
  comment: string | null;
  named: string[];
  scope: string;
  grounded: boolean;
  rating: string | null;
}

const FIGURE_COLUMNS = ["time", "named", "cited", "verdicts", "retrieved", "grounded", "scope", "rating"];

function periodFilter(course: string, since?: number, until?: number): string {
  const where = [`course = ${sqlString(course)}`];
  if (since != null && Number.isFinite(since)) where.push(`time >= ${since}`);
  if (until != null && Number.isFinite(until)) where.push(`time < ${until}`);
  return where.join(" AND ");
}

async function withInsightsTable<T>(db: string | undefined, empty: T, fn: (t: import("@lancedb/lancedb").Table) => Promise<T>): Promise<T> {
  const uri = resolveDbUri(db);
  // Rows still buffered in this process are written first, so the page shows what the chat just recorded.
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

const emptyList = (): ListColumn => ({ offsets: new Int32Array(1), values: new Int32Array(0) });
const EMPTY = (): InsightColumns => ({
  count: 0,
  dict: [],
  time: new Float64Array(0),
  named: emptyList(),
  cited: emptyList(),
  verdicts: emptyList(),
  retrieved: emptyList(),
  grounded: new Uint8Array(0),
  scope: new Int32Array(0),
  rating: new Int32Array(0),
});

/** The figures' columns of a course's questions in [since, until) (ms since the epoch; unset: unbounded). */
export function readInsightColumns(opts: { db?: string; course: string; since?: number; until?: number }): Promise<InsightColumns> {
  return withInsightsTable(opts.db, EMPTY(), async (table) => {
    const arrow = await table.query().where(periodFilter(opts.course, opts.since, opts.until)).select(FIGURE_COLUMNS).toArrow();
    const n = arrow.numRows;
    const dict = new Dictionary();
    const lists = { named: new ListBuilder(n), cited: new ListBuilder(n), verdicts: new ListBuilder(n), retrieved: new ListBuilder(n) };
    const out: InsightColumns = { ...EMPTY(), count: n, time: new Float64Array(n), grounded: new Uint8Array(n), scope: new Int32Array(n), rating: new Int32Array(n) };
    let row = 0;
    for (const batch of arrow.batches) {
      const len = batch.numRows;
      const time = batch.getChild("time")!.data[0];
      const timeValues = time.values as Float64Array;
      for (let i = 0; i < len; i++) out.time[row + i] = timeValues[time.offset + i];
      for (const name of ["named", "cited", "verdicts", "retrieved"] as const) lists[name].read(batch.getChild(name)!.data[0], dict);
      const grounded = batch.getChild("grounded")!.data[0] as unknown as ArrowData;
      for (let i = 0; i < len; i++) {
        const bit = grounded.offset + i;
        out.grounded[row + i] = !isNull(grounded, i) && grounded.values[bit >> 3] & (1 << (bit & 7)) ? 1 : 0;
      }
      readStringColumn(batch.getChild("scope")!.data[0], dict, out.scope, row);
      readStringColumn(batch.getChild("rating")!.data[0], dict, out.rating, row);
      row += len;
    }
    return { ...out, dict: dict.strings, named: lists.named.done(), cited: lists.cited.done(), verdicts: lists.verdicts.done(), retrieved: lists.retrieved.done() };
  });
}

/**
 * The wording of the given rows' questions (the text columns are read only for them): rows are picked by
 * time, the period's newest flagged ones, which `readInsightColumns` found.
 */
export function readFlaggedQuestions(opts: { db?: string; course: string; since?: number; until?: number }): Promise<FlaggedQuestion[]> {
  return withInsightsTable(opts.db, [] as FlaggedQuestion[], async (table) => {
    const where = `${periodFilter(opts.course, opts.since, opts.until)} AND (scope = 'declined' OR grounded = false OR rating = 'down')`;
    const rows = (await table.query().where(where).select(["time", "question", "comment", "named", "scope", "grounded", "rating"]).toArray()) as Record<string, unknown>[];
    const list = (v: unknown): string[] => (v == null ? [] : Array.from(v as Iterable<string>, String));
    return rows
      .map((r) => ({
        time: Number(r.time),
        question: (r.question as string | null) ?? null,
        comment: (r.comment as string | null) ?? null,
        named: list(r.named),
        scope: String(r.scope),
        grounded: Boolean(r.grounded),
        rating: (r.rating as string | null) ?? null,
      }))
      .sort((a, b) => b.time - a.time);
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
 * Strings → dense codes, each distinct UTF-8 byte sequence decoded once: bytes are hashed (FNV-1a) and compared
 * with the code's bytes, so the hot path does integer work only (no string is built per row).
 */
class Dictionary {
  readonly strings: string[] = [];
  private bytes: Uint8Array[] = [];
  private decoder = new TextDecoder();
  private byHash = new Map<number, number[]>();
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

function readStringColumn(d: unknown, dict: Dictionary, out: Int32Array, at: number): void {
  const data = d as ArrowData;
  for (let i = 0; i < data.length; i++) {
    const j = data.offset + i;
    out[at + i] = isNull(data, i) ? -1 : dict.code(data.values, data.valueOffsets[j], data.valueOffsets[j + 1]);
  }
}

/** Appends list<utf8> chunks as offsets + codes. */
class ListBuilder {
  private offsets: Int32Array;
  private values = new Int32Array(1024);
  private rows = 0;
  private size = 0;
  constructor(rows: number) {
    this.offsets = new Int32Array(rows + 1);
  }
  read(d: unknown, dict: Dictionary): void {
    const list = d as ArrowData;
    const child = list.children[0];
    for (let i = 0; i < list.length; i++) {
      const j = list.offset + i;
      if (!isNull(list, i)) {
        for (let k = list.valueOffsets[j]; k < list.valueOffsets[j + 1]; k++) {
          if (isNull(child, k)) continue;
          if (this.size === this.values.length) {
            const grown = new Int32Array(this.values.length * 2);
            grown.set(this.values);
            this.values = grown;
          }
          const c = child.offset + k;
          this.values[this.size++] = dict.code(child.values, child.valueOffsets[c], child.valueOffsets[c + 1]);
        }
      }
      this.offsets[++this.rows] = this.size;
    }
  }
  done(): ListColumn {
    return { offsets: this.offsets, values: this.values.subarray(0, this.size) };
  }
}
