import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export interface CouponDay {
  date: string;
  issued: number;
  redeemed: number;
}

/** Issued against redeemed codes per day: two bars side by side (not stacked: redeemed is a share of issued). */
export function CouponChart({ title, days, labels }: { title: string; days: CouponDay[]; labels: { issued: string; redeemed: string } }) {
  const canvas = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  useEffect(() => {
    const instance = init(canvas.current!, null, { renderer: 'svg' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(canvas.current!);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  const content = JSON.stringify({ days, labels });
  useEffect(() => {
    const drawn = JSON.parse(content) as { days: CouponDay[]; labels: { issued: string; redeemed: string } };
    const option: ChartOption = {
      animation: false,
      grid: { left: 36, right: 8, top: 10, bottom: 24 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: drawn.days.map((d) => d.date.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: drawn.labels.issued, type: 'bar', barMaxWidth: 16, itemStyle: { color: '#2f7ed8' }, data: drawn.days.map((d) => d.issued) },
        { name: drawn.labels.redeemed, type: 'bar', barMaxWidth: 16, itemStyle: { color: '#27ae60' }, data: drawn.days.map((d) => d.redeemed) },
      ],
    };
    chart.current?.setOption(option, { notMerge: true });
  }, [content]);
  return (
    <figure className="chart" data-testid="coupon-chart">
      <figcaption>{title}</figcaption>
      <div ref={canvas} className="chart-canvas" role="img" aria-label={title} />
    </figure>
  );
}
