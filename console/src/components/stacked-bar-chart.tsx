import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the parts this chart draws, so the bundle carries a bar chart rather than all of ECharts.
use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export interface ChartSeries {
  label: string;
  color: string;
  values: number[];
}

function optionFor(days: string[], series: ChartSeries[]): ChartOption {
  return {
    // Counts, not a show: a redraw (new data, another language) appears at once.
    animation: false,
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
  const canvas = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  useEffect(() => {
    const element = canvas.current!;
    const instance = init(element, null, { renderer: 'svg' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(element);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  // Callers build `series` afresh on each render: redraw only when the numbers change.
  const content = JSON.stringify({ days, series });
  useEffect(() => {
    const drawn = JSON.parse(content) as { days: string[]; series: ChartSeries[] };
    chart.current?.setOption(optionFor(drawn.days, drawn.series), { notMerge: true });
  }, [content]);
  return (
    <figure className="chart" data-channel={channel}>
      <figcaption>{title}</figcaption>
      <div ref={canvas} className="chart-canvas" role="img" aria-label={title} />
      <div className="legend">
        {series.map((s) => <span key={s.label}><i style={{ background: s.color }} />{s.label} {s.values.reduce((a, b) => a + b, 0)}</span>)}
      </div>
    </figure>
  );
}
