import { api } from '../api/client';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { Message, MessageWithEvents } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { ReasonText } from '../components/reason-text';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { Link, navigate } from '../lib/router';

export function MessagePage({ id }: { id: string }) {
  const { t, term, formatInstant } = useI18n();
  const { canWrite } = useSession();
  const { data: m, error, isPending } = useApiQuery<MessageWithEvents>(`/v1/messages/${id}`);
  const resend = useApiMutation(() => api.post<Message>(`/v1/messages/${id}/resend`), ['/v1/messages']);
  const markSent = useApiMutation(() => api.post<Message>(`/v1/messages/${id}/mark-sent`), ['/v1/messages']);
  if (isPending) return <Loading />;
  if (!m) return <ErrorBanner error={error} />;
  const ops = canWrite('messages');
  return (
    <>
      <p><Link to="/messages">← {t('common.back')}</Link></p>
      <div className="page-head">
        <h1>{term('kind', m.kind)} · {term('channel', m.channel)} <StatusBadge status={m.status} /></h1>
        <div className="actions">
          {ops && ['failed', 'unknown'].includes(m.status) && (
            <button onClick={() => resend.mutate(undefined, { onSuccess: (created) => navigate(`/messages/${created.id}`) })}>{t('messages.resend')}</button>
          )}
          {ops && m.status === 'unknown' && <button onClick={() => markSent.mutate(undefined)}>{t('messages.markSent')}</button>}
        </div>
      </div>
      <ErrorBanner error={resend.error ?? markSent.error} />
      <div className="grid two">
        <section className="card">
          <dl className="fields">
            <div><dt>{t('messages.to')}</dt><dd>{m.to ?? '—'} (<Link to={`/contacts/${m.contactId}`}>{m.contactName || t('templates.contact')}</Link>)</dd></div>
            <div><dt>{t('messages.scheduledAt')}</dt><dd>{formatInstant(m.scheduledAt)}</dd></div>
            <div><dt>{t('messages.sentAt')}</dt><dd>{formatInstant(m.sentAt)}</dd></div>
            <div><dt>{t('messages.provider')}</dt><dd>{m.provider ?? '—'} {m.providerMessageId}</dd></div>
            {m.campaignId && <div><dt>{t('nav.campaigns')}</dt><dd><Link to={`/campaigns/${m.campaignId}`}>{m.campaignName ?? t('messages.campaignName')}</Link></dd></div>}
            {m.error && <div><dt>{t('messages.error')}</dt><dd>{m.error}</dd></div>}
          </dl>
          {m.subject && <p><strong>{m.subject}</strong></p>}
          <pre className="rendered">{m.body}</pre>
        </section>
        <section className="card">
          <h2>{t('messages.events')}</h2>
          <table className="table" data-testid="message-events">
            <tbody>
              {m.events.map((e, i) => <tr key={i}><td>{formatInstant(e.at)}</td><td><StatusBadge status={e.status} /></td><td className="small"><ReasonText reason={e.reason} /></td></tr>)}
            </tbody>
          </table>
        </section>
      </div>
    </>
  );
}
