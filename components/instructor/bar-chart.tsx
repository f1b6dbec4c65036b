import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";

/**
 * Bar charts drawn on the server as plain SVG with visx (no client JavaScript; colours from the page's CSS
 * variables, so light and dark both read). The SVG is one image to assistive technology (role="img" with a
 * label); the numbers themselves are in the table each chart comes with.
 */
export interface Bars {
  key: string;
  label: string;
  value: number;
  /** A second, overlaid value (drawn darker from the bar's start), e.g. the part the notes did not cover. */
  part?: number;
}

const tickLabel = { fill: "currentColor", fontSize: 12, fontFamily: "inherit" } as const;

/** Horizontal bars, one per row (the most asked exercises). */
export function HorizontalBars({ bars, title, labelWidth = 120 }: { bars: Bars[]; title: string; labelWidth?: number }) {
  const rowH = 26;
  const width = 640;
  const margin = { top: 4, right: 48, bottom: 28, left: labelWidth };
  const height = margin.top + margin.bottom + rowH * Math.max(1, bars.length);
  const innerW = width - margin.left - margin.right;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const x = scaleLinear({ domain: [0, max], range: [0, innerW], nice: true });
  const y = scaleBand({ domain: bars.map((b) => b.key), range: [0, rowH * bars.length], padding: 0.25 });
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMinYMin meet">
      <Group left={margin.left} top={margin.top}>
        {bars.map((b) => (
          <Group key={b.key}>
            <Bar className="chart-bar" x={0} y={y(b.key)} width={x(b.value)} height={y.bandwidth()} />
            {b.part ? <Bar className="chart-bar-part" x={0} y={y(b.key)} width={x(b.part)} height={y.bandwidth()} /> : null}
            <text className="chart-value" x={x(b.value) + 4} y={(y(b.key) ?? 0) + y.bandwidth() / 2} dominantBaseline="middle" fontSize={12}>
              {b.value}
            </text>
          </Group>
        ))}
        <AxisLeft scale={y} tickFormat={(k) => bars.find((b) => b.key === k)?.label ?? String(k)} hideTicks stroke="currentColor" tickLabelProps={{ ...tickLabel, textAnchor: "end", dx: -4 }} />
        <AxisBottom top={rowH * bars.length} scale={x} numTicks={5} stroke="currentColor" tickStroke="currentColor" tickLabelProps={{ ...tickLabel, textAnchor: "middle" }} />
      </Group>
    </svg>
  );
}

/** Vertical bars along time (questions per week), `part` overlaid. Tick labels thinned to about eight. */
export function ColumnBars({ bars, title }: { bars: Bars[]; title: string }) {
  const width = 640;
  const height = 220;
  const margin = { top: 8, right: 12, bottom: 36, left: 44 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const x = scaleBand({ domain: bars.map((b) => b.key), range: [0, innerW], padding: 0.2 });
  const y = scaleLinear({ domain: [0, max], range: [innerH, 0], nice: true });
  const every = Math.max(1, Math.ceil(bars.length / 8));
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMinYMin meet">
      <Group left={margin.left} top={margin.top}>
        {bars.map((b) => (
          <Group key={b.key}>
            <Bar className="chart-bar" x={x(b.key)} y={y(b.value)} width={x.bandwidth()} height={innerH - y(b.value)} />
            {b.part ? <Bar className="chart-bar-part" x={x(b.key)} y={y(b.part)} width={x.bandwidth()} height={innerH - y(b.part)} /> : null}
          </Group>
        ))}
        <AxisLeft scale={y} numTicks={4} stroke="currentColor" tickStroke="currentColor" tickLabelProps={{ ...tickLabel, textAnchor: "end", dx: -4, dy: 4 }} />
        <AxisBottom
          top={innerH}
          scale={x}
          tickValues={bars.filter((_, i) => i % every === 0).map((b) => b.key)}
          tickFormat={(k) => bars.find((b) => b.key === k)?.label ?? String(k)}
          stroke="currentColor"
          tickStroke="currentColor"
          tickLabelProps={{ ...tickLabel, textAnchor: "middle" }}
        />
      </Group>
    </svg>
  );
}
