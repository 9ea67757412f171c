import { useState } from 'react';
import { api } from '../api/client';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { Campaign, Segment } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner } from '../components/error-banner';
import { FilterSummary } from '../components/filter-summary';
import { HolidayName } from '../components/holiday-name';
import { Loading } from '../components/loading';
import { SendTime } from '../components/send-time';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { campaignDate } from '../lib/holidays';
import { Link } from '../lib/router';

const LIVE: Campaign['status'][] = ['scheduled', 'running'];
/** Message statuses that mean "it went (or may have) to the provider", and "not yet". */
const GONE = ['sending', 'sent', 'delivered', 'undelivered', 'failed', 'unknown'];
const PENDING = ['scheduled', 'queued'];
const countOf = (campaign: Campaign, statuses: string[]) => statuses.reduce((sum, status) => sum + (campaign.stats?.[status] ?? 0), 0);
type Action = 'pause' | 'resume' | 'cancel';
const ACTIONS: Record<Action, Campaign['status'][]> = {
  pause: ['scheduled', 'running'],
  resume: ['paused'],
  cancel: ['draft', 'scheduled', 'running', 'paused'],
};

function Audience({ campaign }: { campaign: Campaign }) {
  const { t } = useI18n();
  const segment = useApiQuery<Segment>(campaign.segmentId ? `/v1/segments/${campaign.segmentId}` : null);
  if (!campaign.segmentId) return <FilterSummary filter={campaign.filter as Record<string, unknown> | null} />;
  return <>{t('campaigns.segment')}: {segment.data?.name ?? '…'}</>;
}

export function CampaignPage({ id }: { id: string }) {
  const { t, term } = useI18n();
  const { canWrite } = useSession();
  // Counts move while it sends: poll until it is no longer live.
  const { data: campaign, error, isPending } = useApiQuery<Campaign>(`/v1/campaigns/${id}`, undefined, {
    refetchInterval: (data) => (data && LIVE.includes(data.status) ? 1500 : false),
  });
  const act = useApiMutation((action: Action) => api.post<Campaign>(`/v1/campaigns/${id}/${action}`), ['/v1/campaigns']);
  // Cancelling asks first, saying what has gone already (it can't be recalled) and what will not go.
  const [askCancel, setAskCancel] = useState(false);
  if (isPending) return <Loading />;
  if (!campaign) return <ErrorBanner error={error} />;
  const live = LIVE.includes(campaign.status);
  const stats = Object.entries(campaign.stats ?? {});
  return (
    <>
      <p><Link to="/campaigns">← {t('common.back')}</Link></p>
      <div className="page-head">
        <h1>{campaign.name} <StatusBadge status={campaign.status} /> {live && <span className="muted small" data-testid="live">● {t('campaigns.live')}</span>}</h1>
        {canWrite('campaigns') && (
          <div className="actions">
            {(Object.keys(ACTIONS) as Action[]).filter((a) => ACTIONS[a].includes(campaign.status)).map((a) => (
              <button key={a} className={a === 'cancel' ? 'danger' : undefined} disabled={act.isPending}
                onClick={() => (a === 'cancel' ? setAskCancel(true) : act.mutate(a))}>{t(`campaigns.${a}`)}</button>
            ))}
            {campaign.status === 'draft' && <Link to={`/campaigns/new?draft=${campaign.id}`}>{t('campaigns.editDraft')}</Link>}
          </div>
        )}
      </div>
      {askCancel && (
        <div className="card dialog" role="dialog" aria-label={t('campaigns.cancelTitle')} data-testid="confirm-cancel">
          <h3>{t('campaigns.cancelTitle')}</h3>
          <p>{t('campaigns.cancelBody', { sent: countOf(campaign, GONE), pending: countOf(campaign, PENDING) })}</p>
          <button className="danger" disabled={act.isPending} onClick={() => act.mutate('cancel', { onSettled: () => setAskCancel(false) })}>{t('campaigns.cancelConfirm')}</button>{' '}
          <button onClick={() => setAskCancel(false)}>{t('campaigns.keep')}</button>
        </div>
      )}
      <ErrorBanner error={act.error} />
      <div className="grid two">
        <section className="card">
          <dl className="fields">
            <div><dt>{t('common.kind')}</dt><dd>{term('kind', campaign.kind)}{campaign.holidayKey && <> · <HolidayName holidayKey={campaign.holidayKey} date={campaignDate(campaign)} /></>}</dd></div>
            <div><dt>{t('campaigns.sendTime')}</dt><dd><SendTime campaign={campaign} /></dd></div>
            <div><dt>{t('campaigns.audience')}</dt><dd className="small"><Audience campaign={campaign} /></dd></div>
            <div><dt>{t('campaigns.template')}</dt><dd>{campaign.templateKey}</dd></div>
            <div><dt>{t('common.channels')}</dt><dd>{campaign.channels.map((channel) => term('channel', channel)).join(', ')}</dd></div>
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
