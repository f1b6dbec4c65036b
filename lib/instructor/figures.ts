import type { ItemRow } from "../store/schema";
import type { InsightColumns } from "./columns";

/**
 * The instructor page's figures from the columns of a period's answered questions (pure: no store, no clock).
 * What a question is "about": the labels it named and the labels its answer cited and the course verified;
 * a question that named and cited nothing counts for the heading of the best passage it was given. A question
 * counts once per chapter, section and item it touched, however many of its labels fall there.
 */

export const PERIODS = { "7d": 7, "30d": 30, "120d": 120, all: null } as const;
export type Period = keyof typeof PERIODS;
export const DEFAULT_PERIOD: Period = "30d";
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export interface Totals {
  questions: number;
  /** The notes do not cover it (scope "declined"). */
  notCovered: number;
  /** Retrieval unsure (scope "doubted"). */
  doubted: number;
  /** No verified citation in the answer. */
  ungrounded: number;
  thumbsUp: number;
  thumbsDown: number;
  /** Questions that named or were answered from no label of the outline (no passage either). */
  unplaced: number;
}

export interface HeatCell {
  label: string;
  title: string;
  count: number;
}
export interface HeatSection extends HeatCell {
  /** The section's exercises (all, asked or not) and its other items that were asked about. */
  items: (HeatCell & { kind: string })[];
}
export interface HeatChapter extends HeatCell {
  sections: HeatSection[];
}

export interface ExerciseFigure extends HeatCell {
  section: string;
  ungrounded: number;
  thumbsDown: number;
}

export interface WeekFigure {
  /** Monday of the week (UTC), YYYY-MM-DD. */
  week: string;
  questions: number;
  notCovered: number;
}

export interface Figures {
  totals: Totals;
  outline: HeatChapter[];
  /** The most asked exercises, most first (ties: notes order), at most `top`. */
  topExercises: ExerciseFigure[];
  weeks: WeekFigure[];
  /** The largest count of any cell at each level: the heat scale's top. */
  max: { chapter: number; section: number; item: number };
}

const TOP_EXERCISES = 10;

/** Monday 00:00 UTC of the week holding `t`. */
export function weekStart(t: number): number {
  const day = Math.floor(t / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday = 0.
  const weekday = (day + 3) % 7;
  return (day - weekday) * DAY_MS;
}

/** Where an item sits: its chapter's and section's labels ("" when above any section). */
interface Place {
  item: ItemRow;
  chapter: string;
  section: string;
}

function placesOf(items: ItemRow[]): { places: Map<string, Place>; chapters: ItemRow[]; sections: ItemRow[] } {
  const chapters = items.filter((i) => i.kind === "chapter");
  const chapterLabel = new Map(chapters.map((c) => [c.number, c.label]));
  const sections = items.filter((i) => i.kind === "section");
  const places = new Map<string, Place>();
  for (const item of items) {
    const chapter = item.kind === "chapter" ? item.label : (chapterLabel.get(item.chapter) ?? "");
    const section = item.kind === "section" ? item.label : item.kind === "chapter" ? "" : item.section;
    places.set(item.label, { item, chapter, section });
  }
  return { places, chapters, sections };
}

/**
 * The page's figures. `items`: the course's items in notes order (lib/store/read.ts `listCourseItems`);
 * `since`/`until`: the period (weeks are listed from since's week, or the first question's, to until's).
 */
export function computeFigures(opts: { columns: InsightColumns; items: ItemRow[]; since?: number; until: number; top?: number }): Figures {
  const { columns: c, items, until } = opts;
  const { places, chapters, sections } = placesOf(items);
  // Each dictionary code's place, looked up once: the row loop then works on integers only.
  const chapterIds = new Map<string, number>();
  const sectionIds = new Map<string, number>();
  const itemIds = new Map<string, number>();
  const idOf = (m: Map<string, number>, k: string) => {
    let id = m.get(k);
    if (id === undefined) m.set(k, (id = m.size));
    return id;
  };
  const codeChapter = new Int32Array(c.dict.length).fill(-1);
  const codeSection = new Int32Array(c.dict.length).fill(-1);
  const codeItem = new Int32Array(c.dict.length).fill(-1);
  const codePlaced = new Uint8Array(c.dict.length);
  c.dict.forEach((label, code) => {
    const p = places.get(label);
    if (!p) return;
    codePlaced[code] = 1;
    if (p.chapter) codeChapter[code] = idOf(chapterIds, p.chapter);
    if (p.section) codeSection[code] = idOf(sectionIds, p.section);
    if (p.item.kind !== "chapter" && p.item.kind !== "section") codeItem[code] = idOf(itemIds, label);
  });
  const code = (s: string) => c.dict.indexOf(s);
  const [declined, doubted, up, down, verified] = ["declined", "doubted", "up", "down", "verified"].map(code);
  // Counts by id, and the last row that touched each id (a question counts once per chapter, section, item).
  const chapterN = new Int32Array(chapterIds.size);
  const sectionN = new Int32Array(sectionIds.size);
  const itemN = new Int32Array(itemIds.size);
  const itemUngroundedN = new Int32Array(itemIds.size);
  const itemDownN = new Int32Array(itemIds.size);
  const chapterSeen = new Int32Array(chapterIds.size).fill(-1);
  const sectionSeen = new Int32Array(sectionIds.size).fill(-1);
  const itemSeen = new Int32Array(itemIds.size).fill(-1);
  const weekCount = new Map<number, { q: number; nc: number }>();
  const totals: Totals = { questions: c.count, notCovered: 0, doubted: 0, ungrounded: 0, thumbsUp: 0, thumbsDown: 0, unplaced: 0 };
  let first = Infinity;

  for (let r = 0; r < c.count; r++) {
    const scope = c.scope[r];
    const rating = c.rating[r];
    const grounded = c.grounded[r] === 1;
    if (scope === declined) totals.notCovered++;
    else if (scope === doubted) totals.doubted++;
    if (!grounded) totals.ungrounded++;
    if (rating === up && up >= 0) totals.thumbsUp++;
    else if (rating === down && down >= 0) totals.thumbsDown++;
    const t = c.time[r];
    if (t < first) first = t;
    const wk = weekStart(t);
    let w = weekCount.get(wk);
    if (!w) weekCount.set(wk, (w = { q: 0, nc: 0 }));
    w.q++;
    if (scope === declined) w.nc++;

    const touch = (label: number): boolean => {
      if (!codePlaced[label]) return false;
      const ch = codeChapter[label];
      if (ch >= 0 && chapterSeen[ch] !== r) {
        chapterSeen[ch] = r;
        chapterN[ch]++;
      }
      const se = codeSection[label];
      if (se >= 0 && sectionSeen[se] !== r) {
        sectionSeen[se] = r;
        sectionN[se]++;
      }
      const it = codeItem[label];
      if (it >= 0 && itemSeen[it] !== r) {
        itemSeen[it] = r;
        itemN[it]++;
        if (!grounded) itemUngroundedN[it]++;
        if (rating === down && down >= 0) itemDownN[it]++;
      }
      return true;
    };
    let placed = false;
    for (let k = c.named.offsets[r]; k < c.named.offsets[r + 1]; k++) placed = touch(c.named.values[k]) || placed;
    const cFrom = c.cited.offsets[r];
    const vFrom = c.verdicts.offsets[r];
    const vLen = c.verdicts.offsets[r + 1] - vFrom;
    for (let k = cFrom; k < c.cited.offsets[r + 1]; k++) {
      if (k - cFrom < vLen && c.verdicts.values[vFrom + k - cFrom] === verified) placed = touch(c.cited.values[k]) || placed;
    }
    if (!placed) {
      for (let k = c.retrieved.offsets[r]; k < c.retrieved.offsets[r + 1]; k++) if ((placed = touch(c.retrieved.values[k]))) break;
    }
    if (!placed) totals.unplaced++;
  }
  const read = (ids: Map<string, number>, counts: Int32Array) => (label: string) => {
    const id = ids.get(label);
    return id === undefined ? 0 : counts[id];
  };
  const chapterCount = { get: read(chapterIds, chapterN) };
  const sectionCount = { get: read(sectionIds, sectionN) };
  const itemCountOf = read(itemIds, itemN);
  const itemCount = { get: itemCountOf, has: (label: string) => itemCountOf(label) > 0 };
  const itemUngrounded = { get: read(itemIds, itemUngroundedN) };
  const itemDown = { get: read(itemIds, itemDownN) };

  const max = { chapter: 0, section: 0, item: 0 };
  const outline: HeatChapter[] = chapters.map((ch) => {
    const count = chapterCount.get(ch.label) ?? 0;
    max.chapter = Math.max(max.chapter, count);
    return {
      label: ch.label,
      title: ch.title,
      count,
      sections: sections
        .filter((s) => s.chapter === ch.number)
        .map((s) => {
          const sc = sectionCount.get(s.label) ?? 0;
          max.section = Math.max(max.section, sc);
          const inside = items.filter(
            (i) => i.section === s.label && i.kind !== "chapter" && i.kind !== "section" && (i.kind === "exercise" || itemCount.has(i.label)),
          );
          return {
            label: s.label,
            title: s.title,
            count: sc,
            items: inside.map((i) => {
              const n = itemCount.get(i.label) ?? 0;
              max.item = Math.max(max.item, n);
              return { label: i.label, title: i.title, kind: i.kind, count: n };
            }),
          };
        }),
    };
  });

  const topExercises: ExerciseFigure[] = items
    .filter((i) => i.kind === "exercise" && itemCount.has(i.label))
    .map((i) => ({
      label: i.label,
      title: i.title,
      section: i.section,
      count: itemCount.get(i.label),
      ungrounded: itemUngrounded.get(i.label) ?? 0,
      thumbsDown: itemDown.get(i.label) ?? 0,
    }))
    // Array.prototype.sort is stable: ties keep notes order.
    .sort((a, b) => b.count - a.count)
    .slice(0, opts.top ?? TOP_EXERCISES);

  const weeks: WeekFigure[] = [];
  const from = opts.since != null && Number.isFinite(opts.since) ? opts.since : first;
  if (Number.isFinite(from)) {
    for (let wk = weekStart(from); wk <= weekStart(until); wk += WEEK_MS) {
      const w = weekCount.get(wk);
      weeks.push({ week: new Date(wk).toISOString().slice(0, 10), questions: w?.q ?? 0, notCovered: w?.nc ?? 0 });
    }
  }
  return { totals, outline, topExercises, weeks, max };
}
