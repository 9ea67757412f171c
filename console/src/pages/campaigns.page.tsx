import { useState } from 'react';
import { api } from '../api/client';
import type { Campaign, Page } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner, Loading, StatusBadge } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { Link, navigate } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { campaignDate } from './calendar.page';

const STATUSES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'];

export function CampaignsPage() {
  const { t, formatInstant } = useI18n();
  const { canWrite } = useSession();
  const [status, setStatus] = useState('');
  const { data, error, loading } = useLoad(() => api.get<Page<Campaign>>('/v1/campaigns', { status, limit: 500 }), [status]);
  return (
    <>
      <div className="page-head">
        <h1>{t('campaigns.title')}</h1>
        {canWrite('campaigns') && <button className="primary" onClick={() => navigate('/campaigns/new')}>{t('campaigns.new')}</button>}
      </div>
      <div className="filters">
        <select value={status} onChange={(e) => setStatus(e.target.value)} name="status">
          <option value="">{t('common.status')}: {t('common.all')}</option>
          {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </div>
      <ErrorBanner error={error} />
      {loading && !data ? <Loading /> : (
        <table className="table">
          <thead><tr><th>{t('common.name')}</th><th>{t('common.kind')}</th><th>{t('campaigns.sendTime')}</th><th>{t('campaigns.template')}</th><th>{t('common.status')}</th></tr></thead>
          <tbody>
            {(data?.items ?? []).map((c) => (
              <tr key={c.id}>
                <td><Link to={`/campaigns/${c.id}`}>{c.name}</Link></td><td>{c.kind}{c.holidayKey ? ` · ${c.holidayKey}` : ''}</td>
                <td>{c.sendLocal ? `${campaignDate(c) ?? ''} ${c.sendLocal.time} (local)` : formatInstant(c.sendAt ?? c.nextRunAt)}</td>
                <td>{c.templateKey} · {c.channels.join('+')}</td><td><StatusBadge status={c.status} /></td>
              </tr>
            ))}
            {data?.items.length === 0 && <tr><td colSpan={5} className="muted">{t('common.none')}</td></tr>}
          </tbody>
        </table>
      )}
    </>
  );
}
