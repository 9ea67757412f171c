import { lazy, Suspense, useState, type ReactNode } from 'react';
import { download, type Query } from '../api/client';
import { useApiQuery } from '../api/queries';
import type { EChartOption } from '../components/echart';
import type { SatisfactionFigures } from '../components/satisfaction-chart';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { useI18n } from '../i18n/i18n';
import type { DictionaryKey } from '../i18n/zh-cn.dictionary';

// ECharts is most of the console's weight: it loads in its own chunk, with the first chart.
const EChart = lazy(() => import('../components/echart').then((module) => ({ default: module.EChart })));
// The coupons page's and the dashboard's own charts, fed the report's sections.
const CouponChart = lazy(() => import('../components/coupon-chart').then((module) => ({ default: module.CouponChart })));
const SatisfactionFigure = lazy(() => import('../components/satisfaction-chart').then((module) => ({ default: module.SatisfactionFigure })));

interface Group { size: number; converted: number; orders: number; conversionRate: number }
interface Figures {
  sent: number; delivered: number; failed: number; optOuts: number; cost: number;
  attributedOrders: number; attributedRevenue: number; conversionRate: number;
  messaged: Group; holdout?: Group; lift?: number | null;
  difference?: { difference: number; low: number; high: number; verdict: 'higher' | 'lower' | 'no-clear-difference' | 'too-small'; note: string | null };
}
interface Range { from: string; to: string; timeZone: string; attributionDays: number }
interface CouponFigures { issued: number; redeemed: number; redemptionRate: number | null; revenue: number }
/** The report's `sections` (coupons.report.ts, surveys.report.ts). */
interface Sections {
  coupons?: CouponFigures & { byDay: Array<CouponFigures & { date: string }> };
  surveys?: SatisfactionFigures & { averageScore: number | null };
}
type Overview = Range & Figures & { sections?: Sections };
type CampaignRow = Figures & { campaignId: string; name: string; holdoutPercent: number };
type AutomationRow = Figures & { key: string };
interface Daily extends Range { items: Array<{ date: string; sent: number; delivered: number; failed: number; cost: number }> }
interface Lifecycle extends Range { classes: string[]; items: Array<{ week: string; counts: Record<string, number> }> }

const COLORS = { sent: '#7aa7e0', delivered: '#2f9e63', failed: '#d9534f', cost: '#e0a030', messaged: '#2f6fd0', holdout: '#b9b9c3' };
const LIFECYCLE_COLORS = ['#b9b9c3', '#7aa7e0', '#2f9e63', '#9cc57a', '#e0a030', '#d9534f', '#8a6d9e'];

const percent = (rate: number | null | undefined) => (rate === undefined || rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
const money = (value: number) => value.toFixed(2);

/** A card with a title, a CSV download of its table and its body. */
function Section({ title, onCsv, children }: { title: string; onCsv: () => void; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <section className="card report-section">
      <div className="row space-between">
        <h2>{title}</h2>
        <button className="link" onClick={onCsv}>{t('reports.csv')}</button>
      </div>
      {children}
    </section>
  );
}

/** The figures of a row of stat cards, each with its test id. */
function Stats({ testId, items }: { testId: string; items: Array<[DictionaryKey, string | number, string]> }) {
  const { t } = useI18n();
  return (
    <div className="grid stats" data-testid={testId}>
      {items.map(([label, value, id]) => (
        <div key={label} className="card stat"><div className="muted">{t(label)}</div><div className="stat-value" data-testid={id}>{value}</div></div>
      ))}
    </div>
  );
}

/** Coupon redemption: the codes the range's messages carried, and of those redeemed (a cohort per day sent). */
function CouponsPart({ coupons }: { coupons: Sections['coupons'] }) {
  const { t } = useI18n();
  if (!coupons || coupons.issued === 0) return <p className="muted">{t('reports.coupons.none')}</p>;
  return (
    <>
      <Stats testId="report-coupons" items={[
        ['reports.coupons.issued', coupons.issued, 'coupons-issued'], ['reports.coupons.redeemed', coupons.redeemed, 'coupons-redeemed'],
        ['reports.coupons.rate', percent(coupons.redemptionRate), 'coupons-rate'], ['reports.coupons.revenue', money(coupons.revenue), 'coupons-revenue'],
      ]} />
      <Suspense fallback={<Loading />}>
        <CouponChart title={t('reports.coupons.chart')} days={coupons.byDay}
          labels={{ issued: t('reports.coupons.issued'), redeemed: t('reports.coupons.redeemed') }} />
      </Suspense>
    </>
  );
}

/** Satisfaction: the dashboard's chart over the range's surveys, with the average score. */
function SurveysPart({ surveys }: { surveys: Sections['surveys'] }) {
  const { t } = useI18n();
  if (!surveys || surveys.sent === 0) return <p className="muted">{t('reports.surveys.none')}</p>;
  return (
    <Suspense fallback={<Loading />}>
      <SatisfactionFigure stats={surveys} title={t('reports.surveys')} caption={false} extra={
        <span data-testid="satisfaction-average">{t('reports.surveys.average')} {surveys.averageScore?.toFixed(2) ?? '—'}</span>
      } />
    </Suspense>
  );
}

function Verdict({ figures }: { figures: Figures }) {
  const { t } = useI18n();
  if (!figures.holdout || !figures.difference) return <span className="muted">{t('reports.noHoldout')}</span>;
  const d = figures.difference;
  return (
    <span data-testid="verdict" data-verdict={d.verdict} title={d.note ?? undefined}>
      {figures.lift !== undefined && figures.lift !== null && <strong>{figures.lift > 0 ? '+' : ''}{(figures.lift * 100).toFixed(0)}% </strong>}
      {t(`reports.verdict.${d.verdict}` as DictionaryKey)}
      {' '}<span className="muted small">{(d.difference * 100).toFixed(1)} pt [{(d.low * 100).toFixed(1)}, {(d.high * 100).toFixed(1)}]</span>
    </span>
  );
}

/** Campaigns or automations: one row each, and a chart of conversion with and without the message. */
function ConversionTable({ rows, label }: { rows: Array<Figures & { id: string; name: string }>; label: string }) {
  const { t } = useI18n();
  if (rows.length === 0) return <p className="muted">{t('reports.none')}</p>;
  const option: EChartOption = {
    grid: { left: 44, right: 8, top: 28, bottom: 24 },
    tooltip: { trigger: 'axis', valueFormatter: (value) => `${Number(value).toFixed(1)}%` },
    legend: { top: 0 },
    xAxis: { type: 'category', data: rows.map((row) => row.name) },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: [
      { name: t('reports.messaged'), type: 'bar', barMaxWidth: 24, itemStyle: { color: COLORS.messaged }, data: rows.map((row) => Number((row.messaged.conversionRate * 100).toFixed(2))) },
      { name: t('reports.heldOut'), type: 'bar', barMaxWidth: 24, itemStyle: { color: COLORS.holdout }, data: rows.map((row) => (row.holdout ? Number((row.holdout.conversionRate * 100).toFixed(2)) : '-')) },
    ],
  };
  return (
    <>
      <Suspense fallback={<Loading />}><EChart option={option} label={label} /></Suspense>
      <table className="table">
        <thead>
          <tr>
            <th>{t('reports.name')}</th><th>{t('reports.sent')}</th><th>{t('reports.cost')}</th>
            <th>{t('reports.attributedOrders')}</th><th>{t('reports.attributedRevenue')}</th>
            <th>{t('reports.conversion')}</th><th>{t('reports.holdoutConversion')}</th><th>{t('reports.lift')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-report-row={row.id}>
              <td>{row.name}</td>
              <td>{row.sent}</td>
              <td>{money(row.cost)}</td>
              <td>{row.attributedOrders}</td>
              <td>{money(row.attributedRevenue)}</td>
              <td data-testid="conversion-messaged">{percent(row.messaged.conversionRate)} <span className="muted small">{row.messaged.converted}/{row.messaged.size}</span></td>
              <td data-testid="conversion-holdout">{row.holdout ? <>{percent(row.holdout.conversionRate)} <span className="muted small">{row.holdout.converted}/{row.holdout.size}</span></> : '—'}</td>
              <td><Verdict figures={row} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function ReportsPage() {
  const { t, term } = useI18n();
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [draft, setDraft] = useState<{ from?: string; to?: string }>({});
  const query: Query = { from: range.from, to: range.to };
  const overview = useApiQuery<Overview>('/v1/reports/overview', query, { keepPrevious: true });
  const daily = useApiQuery<Daily>('/v1/reports/daily', query, { keepPrevious: true });
  const campaigns = useApiQuery<Range & { items: CampaignRow[] }>('/v1/reports/campaigns', query, { keepPrevious: true });
  const automations = useApiQuery<Range & { items: AutomationRow[] }>('/v1/reports/automations', query, { keepPrevious: true });
  const lifecycle = useApiQuery<Lifecycle>('/v1/reports/lifecycle', query, { keepPrevious: true });
  const [csvError, setCsvError] = useState<unknown>(null);

  if (overview.isPending) return <Loading />;
  if (!overview.data) return <><h1>{t('reports.title')}</h1><ErrorBanner error={overview.error} /></>;
  const o = overview.data;
  const csv = (path: string, name: string) => () => {
    setCsvError(null);
    download(path, { ...query, format: 'csv' }, `carebeat-${name}-${o.from}-${o.to}.csv`).catch(setCsvError);
  };
  const automationName = (key: string) => (key.startsWith('lifecycle:') ? `${t('journeys.title')} · ${key.slice(10)}`
    : key in AUTOMATION_LABELS ? t(AUTOMATION_LABELS[key]) : key);

  const dailyOption: EChartOption | null = daily.data ? {
    grid: { left: 44, right: 52, top: 28, bottom: 24 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'category', data: daily.data.items.map((d) => d.date.slice(5)) },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', position: 'right', axisLabel: { formatter: '{value}' } }],
    series: [
      { name: t('reports.delivered'), type: 'bar', stack: 'm', barMaxWidth: 16, itemStyle: { color: COLORS.delivered }, data: daily.data.items.map((d) => d.delivered) },
      { name: t('reports.sent'), type: 'bar', stack: 'm', barMaxWidth: 16, itemStyle: { color: COLORS.sent }, data: daily.data.items.map((d) => d.sent - d.delivered) },
      { name: t('reports.failed'), type: 'bar', stack: 'm', barMaxWidth: 16, itemStyle: { color: COLORS.failed }, data: daily.data.items.map((d) => d.failed) },
      { name: t('reports.cost'), type: 'line', yAxisIndex: 1, itemStyle: { color: COLORS.cost }, data: daily.data.items.map((d) => d.cost) },
    ],
  } : null;

  const lifecycleOption: EChartOption | null = lifecycle.data ? {
    grid: { left: 52, right: 8, top: 40, bottom: 24 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'category', boundaryGap: false, data: lifecycle.data.items.map((w) => w.week.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: lifecycle.data.classes.map((name, i) => ({
      name: term('lifecycle', name), type: 'line', stack: 'contacts', areaStyle: {}, symbol: 'none',
      itemStyle: { color: LIFECYCLE_COLORS[i % LIFECYCLE_COLORS.length] },
      data: lifecycle.data!.items.map((w) => w.counts[name] ?? 0),
    })),
  } : null;

  return (
    <>
      <h1>{t('reports.title')}</h1>
      <form className="row report-range" onSubmit={(event) => { event.preventDefault(); setRange(draft); }}>
        <label>{t('reports.from')} <input type="date" name="from" value={draft.from ?? o.from} onChange={(e) => setDraft({ ...draft, from: e.target.value, to: draft.to ?? o.to })} /></label>
        <label>{t('reports.to')} <input type="date" name="to" value={draft.to ?? o.to} onChange={(e) => setDraft({ ...draft, to: e.target.value, from: draft.from ?? o.from })} /></label>
        <button type="submit">{t('reports.apply')}</button>
        <span className="muted small">{t('reports.zone', { zone: o.timeZone, days: o.attributionDays })}</span>
      </form>
      <ErrorBanner error={csvError} />
      <div className="grid stats" data-testid="report-overview">
        {([['reports.sent', o.sent], ['reports.delivered', o.delivered], ['reports.failed', o.failed], ['reports.optOuts', o.optOuts],
          ['reports.cost', money(o.cost)], ['reports.attributedOrders', o.attributedOrders], ['reports.attributedRevenue', money(o.attributedRevenue)],
          ['reports.conversion', percent(o.conversionRate)], ['reports.holdoutConversion', percent(o.holdout?.conversionRate)]] as Array<[DictionaryKey, string | number]>)
          .map(([label, value]) => (
            <div key={label} className="card stat"><div className="muted">{t(label)}</div><div className="stat-value">{value}</div></div>
          ))}
        <div className="card stat"><div className="muted">{t('reports.difference')}</div><div><Verdict figures={o} /></div></div>
      </div>
      <Section title={t('reports.daily')} onCsv={csv('/v1/reports/daily', 'daily')}>
        {dailyOption ? <Suspense fallback={<Loading />}><EChart option={dailyOption} label={t('reports.daily')} /></Suspense> : <Loading />}
      </Section>
      <Section title={t('reports.campaigns')} onCsv={csv('/v1/reports/campaigns', 'campaigns')}>
        {campaigns.data
          ? <ConversionTable label={t('reports.campaigns')} rows={campaigns.data.items.map((row) => ({ ...row, id: row.campaignId }))} />
          : <ErrorBanner error={campaigns.error} />}
      </Section>
      <Section title={t('reports.automations')} onCsv={csv('/v1/reports/automations', 'automations')}>
        {automations.data
          ? <ConversionTable label={t('reports.automations')} rows={automations.data.items.map((row) => ({ ...row, id: row.key, name: automationName(row.key) }))} />
          : <ErrorBanner error={automations.error} />}
      </Section>
      <div className="grid two">
        <Section title={t('reports.coupons')} onCsv={csv('/v1/reports/overview', 'overview')}>
          <CouponsPart coupons={o.sections?.coupons} />
        </Section>
        <Section title={t('reports.surveys')} onCsv={csv('/v1/reports/overview', 'overview')}>
          <SurveysPart surveys={o.sections?.surveys} />
        </Section>
      </div>
      <Section title={t('reports.lifecycle')} onCsv={csv('/v1/reports/lifecycle', 'lifecycle')}>
        {lifecycleOption ? <Suspense fallback={<Loading />}><EChart option={lifecycleOption} label={t('reports.lifecycle')} /></Suspense> : <ErrorBanner error={lifecycle.error} />}
      </Section>
    </>
  );
}

const AUTOMATION_LABELS: Record<string, DictionaryKey> = {
  birthday: 'reports.automation.birthday',
  'first-order-follow-up': 'reports.automation.first-order-follow-up',
  festivals: 'reports.automation.festivals',
  'order-notices': 'reports.automation.order-notices',
  manual: 'reports.automation.manual',
  survey: 'reports.automation.survey',
};
