import { useState } from 'react';
import { useApiPages, useApiQuery } from '../api/queries';
import { MESSAGE_KINDS, MESSAGE_STATUSES, type Campaign, type Message, type Page } from '../api/types';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { Link } from '../lib/router';
import { dayStartIn } from '../lib/shop-time';
import { useDebounced } from '../lib/use-debounced';


export function MessagesPage() {
  const { t, term, formatInstant, timeZone } = useI18n();
  const initialCampaign = new URLSearchParams(window.location.search).get('campaignId') ?? '';
  const [filters, setFilters] = useState({ status: '', kind: '', channel: '', campaignId: initialCampaign, from: '', to: '' });
  const settled = useDebounced(filters, 300);
  const messages = useApiPages<Message>('/v1/messages', {
    // The date fields are the shop's days: [from's start, the day after until's start) in its zone.
    ...settled, from: dayStartIn(settled.from, timeZone), to: dayStartIn(settled.to, timeZone, 1), limit: 100,
  });
  const set = (name: keyof typeof filters) => (event: { target: { value: string } }) => setFilters({ ...filters, [name]: event.target.value });
  const rows = messages.items ?? [];
  // Campaigns are picked by name; the filter still sends the id.
  const campaigns = useApiQuery<Page<Campaign>>('/v1/campaigns', { limit: 500 });
  return (
    <>
      <h1>{t('messages.title')}</h1>
      <div className="filters">
        <select name="status" value={filters.status} onChange={set('status')}>
          <option value="">{t('common.status')}: {t('common.all')}</option>
          {MESSAGE_STATUSES.map((s) => <option key={s} value={s}>{term('status', s)}</option>)}
        </select>
        <select name="kind" value={filters.kind} onChange={set('kind')}>
          <option value="">{t('common.kind')}: {t('common.all')}</option>
          {MESSAGE_KINDS.map((k) => <option key={k} value={k}>{term('kind', k)}</option>)}
        </select>
        <select name="channel" value={filters.channel} onChange={set('channel')}>
          <option value="">{t('common.channel')}: {t('common.all')}</option>
          <option value="sms">{term('channel', 'sms')}</option><option value="email">{term('channel', 'email')}</option>
        </select>
        <select name="campaignId" value={filters.campaignId} onChange={set('campaignId')} aria-label={t('messages.campaignName')}>
          <option value="">{t('messages.campaignPick')}</option>
          {(campaigns.data?.items ?? []).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          {filters.campaignId && !campaigns.data?.items.some((c) => c.id === filters.campaignId) && <option value={filters.campaignId}>{t('messages.campaignName')}</option>}
        </select>
        <label className="inline">{t('messages.from')}<input type="date" name="from" value={filters.from} onChange={set('from')} /></label>
        <label className="inline">{t('messages.until')}<input type="date" name="to" value={filters.to} onChange={set('to')} /></label>
      </div>
      <ErrorBanner error={messages.error} />
      {messages.isPending ? <Loading /> : (
        <table className="table">
          <thead><tr><th>{t('messages.scheduledAt')}</th><th>{t('common.kind')}</th><th>{t('common.channel')}</th><th>{t('messages.contact')}</th><th>{t('messages.to')}</th><th>{t('messages.campaignName')}</th><th>{t('common.status')}</th><th>{t('messages.body')}</th></tr></thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id}>
                <td><Link to={`/messages/${m.id}`}>{formatInstant(m.scheduledAt)}</Link></td><td>{term('kind', m.kind)}</td><td>{term('channel', m.channel)}</td>
                <td><Link to={`/contacts/${m.contactId}`}>{m.contactName || t('messages.contact')}</Link></td>
                <td>{m.to}</td>
                <td>{m.campaignId ? <Link to={`/campaigns/${m.campaignId}`}>{m.campaignName ?? t('messages.campaignName')}</Link> : '—'}</td>
                <td><StatusBadge status={m.status} /></td><td className="clip">{m.subject ?? m.body}</td>
              </tr>
            ))}
            {rows.length === 0 && <tr><td colSpan={8} className="muted">{t('common.none')}</td></tr>}
          </tbody>
        </table>
      )}
      {messages.hasMore && <button onClick={messages.more}>{t('common.more')}</button>}
    </>
  );
}
