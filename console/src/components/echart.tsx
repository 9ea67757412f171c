import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption,
} from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the parts the console draws (bars, lines and areas), so the bundle carries these rather than all of ECharts.
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type EChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/**
 * The console's one ECharts wrapper: an SVG chart that follows its box's size and redraws only
 * when the option's content changes (callers build it afresh on every render). Animation is off:
 * counts, not a show — a redraw (new data, another language) appears at once.
 */
export function EChart({ option, label, className }: { option: EChartOption; label: string; className?: string }) {
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
  const content = JSON.stringify(option);
  useEffect(() => {
    chart.current?.setOption({ animation: false, ...(JSON.parse(content) as EChartOption) }, { notMerge: true });
  }, [content]);
  return <div ref={canvas} className={className ?? 'chart-canvas'} role="img" aria-label={label} />;
}
