import { useState } from 'react';
import { api, request } from '../api/client';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { Contact, Message, Page } from '../api/types';
import { useSession } from '../auth/session';
import { ContactEditForm } from '../components/contact-edit.form';
import { ContactOrdersPanel } from '../components/contact-orders.panel';
import { ReferralPanel } from '../components/referral.panel';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { Link, navigate } from '../lib/router';

export function ContactPage({ id }: { id: string }) {
  const { t, term, formatInstant } = useI18n();
  const { canWrite } = useSession();
  const [editing, setEditing] = useState(false);
  const contact = useApiQuery<Contact>(`/v1/contacts/${id}`);
  const history = useApiQuery<Page<Message>>('/v1/messages', { contactId: id, limit: 200 });
  const optOut = useApiMutation((channel: 'sms' | 'email') =>
    api.post<Contact>(`/v1/contacts/${id}/opt-out`, { channels: [channel] }), ['/v1/contacts']);
  const remove = useApiMutation(() => request<void>('DELETE', `/v1/contacts/${id}`), ['/v1/contacts', '/v1/segments']);
  if (contact.isPending) return <Loading />;
  const c = contact.data;
  if (!c) return <ErrorBanner error={contact.error} />;
  const fields: Array<[string, string | null | undefined]> = [
    [t('contacts.phone'), c.phone], [t('contacts.email'), c.email], [t('contacts.locale'), c.locale], [t('contacts.timeZone'), c.timeZone],
    [t('contacts.gender'), c.gender ? term('gender', c.gender) : null],
    [t('contacts.birthday'), c.birthday ? `${c.birthday}${c.birthdayCalendar === 'lunar' ? ` (${t('calendar.lunar')})` : ''}` : null],
    [t('contacts.nextBirthday'), formatInstant(c.nextBirthdayAt)], [t('contacts.tags'), c.tags.join(', ')], [t('contacts.tier'), c.tier],
    [t('contacts.lifecycle'), term('lifecycle', c.lifecycle)], [t('contacts.externalId'), c.externalId],
    ...Object.entries(c.attributes).map(([name, value]): [string, string] => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
  ];
  return (
    <>
      <p><Link to="/contacts">← {t('common.back')}</Link></p>
      <div className="page-head">
        <h1>{c.name || c.externalId || c.id}</h1>
        <div className="page-actions">
          {canWrite('contacts') && !editing && <button type="button" onClick={() => setEditing(true)}>{t('contactEdit.edit')}</button>}
          {canWrite('contacts') && (
            <button type="button" className="danger" disabled={remove.isPending} onClick={() => {
              if (window.confirm(t('contactEdit.confirmDelete', { name: c.name || c.externalId || c.id }))) {
                remove.mutate(undefined, { onSuccess: () => navigate('/contacts') });
              }
            }}>{t('contactEdit.delete')}</button>
          )}
        </div>
      </div>
      <ErrorBanner error={remove.error ?? optOut.error} />
      {editing && <ContactEditForm contact={c} onDone={() => setEditing(false)} />}
      <div className="grid two">
        <section className="card">
          <dl className="fields">{fields.map(([label, value]) => <div key={label}><dt>{label}</dt><dd>{value || '—'}</dd></div>)}</dl>
        </section>
        <section className="card">
          <h2>{t('contacts.consent')}</h2>
          <table className="table">
            <thead><tr><th>{t('common.channel')}</th><th>{t('contacts.consent')}</th><th>{t('contacts.consentSource')}</th></tr></thead>
            <tbody>
              {(['sms', 'email'] as const).map((channel) => (
                <tr key={channel}>
                  <td>{term('channel', channel)}</td>
                  <td data-testid={`consent-${channel}`}>
                    {c.consent[channel] ? `✓ ${t('common.yes')}` : `✗ ${t('common.no')}`}
                    {c.consent[channel] && canWrite('contacts') && (
                      <button type="button" className="small" disabled={optOut.isPending} onClick={() => {
                        if (window.confirm(t('contactEdit.confirmOptOut', { channel: term('channel', channel) }))) optOut.mutate(channel);
                      }}>{t('contactEdit.optOut', { channel: term('channel', channel) })}</button>
                    )}
                  </td>
                  <td className="small">{term('source', c.consentDetails?.[channel]?.source)} · {formatInstant(c.consentDetails?.[channel]?.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <ContactOrdersPanel contact={c} />
      <ReferralPanel contactId={c.id} />
      <section className="card">
        <h2>{t('contacts.history')}</h2>
        <ErrorBanner error={history.error} />
        <table className="table">
          <thead><tr><th>{t('messages.scheduledAt')}</th><th>{t('common.kind')}</th><th>{t('common.channel')}</th><th>{t('common.status')}</th><th>{t('messages.body')}</th></tr></thead>
          <tbody>
            {(history.data?.items ?? []).map((m) => (
              <tr key={m.id}>
                <td><Link to={`/messages/${m.id}`}>{formatInstant(m.scheduledAt)}</Link></td>
                <td>{term('kind', m.kind)}</td><td>{term('channel', m.channel)}</td><td><StatusBadge status={m.status} /></td><td className="clip">{m.subject ?? m.body}</td>
              </tr>
            ))}
            {history.data?.items.length === 0 && <tr><td colSpan={5} className="muted">{t('common.none')}</td></tr>}
          </tbody>
        </table>
      </section>
    </>
  );
}
