import { EChart, type EChartOption } from './echart';

export interface ChartSeries {
  label: string;
  color: string;
  values: number[];
}

function optionFor(days: string[], series: ChartSeries[]): EChartOption {
  return {
    grid: { left: 36, right: 8, top: 10, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: days.map((day) => day.slice(5)), axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => ({
      name: s.label,
      type: 'bar',
      stack: 'messages',
      barMaxWidth: 16,
      itemStyle: { color: s.color },
      // An empty day draws no bar at all ('-' is ECharts' "no value"), not a bar of height 0.
      data: s.values.map((value) => (value > 0 ? value : '-')),
    })),
  };
}

/** Messages per day, one stacked bar per day; the legend below gives each series' total. */
export function StackedBarChart({ title, channel, days, series }: { title: string; channel: string; days: string[]; series: ChartSeries[] }) {
  return (
    <figure className="chart" data-channel={channel}>
      <figcaption>{title}</figcaption>
      <EChart option={optionFor(days, series)} label={title} />
      <div className="legend">
        {series.map((s) => <span key={s.label}><i style={{ background: s.color }} />{s.label} {s.values.reduce((a, b) => a + b, 0)}</span>)}
      </div>
    </figure>
  );
}
