import Link from "next/link";
import { scaleSqrt } from "@visx/scale";
import type { ChapterCount, ItemCount } from "@/lib/insights/report";

/** Heat levels 0–5 (globals.css `.heat-0` … `.heat-5`, light and dark, each with a text colour that reads on it). */
export const HEAT_LEVELS = 5;

/** A count's heat level on a square-root scale up to `max` (a few busy exercises do not wash out the rest). */
export function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  const scale = scaleSqrt({ domain: [0, max], range: [0, HEAT_LEVELS] });
  return Math.min(HEAT_LEVELS, Math.max(1, Math.ceil(scale(count))));
}

const cite = (label: string, course: string) => `/cite/${encodeURIComponent(label)}?course=${encodeURIComponent(course)}`;

/** The cells of a row: every exercise (asked or not: a zero says something too) and any other item asked about. */
const shown = (items: ItemCount[]) => items.filter((i) => i.kind === "exercise" || i.questions > 0);

type Max = { chapter: number; section: number; item: number };

function ItemCells({ items, course, max, where }: { items: ItemCount[]; course: string; max: Max; where: string }) {
  const cells = shown(items);
  if (!cells.length) return <span className="muted">no exercises</span>;
  return (
    <ul className="heat-items" aria-label={`Items in ${where}`}>
      {cells.map((i) => (
        <li key={i.label} className={`heat-${heatLevel(i.questions, max.item)}`} data-label={i.label} data-count={i.questions}>
          <Link href={cite(i.label, course)} title={i.title || undefined}>
            {i.label}
          </Link>{" "}
          <span className="heat-count">{i.questions}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The course outline as a heat map: a table per chapter, a row per section, its exercises (and any other item
 * asked about) as cells coloured by how many questions were about them. The numbers are in the cells: the
 * colour only repeats them.
 */
export function HeatMap({ chapters, course, max }: { chapters: ChapterCount[]; course: string; max: Max }) {
  if (!chapters.length) return <p className="muted">The course has no chapters to show.</p>;
  return (
    <div className="heat-map" data-testid="heat-map">
      {chapters.map((ch) => (
        <table key={ch.label} className="heat-table" data-label={ch.label} data-count={ch.questions}>
          <caption>
            <Link href={cite(ch.label, course)}>{ch.label}</Link>
            {ch.title ? `: ${ch.title}` : ""} — <span className={`heat-badge heat-${heatLevel(ch.questions, max.chapter)}`}>{ch.questions}</span>{" "}
            {ch.questions === 1 ? "question" : "questions"}
          </caption>
          <thead>
            <tr>
              <th scope="col">Section</th>
              <th scope="col">Questions</th>
              <th scope="col">Exercises and items asked about (questions)</th>
            </tr>
          </thead>
          <tbody>
            {shown(ch.items).length ? (
              <tr>
                <th scope="row">Before the first section</th>
                <td className="heat-cell">–</td>
                <td>
                  <ItemCells items={ch.items} course={course} max={max} where={`${ch.label}, before its first section`} />
                </td>
              </tr>
            ) : null}
            {ch.sections.map((s) => (
              <tr key={s.label} data-label={s.label}>
                <th scope="row">
                  <Link href={cite(s.label, course)}>{s.label}</Link>
                  {s.title ? <span className="muted"> {s.title}</span> : null}
                </th>
                <td className={`heat-cell heat-${heatLevel(s.questions, max.section)}`} data-count={s.questions}>
                  {s.questions}
                </td>
                <td>
                  <ItemCells items={s.items} course={course} max={max} where={s.label} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
