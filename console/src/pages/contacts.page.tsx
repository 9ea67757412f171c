import { useState } from 'react';
import { api, downloadFile, type ApiError } from '../api/client';
import { useApiMutation, useApiPages, useApiQuery } from '../api/queries';
import { LIFECYCLES, type Contact } from '../api/types';
import { useSession } from '../auth/session';
import { ContactsImportPanel } from '../components/contacts-import.panel';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { useI18n } from '../i18n/i18n';
import type { DictionaryKey } from '../i18n/zh-cn.dictionary';
import { Link } from '../lib/router';
import { useDebounced } from '../lib/use-debounced';

const SORTS: Array<[string, DictionaryKey]> = [
  ['-createdAt', 'contactsList.sortNewest'], ['createdAt', 'contactsList.sortOldest'], ['name', 'contactsList.sortName'],
  ['-name', 'contactsList.sortNameDesc'], ['-updatedAt', 'contactsList.sortUpdated'],
];

type Filters = { q: string; tag: string; tier: string; lifecycle: string };
interface BulkResult { matched: number; changed: number }

/** The list's filters as the API takes them (empty ones left out): the list, its count, the export and the bulk actions share them. */
const selectionOf = (filters: Filters) =>
  Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== '')) as Partial<Filters>;

export function ContactsPage() {
  const { t, term } = useI18n();
  const { canWrite } = useSession();
  const [filters, setFilters] = useState<Filters>({ q: '', tag: '', tier: '', lifecycle: '' });
  const [sort, setSort] = useState('-createdAt');
  const [importing, setImporting] = useState(false);
  const settled = useDebounced(filters, 300);
  const contacts = useApiPages<Contact>('/v1/contacts', { ...settled, sort, limit: 50 });
  const count = useApiQuery<{ count: number }>('/v1/contacts/count', settled, { keepPrevious: true });
  const set = (name: keyof Filters) => (event: { target: { value: string } }) => setFilters({ ...filters, [name]: event.target.value });
  const rows = contacts.items ?? [];
  const exportAs = useApiMutation((format: 'csv' | 'xlsx') =>
    downloadFile('/v1/contacts/export', { ...selectionOf(settled), format }, `contacts.${format}`), []);
  return (
    <>
      <div className="page-head">
        <h1>{t('contacts.title')}</h1>
        <div className="page-actions">
          {canWrite('contacts') && <button onClick={() => setImporting(!importing)}>{t('import.open')}</button>}
          <button type="button" onClick={() => exportAs.mutate('csv')}>{t('contactsList.exportCsv')}</button>
          <button type="button" onClick={() => exportAs.mutate('xlsx')}>{t('contactsList.exportXlsx')}</button>
        </div>
      </div>
      {importing && <ContactsImportPanel />}
      <ErrorBanner error={exportAs.error} />
      <div className="filters">
        <input placeholder={t('contacts.search')} value={filters.q} onChange={set('q')} name="q" />
        <input placeholder={t('contacts.tag')} value={filters.tag} onChange={set('tag')} name="tag" />
        <input placeholder={t('contacts.tier')} value={filters.tier} onChange={set('tier')} name="tier" />
        <select value={filters.lifecycle} onChange={set('lifecycle')} name="lifecycle">
          <option value="">{t('contacts.lifecycle')}: {t('common.all')}</option>
          {LIFECYCLES.map((l) => <option key={l} value={l}>{term('lifecycle', l)}</option>)}
        </select>
        <label>
          {t('contactsList.sort')}{' '}
          <select value={sort} onChange={(e) => setSort(e.target.value)} name="sort">
            {SORTS.map(([value, label]) => <option key={value} value={value}>{t(label)}</option>)}
          </select>
        </label>
      </div>
      {count.data && <p data-testid="contacts-count">{t('contactsList.count', { count: count.data.count })}</p>}
      {canWrite('contacts') && count.data && count.data.count > 0 && <BulkBar filters={settled} count={count.data.count} />}
      <ErrorBanner error={contacts.error} />
      {contacts.isPending ? <Loading /> : (
        <table className="table">
          <thead><tr><th>{t('common.name')}</th><th>{t('contacts.phone')}</th><th>{t('contacts.email')}</th><th>{t('contacts.tags')}</th><th>{t('contacts.tier')}</th><th>{t('contacts.lifecycle')}</th></tr></thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td><Link to={`/contacts/${c.id}`}>{c.name || c.externalId || c.id.slice(0, 8)}</Link></td>
                <td>{c.phone}</td><td>{c.email}</td><td>{c.tags.join(', ')}</td><td>{c.tier}</td><td>{term('lifecycle', c.lifecycle)}</td>
              </tr>
            ))}
            {rows.length === 0 && <tr><td colSpan={6} className="muted">{t('common.none')}</td></tr>}
          </tbody>
        </table>
      )}
      {contacts.hasMore && <button onClick={contacts.more}>{t('common.more')}</button>}
    </>
  );
}

/**
 * Bulk tag, opt-out and delete on what the filters show. With no filter at all the selection is
 * everyone, said explicitly (`filter: {}`); deleting sends the count the user confirmed, so a
 * selection that grew meanwhile deletes nothing.
 */
function BulkBar({ filters, count }: { filters: Filters; count: number }) {
  const { t, term } = useI18n();
  const [tags, setTags] = useState('');
  const [done, setDone] = useState<number | null>(null);
  const selection = { ...selectionOf(filters) } as Record<string, unknown>;
  if (Object.keys(selection).length === 0) selection.filter = {};
  const bulk = useApiMutation(({ action, body }: { action: string; body: Record<string, unknown> }) =>
    api.post<BulkResult>(`/v1/contacts/bulk/${action}`, { ...selection, ...body }), ['/v1/contacts', '/v1/segments']);
  const run = (action: string, body: Record<string, unknown>) => bulk.mutate({ action, body }, { onSuccess: (result) => setDone(result.changed) });
  const optOut = (channel: 'sms' | 'email') => {
    if (window.confirm(t('contactsList.confirmOptOut', { count, channel: term('channel', channel) }))) run('opt-out', { channels: [channel] });
  };
  const changed = (bulk.error as ApiError | null)?.status === 409;
  return (
    <div className="bulk-bar card" data-testid="bulk-bar">
      <span>{t('contactsList.bulkTitle', { count })}</span>
      <input name="bulk-tags" placeholder={t('contactsList.bulkTagPlaceholder')} value={tags} onChange={(e) => setTags(e.target.value)} />
      <button type="button" disabled={!tags.trim() || bulk.isPending}
        onClick={() => run('tag', { tags: tags.split(/[,，;；、]/).map((tag) => tag.trim()).filter(Boolean) })}>{t('contactsList.bulkTag')}</button>
      <button type="button" disabled={bulk.isPending} onClick={() => optOut('sms')}>{t('contactsList.bulkOptOutSms')}</button>
      <button type="button" disabled={bulk.isPending} onClick={() => optOut('email')}>{t('contactsList.bulkOptOutEmail')}</button>
      <button type="button" className="danger" disabled={bulk.isPending}
        onClick={() => window.confirm(t('contactsList.confirmDelete', { count })) && run('delete', { expectedCount: count })}>
        {t('contactsList.bulkDelete')}
      </button>
      {done !== null && !bulk.error && <span className="small" role="status">{t('contactsList.bulkDone', { changed: done })}</span>}
      {changed ? <p role="alert">{t('contactsList.countChanged')}</p> : <ErrorBanner error={bulk.error} />}
    </div>
  );
}
