import { useState } from 'react';
import { api } from '../api/client';
import type { Reply, Ticket, TicketStatus } from '../api/feedback.types';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { Contact, Page } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { Link } from '../lib/router';

const FILTERS: TicketStatus[] = ['open', 'overdue', 'resolved'];

function ContactName({ id }: { id: string | null }) {
  const { t } = useI18n();
  const { data } = useApiQuery<Contact>(id ? `/v1/contacts/${id}` : null);
  if (!id) return <span>{t('inbox.unknownSender')}</span>;
  return <Link to={`/contacts/${id}`}>{data?.name ?? data?.phone ?? id.slice(0, 8)}</Link>;
}

export function TicketBadge({ status }: { status: TicketStatus }) {
  const { t } = useI18n();
  const className = status === 'overdue' ? 'badge badge-failed' : status === 'resolved' ? 'badge badge-delivered' : 'badge badge-scheduled';
  return <span className={className} data-ticket-status={status}>{t(`inbox.status.${status}`)}</span>;
}

/** One ticket: the conversation with one contact, the operator's reply box and the resolve button. */
function TicketThread({ ticket }: { ticket: Ticket }) {
  const { t, term, formatInstant } = useI18n();
  const { canWrite } = useSession();
  const editable = canWrite('messages') && ticket.status !== 'resolved';
  const [body, setBody] = useState('');
  const [note, setNote] = useState('');
  const send = useApiMutation((text: string) => api.post<Ticket>(`/v1/tickets/${ticket.id}/reply`, { body: text }), ['/v1/tickets', '/v1/stats/overview']);
  const resolve = useApiMutation((text: string) => api.post<Ticket>(`/v1/tickets/${ticket.id}/resolve`, { note: text || null }), ['/v1/tickets', '/v1/stats/overview']);
  return (
    <article className="card ticket" data-testid="ticket" data-ticket-id={ticket.id}>
      <header className="row">
        <strong><ContactName id={ticket.contactId} /></strong>
        <TicketBadge status={ticket.status} />
        <span className="badge">{t(`inbox.reason.${ticket.reason}`)}</span>
        <span className="badge">{term('channel', ticket.channel)}</span>
        <span className="muted small">{t('inbox.due')}: {formatInstant(ticket.dueAt)}</span>
      </header>
      <ol className="thread">
        {ticket.thread.map((entry) => (
          <li key={`${entry.type}-${entry.id}`} className={`thread-${entry.type}`} data-entry={entry.type}>
            <span className="muted small">
              {entry.type === 'response' ? t('inbox.operator') : entry.type === 'survey' ? `${t('inbox.survey')} ${entry.score ?? ''}` : t('inbox.customer')}
              {' · '}{formatInstant(entry.at)}
              {entry.status && <> <StatusBadge status={entry.status} /></>}
            </span>
            {entry.type === 'response' && entry.messageId
              ? <div><Link to={`/messages/${entry.messageId}`}>{entry.body}</Link></div>
              : <div>{entry.body}</div>}
          </li>
        ))}
      </ol>
      {ticket.note && <p className="muted">{t('inbox.note')}: {ticket.note}</p>}
      <ErrorBanner error={send.error ?? resolve.error} />
      {send.isSuccess && <p className="ok" role="status">{t('inbox.sent')}</p>}
      {editable && (
        <div className="form">
          <textarea name="reply" value={body} placeholder={t('inbox.replyPlaceholder')} onChange={(e) => { send.reset(); setBody(e.target.value); }} />
          <button className="primary" disabled={!body.trim() || send.isPending} onClick={() => send.mutate(body.trim(), { onSuccess: () => setBody('') })}>{t('inbox.send')}</button>
          <div className="row">
            <input name="note" value={note} placeholder={t('inbox.notePlaceholder')} onChange={(e) => setNote(e.target.value)} />
            <button disabled={resolve.isPending} onClick={() => resolve.mutate(note.trim())}>{t('inbox.resolve')}</button>
          </div>
        </div>
      )}
    </article>
  );
}

/** Replies that opened no ticket: keywords, survey scores and numbers no contact has. */
function OtherReplies() {
  const { t, formatInstant } = useI18n();
  const { data } = useApiQuery<Page<Reply>>('/v1/replies', { status: 'none', limit: 50 });
  return (
    <section className="card">
      <h2>{t('inbox.otherReplies')}</h2>
      {!data?.items.length ? <p className="muted">{t('common.none')}</p> : (
        <table className="compact" data-testid="other-replies">
          <tbody>
            {data.items.map((reply) => (
              <tr key={reply.id}>
                <td>{formatInstant(reply.receivedAt)}</td>
                <td>{reply.contactId ? <ContactName id={reply.contactId} /> : `${t('inbox.unknownSender')} ${reply.from}`}</td>
                <td><span className="badge">{t(`inbox.kind.${reply.kind}`)}</span></td>
                <td>{reply.body}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The inbox: tickets (one thread per contact) with overdue badges, and every other reply. */
export function InboxPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState<TicketStatus>('open');
  const tickets = useApiQuery<Page<Ticket>>('/v1/tickets', { status, limit: 100 }, { keepPrevious: true });
  const overdue = useApiQuery<Page<Ticket>>('/v1/tickets', { status: 'overdue', limit: 100 });
  return (
    <>
      <h1>{t('inbox.title')}</h1>
      <p className="muted">{t('inbox.hint')}</p>
      <div className="row" role="tablist">
        {FILTERS.map((name) => (
          <button key={name} role="tab" aria-selected={status === name} className={status === name ? 'primary' : undefined} onClick={() => setStatus(name)}>
            {t(`inbox.filter.${name}`)}
            {name === 'overdue' && (overdue.data?.items.length ?? 0) > 0 && <span className="badge badge-failed" data-testid="overdue-count"> {overdue.data!.items.length}</span>}
          </button>
        ))}
      </div>
      <ErrorBanner error={tickets.error} />
      {tickets.isPending ? <Loading /> : tickets.data?.items.length
        ? tickets.data.items.map((ticket) => <TicketThread key={ticket.id} ticket={ticket} />)
        : <p className="muted">{t('inbox.noTickets')}</p>}
      <OtherReplies />
    </>
  );
}
