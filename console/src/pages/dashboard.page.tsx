import { api } from '../api/client';
import { ErrorBanner, Loading, StatusBadge } from '../components/error-banner';
import { StackedBarChart, type ChartSeries } from '../components/stacked-bar-chart';
import { useI18n } from '../i18n/i18n';
import type { DictionaryKey } from '../i18n/zh-cn.dictionary';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { chartDays, readOverview, type Listed, type Overview } from './overview';

/** Statuses grouped for the chart: four colours read better than eleven. */
const STATUS_GROUPS: Array<{ label: string; color: string; statuses: string[] }> = [
  { label: 'delivered/sent', color: '#2f9e63', statuses: ['delivered', 'sent'] },
  { label: 'pending', color: '#7aa7e0', statuses: ['scheduled', 'queued', 'sending'] },
  { label: 'failed', color: '#d9534f', statuses: ['failed', 'undelivered', 'unknown', 'expired'] },
  { label: 'suppressed/cancelled', color: '#b9b9c3', statuses: ['suppressed', 'cancelled'] },
];

function channelSeries(overview: Overview, channel: string, days: string[]): ChartSeries[] {
  return STATUS_GROUPS.map((group) => ({
    label: group.label,
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
  const { t, formatInstant } = useI18n();
  const { data, error, loading } = useLoad(async () => readOverview(await api.get('/v1/stats/overview', { days: 30 })), []);
  if (loading && !data) return <Loading />;
  if (!data) return <><h1>{t('nav.dashboard')}</h1><ErrorBanner error={error} /></>;
  const days = chartDays(data);
  const channels = ['sms', 'email'];
  return (
    <>
      <h1>{t('nav.dashboard')}</h1>
      <div className="grid stats">
        <Stat label="dashboard.birthdaysToday" value={data.birthdaysToday} />
        <Stat label="dashboard.birthdaysWeek" value={data.birthdaysThisWeek} />
        <Stat label="dashboard.followUpsDue" value={data.followUpsDue} />
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
          {channels.map((channel) => <StackedBarChart key={channel} title={channel.toUpperCase()} days={days} series={channelSeries(data, channel, days)} />)}
        </div>
      </section>
      <section className="card">
        <h2>{t('dashboard.nextCampaigns')}</h2>
        {data.nextCampaigns.length === 0 ? <p className="muted">{t('common.none')}</p> : (
          <ul className="plain">
            {data.nextCampaigns.map((campaign) => (
              <li key={campaign.id}>
                <Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link> · {campaign.kind} · {formatInstant(campaign.nextRunAt ?? campaign.sendAt)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
