import { EChart, type EChartOption } from './echart';

export interface CouponDay {
  date: string;
  issued: number;
  redeemed: number;
}

/** Issued against redeemed codes per day: two bars side by side (not stacked: redeemed is a share of issued). */
export function CouponChart({ title, days, labels }: { title: string; days: CouponDay[]; labels: { issued: string; redeemed: string } }) {
  const option: EChartOption = {
    grid: { left: 36, right: 8, top: 10, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: days.map((d) => d.date.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: labels.issued, type: 'bar', barMaxWidth: 16, itemStyle: { color: '#2f7ed8' }, data: days.map((d) => d.issued) },
      { name: labels.redeemed, type: 'bar', barMaxWidth: 16, itemStyle: { color: '#27ae60' }, data: days.map((d) => d.redeemed) },
    ],
  };
  return (
    <figure className="chart" data-testid="coupon-chart">
      <figcaption>{title}</figcaption>
      <EChart option={option} label={title} />
    </figure>
  );
}
