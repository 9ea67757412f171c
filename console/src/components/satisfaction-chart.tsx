import type { SurveyStats } from '../api/feedback.types';
import { useApiQuery } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { EChart, type EChartOption } from './echart';

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

function optionFor(stats: SurveyStats, labels: { sent: string; responses: string; score: string }): EChartOption {
  return {
    grid: { left: 36, right: 40, top: 10, bottom: 24 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: stats.byWeek.map((w) => w.week.slice(5)) },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
    series: [
      { name: labels.sent, type: 'bar', barMaxWidth: 16, itemStyle: { color: '#b9c7de' }, data: stats.byWeek.map((w) => w.sent) },
      { name: labels.responses, type: 'bar', barMaxWidth: 16, itemStyle: { color: '#7aa7e0' }, data: stats.byWeek.map((w) => w.responses) },
      {
        name: labels.score, type: 'line', yAxisIndex: 1, itemStyle: { color: '#2f9e63' },
        data: stats.byWeek.map((w) => (w.score === null ? '-' : Math.round(w.score * 100))),
      },
    ],
  };
}

/** c = b / a on the dashboard: surveys sent and answered per week, and the share satisfied (4–5). */
export function SatisfactionChart() {
  const { t } = useI18n();
  const { data } = useApiQuery<SurveyStats>('/v1/surveys/stats');
  const labels = { sent: t('satisfaction.sent'), responses: t('satisfaction.responses'), score: t('satisfaction.score') };
  return (
    <figure className="chart" data-testid="satisfaction-chart">
      <figcaption>{t('satisfaction.title')}</figcaption>
      {!data || data.sent === 0 ? <p className="muted">{t('satisfaction.none')}</p> : (
        <>
          <EChart option={optionFor(data, labels)} label={t('satisfaction.title')} />
          <div className="legend">
            <span data-testid="satisfaction-score">{t('satisfaction.score')} {percent(data.score)}</span>
            <span>{t('satisfaction.responseRate')} {percent(data.responseRate)}</span>
            <span>{t('satisfaction.sent')} {data.sent}</span>
          </div>
        </>
      )}
    </figure>
  );
}
