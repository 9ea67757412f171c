/** A stacked bar per day, drawn as plain SVG (a chart library would be most of the bundle). */
export interface ChartSeries {
  label: string;
  color: string;
  values: number[];
}

const HEIGHT = 160;
const BAR_GAP = 2;

export function StackedBarChart({ title, days, series }: { title: string; days: string[]; series: ChartSeries[] }) {
  const totals = days.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const barWidth = 14;
  const width = days.length * (barWidth + BAR_GAP);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${HEIGHT + 16}`} role="img" aria-label={title} preserveAspectRatio="none">
        {days.map((day, i) => {
          let y = HEIGHT;
          return (
            <g key={day} transform={`translate(${i * (barWidth + BAR_GAP)},0)`}>
              <title>{`${day}: ${totals[i]}`}</title>
              {series.map((s) => {
                const h = ((s.values[i] ?? 0) / max) * HEIGHT;
                y -= h;
                return h > 0 ? <rect key={s.label} x={0} y={y} width={barWidth} height={h} fill={s.color} /> : null;
              })}
              {i % 5 === 0 && <text x={0} y={HEIGHT + 12} fontSize={8} fill="#667">{day.slice(5)}</text>}
            </g>
          );
        })}
      </svg>
      <div className="legend">
        {series.map((s) => <span key={s.label}><i style={{ background: s.color }} />{s.label} {s.values.reduce((a, b) => a + b, 0)}</span>)}
      </div>
    </figure>
  );
}
