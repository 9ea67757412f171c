import { useState } from 'react';
import { api } from '../api/client';
import type { Campaign } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner, Loading, StatusBadge } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { Link } from '../lib/router';
import { useLoad, usePolling } from '../lib/use-load';
import { campaignDate } from './calendar.page';

const LIVE: Campaign['status'][] = ['scheduled', 'running'];
type Action = 'pause' | 'resume' | 'cancel';
const ACTIONS: Record<Action, Campaign['status'][]> = {
  pause: ['scheduled', 'running'],
  resume: ['paused'],
  cancel: ['draft', 'scheduled', 'running', 'paused'],
};

export function CampaignPage({ id }: { id: string }) {
  const { t, formatInstant } = useI18n();
  const { canWrite } = useSession();
  const { data: campaign, error, loading, reload } = useLoad(() => api.get<Campaign>(`/v1/campaigns/${id}`), [id]);
  const [actionError, setActionError] = useState<unknown>(null);
  const live = campaign ? LIVE.includes(campaign.status) : false;
  usePolling(reload, 1500, live);
  const act = async (action: Action) => {
    setActionError(null);
    try {
      await api.post(`/v1/campaigns/${id}/${action}`);
      reload();
    } catch (failure) {
      setActionError(failure);
    }
  };
  if (loading && !campaign) return <Loading />;
  if (!campaign) return <ErrorBanner error={error} />;
  const stats = Object.entries(campaign.stats ?? {});
  return (
    <>
      <p><Link to="/campaigns">← {t('common.back')}</Link></p>
      <div className="page-head">
        <h1>{campaign.name} <StatusBadge status={campaign.status} /> {live && <span className="muted small" data-testid="live">● {t('campaigns.live')}</span>}</h1>
        {canWrite('campaigns') && (
          <div className="actions">
            {(Object.keys(ACTIONS) as Action[]).filter((a) => ACTIONS[a].includes(campaign.status)).map((a) => (
              <button key={a} className={a === 'cancel' ? 'danger' : undefined} onClick={() => act(a)}>{t(`campaigns.${a}`)}</button>
            ))}
          </div>
        )}
      </div>
      <ErrorBanner error={actionError} />
      <div className="grid two">
        <section className="card">
          <dl className="fields">
            <div><dt>{t('common.kind')}</dt><dd>{campaign.kind}{campaign.holidayKey ? ` · ${campaign.holidayKey}` : ''}</dd></div>
            <div><dt>{t('campaigns.sendTime')}</dt><dd>{campaign.sendLocal ? `${campaignDate(campaign) ?? ''} ${campaign.sendLocal.time} (${t('campaigns.localTime')})` : formatInstant(campaign.sendAt)}</dd></div>
            <div><dt>{t('campaigns.audience')}</dt><dd className="small mono">{campaign.segmentId ? `segment ${campaign.segmentId}` : JSON.stringify(campaign.filter ?? {})}</dd></div>
            <div><dt>{t('campaigns.template')}</dt><dd>{campaign.templateKey}</dd></div>
            <div><dt>{t('common.channels')}</dt><dd>{campaign.channels.join(', ')}</dd></div>
          </dl>
        </section>
        <section className="card">
          <h2>{t('campaigns.stats')}</h2>
          <table className="table" data-testid="campaign-stats">
            <tbody>
              {stats.map(([status, count]) => <tr key={status}><td><StatusBadge status={status} /></td><td data-status={status}>{count}</td></tr>)}
              {stats.length === 0 && <tr><td className="muted">{t('common.none')}</td></tr>}
            </tbody>
          </table>
          <p><Link to={`/messages?campaignId=${campaign.id}`}>{t('messages.title')} →</Link></p>
        </section>
      </div>
    </>
  );
}
