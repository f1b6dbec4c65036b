import Link from "next/link";
import { scaleSqrt } from "@visx/scale";
import type { HeatChapter } from "@/lib/instructor/figures";

/** Heat levels 0–5 (globals.css `.heat-0` … `.heat-5`, light and dark, each with a text colour that reads on it). */
export const HEAT_LEVELS = 5;

/** A count's heat level on a square-root scale up to `max` (a few busy exercises do not wash out the rest). */
export function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  const scale = scaleSqrt({ domain: [0, max], range: [0, HEAT_LEVELS] });
  return Math.min(HEAT_LEVELS, Math.max(1, Math.ceil(scale(count))));
}

const cite = (label: string, course: string) => `/cite/${encodeURIComponent(label)}?course=${encodeURIComponent(course)}`;

/**
 * The course outline as a heat map: a table per chapter, a row per section, its exercises (and any other item
 * asked about) as cells coloured by how many questions were about them. The numbers are in the cells: the
 * colour only repeats them.
 */
export function HeatMap({ outline, course, max }: { outline: HeatChapter[]; course: string; max: { chapter: number; section: number; item: number } }) {
  if (!outline.length) return <p className="muted">The course has no chapters to show.</p>;
  return (
    <div className="heat-map" data-testid="heat-map">
      {outline.map((ch) => (
        <table key={ch.label} className="heat-table">
          <caption>
            <Link href={cite(ch.label, course)}>{ch.label}</Link>
            {ch.title ? `: ${ch.title}` : ""} — <span className={`heat-badge heat-${heatLevel(ch.count, max.chapter)}`}>{ch.count}</span>{" "}
            {ch.count === 1 ? "question" : "questions"}
          </caption>
          <thead>
            <tr>
              <th scope="col">Section</th>
              <th scope="col">Questions</th>
              <th scope="col">Exercises and items asked about (questions)</th>
            </tr>
          </thead>
          <tbody>
            {ch.sections.map((s) => (
              <tr key={s.label} data-label={s.label}>
                <th scope="row">
                  <Link href={cite(s.label, course)}>{s.label}</Link>
                  {s.title ? <span className="muted"> {s.title}</span> : null}
                </th>
                <td className={`heat-cell heat-${heatLevel(s.count, max.section)}`} data-count={s.count}>
                  {s.count}
                </td>
                <td>
                  {s.items.length ? (
                    <ul className="heat-items" aria-label={`Items in ${s.label}`}>
                      {s.items.map((i) => (
                        <li key={i.label} className={`heat-${heatLevel(i.count, max.item)}`} data-label={i.label} data-count={i.count}>
                          <Link href={cite(i.label, course)} title={i.title || undefined}>
                            {i.label}
                          </Link>{" "}
                          <span className="heat-count">{i.count}</span>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="muted">no exercises</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
