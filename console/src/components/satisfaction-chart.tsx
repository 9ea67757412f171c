import type { ReactNode } from 'react';
import type { SurveyFigures, SurveyStats } from '../api/feedback.types';
import { useApiQuery } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { EChart, type EChartOption } from './echart';

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

function optionFor(stats: SatisfactionFigures, labels: { sent: string; responses: string; score: string }): EChartOption {
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

/** Surveys per week and the share satisfied: the figures of `GET /v1/surveys/stats` or of a report's `surveys` section. */
export type SatisfactionFigures = SurveyFigures & { byWeek: (SurveyFigures & { week: string })[] };

/**
 * c = b / a: surveys sent and answered per week, and the share satisfied (4–5), with its figures
 * under it — for the figures given (the dashboard's last weeks, a report's range).
 */
export function SatisfactionFigure({ stats, title, caption = true, extra }: {
  stats: SatisfactionFigures | undefined; title: string; caption?: boolean; extra?: ReactNode;
}) {
  const { t } = useI18n();
  const labels = { sent: t('satisfaction.sent'), responses: t('satisfaction.responses'), score: t('satisfaction.score') };
  return (
    <figure className="chart" data-testid="satisfaction-chart">
      {caption && <figcaption>{title}</figcaption>}
      {!stats || stats.sent === 0 ? <p className="muted">{t('satisfaction.none')}</p> : (
        <>
          <EChart option={optionFor(stats, labels)} label={title} />
          <div className="legend">
            <span data-testid="satisfaction-score">{t('satisfaction.score')} {percent(stats.score)}</span>
            <span data-testid="satisfaction-response-rate">{t('satisfaction.responseRate')} {percent(stats.responseRate)}</span>
            <span>{t('satisfaction.sent')} {stats.sent}</span>
            {extra}
          </div>
        </>
      )}
    </figure>
  );
}

/** The dashboard's: the last weeks' surveys (`GET /v1/surveys/stats`). */
export function SatisfactionChart() {
  const { t } = useI18n();
  const { data } = useApiQuery<SurveyStats>('/v1/surveys/stats');
  return <SatisfactionFigure stats={data} title={t('satisfaction.title')} />;
}
