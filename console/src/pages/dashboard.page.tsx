import { lazy, Suspense } from 'react';
import { useApiQuery } from '../api/queries';
import type { Channel } from '../api/types';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import type { ChartSeries } from '../components/stacked-bar-chart';
import { HolidayName } from '../components/holiday-name';
import { SendTime } from '../components/send-time';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import type { DictionaryKey } from '../i18n/zh-cn.dictionary';
import { chartDays, readOverview, type Listed, type Overview } from '../lib/overview';
import { campaignDate } from '../lib/holidays';
import { Link } from '../lib/router';

/** Statuses grouped for the chart: four colours read better than eleven. */
const STATUS_GROUPS: Array<{ label: DictionaryKey; color: string; statuses: string[] }> = [
  { label: 'chart.delivered', color: '#2f9e63', statuses: ['delivered', 'sent'] },
  { label: 'chart.pending', color: '#7aa7e0', statuses: ['scheduled', 'queued', 'sending'] },
  { label: 'chart.failed', color: '#d9534f', statuses: ['failed', 'undelivered', 'unknown', 'expired'] },
  { label: 'chart.suppressed', color: '#b9b9c3', statuses: ['suppressed', 'cancelled'] },
];
const CHANNELS: Channel[] = ['sms', 'email'];

// ECharts is most of the console's weight: only the dashboard loads it, in its own chunk.
const StackedBarChart = lazy(() => import('../components/stacked-bar-chart').then((module) => ({ default: module.StackedBarChart })));
const SatisfactionChart = lazy(() => import('../components/satisfaction-chart').then((module) => ({ default: module.SatisfactionChart })));

function channelSeries(overview: Overview, channel: Channel, days: string[], label: (key: DictionaryKey) => string): ChartSeries[] {
  return STATUS_GROUPS.map((group) => ({
    label: label(group.label),
    color: group.color,
    values: days.map((day) => overview.rows
      .filter((row) => row.date === day && row.channel === channel && group.statuses.includes(row.status))
      .reduce((sum, row) => sum + row.count, 0)),
  }));
}

function Stat({ label, value }: { label: DictionaryKey; value: Listed }) {
  const { t } = useI18n();
  return (
    <div className="card stat">
      <div className="muted">{t(label)}</div>
      <div className="stat-value">{value.count}</div>
      {value.names.length > 0 && <div className="small">{value.names.slice(0, 5).join('、')}</div>}
    </div>
  );
}

export function DashboardPage() {
  const { t, term, timeZone } = useI18n();
  const overview = useApiQuery<Record<string, unknown>>('/v1/stats/overview', { days: 30 });
  if (overview.isPending) return <Loading />;
  if (!overview.data) return <><h1>{t('nav.dashboard')}</h1><ErrorBanner error={overview.error} /></>;
  const data = readOverview(overview.data);
  const days = chartDays(data);
  return (
    <>
      <h1>{t('nav.dashboard')}</h1>
      <p className="muted small" data-testid="shop-zone">{t('time.shopZone', { zone: timeZone })}</p>
      <div className="grid stats">
        <Stat label="dashboard.birthdaysToday" value={data.birthdaysToday} />
        <Stat label="dashboard.birthdaysWeek" value={data.birthdaysThisWeek} />
        <Stat label="dashboard.followUpsDue" value={data.followUpsDue} />
        {typeof overview.data.ticketsOverdue === 'number' && (
          <Link to="/inbox" className="card stat" data-testid="tickets-overdue">
            <div className="muted">{t('inbox.overdueCount')}</div>
            <div className={`stat-value${overview.data.ticketsOverdue > 0 ? ' error' : ''}`}>{overview.data.ticketsOverdue}</div>
          </Link>
        )}
        <div className="card stat">
          <div className="muted">{t('dashboard.last24h')}</div>
          <div className="chips" data-testid="last24h">
            {Object.entries(data.last24h).map(([status, count]) => <span key={status}><StatusBadge status={status} /> {count}</span>)}
            {Object.keys(data.last24h).length === 0 && <span className="muted">{t('common.none')}</span>}
          </div>
        </div>
      </div>
      <section className="card">
        <h2>{t('dashboard.chart')}</h2>
        <div className="grid two">
          <Suspense fallback={<Loading />}>
            {CHANNELS.map((channel) => (
              <StackedBarChart key={channel} channel={channel} title={term('channel', channel)} days={days} series={channelSeries(data, channel, days, t)} />
            ))}
          </Suspense>
        </div>
      </section>
      <section className="card">
        <Suspense fallback={<Loading />}><SatisfactionChart /></Suspense>
      </section>
      <section className="card">
        <h2>{t('dashboard.nextCampaigns')}</h2>
        {data.nextCampaigns.length === 0 ? <p className="muted">{t('common.none')}</p> : (
          <ul className="plain">
            {data.nextCampaigns.map((campaign) => (
              <li key={campaign.id}>
                <Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link> · {term('kind', campaign.kind)}
                {campaign.holidayKey && <> · <HolidayName holidayKey={campaign.holidayKey} date={campaignDate(campaign)} /></>} · <SendTime campaign={campaign} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
