import { useState } from 'react';
import { useApiQuery } from '../api/queries';
import { CAMPAIGN_STATUSES, type Campaign, type Page } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner } from '../components/error-banner';
import { HolidayName } from '../components/holiday-name';
import { Loading } from '../components/loading';
import { SendTime } from '../components/send-time';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { campaignDate } from '../lib/holidays';
import { Link, navigate } from '../lib/router';

export function CampaignsPage() {
  const { t, term } = useI18n();
  const { canWrite } = useSession();
  const [status, setStatus] = useState('');
  const { data, error, isPending } = useApiQuery<Page<Campaign>>('/v1/campaigns', { status, limit: 500 }, { keepPrevious: true });
  return (
    <>
      <div className="page-head">
        <h1>{t('campaigns.title')}</h1>
        {canWrite('campaigns') && <button className="primary" onClick={() => navigate('/campaigns/new')}>{t('campaigns.new')}</button>}
      </div>
      <div className="filters">
        <select value={status} onChange={(e) => setStatus(e.target.value)} name="status">
          <option value="">{t('common.status')}: {t('common.all')}</option>
          {CAMPAIGN_STATUSES.map((s) => <option key={s} value={s}>{term('status', s)}</option>)}
        </select>
      </div>
      <ErrorBanner error={error} />
      {isPending ? <Loading /> : (
        <table className="table">
          <thead><tr><th>{t('common.name')}</th><th>{t('common.kind')}</th><th>{t('campaigns.sendTime')}</th><th>{t('campaigns.template')}</th><th>{t('common.status')}</th></tr></thead>
          <tbody>
            {(data?.items ?? []).map((c) => (
              <tr key={c.id}>
                <td><Link to={`/campaigns/${c.id}`}>{c.name}</Link></td>
                <td>{term('kind', c.kind)}{c.holidayKey && <> · <HolidayName holidayKey={c.holidayKey} date={campaignDate(c)} /></>}</td>
                <td><SendTime campaign={c} /></td>
                <td>{c.templateKey} · {c.channels.map((channel) => term('channel', channel)).join(' + ')}</td><td><StatusBadge status={c.status} /></td>
              </tr>
            ))}
            {data?.items.length === 0 && <tr><td colSpan={5} className="muted">{t('common.none')}</td></tr>}
          </tbody>
        </table>
      )}
    </>
  );
}
