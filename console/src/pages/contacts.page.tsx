import { useState } from 'react';
import { api } from '../api/client';
import { LIFECYCLES, type Contact, type Page } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner, Loading } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { Link } from '../lib/router';
import { useDebounced, useLoad } from '../lib/use-load';
import { ContactsImportPanel } from './contacts-import.panel';

export function ContactsPage() {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const [filters, setFilters] = useState({ q: '', tag: '', tier: '', lifecycle: '' });
  const [extra, setExtra] = useState<Contact[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const settled = useDebounced(filters, 300);
  const { data, error, loading, reload } = useLoad(async () => {
    const page = await api.get<Page<Contact>>('/v1/contacts', { ...settled, limit: 50 });
    setExtra([]);
    setCursor(page.nextCursor);
    return page.items;
  }, [settled]);
  const loadMore = async () => {
    const page = await api.get<Page<Contact>>('/v1/contacts', { ...settled, limit: 50, cursor });
    setExtra((rows) => [...rows, ...page.items]);
    setCursor(page.nextCursor);
  };
  const set = (name: keyof typeof filters) => (event: { target: { value: string } }) => setFilters({ ...filters, [name]: event.target.value });
  const rows = [...(data ?? []), ...extra];
  return (
    <>
      <div className="page-head">
        <h1>{t('contacts.title')}</h1>
        {canWrite('contacts') && <button onClick={() => setImporting(!importing)}>{t('contacts.import')}</button>}
      </div>
      {importing && <ContactsImportPanel onDone={reload} />}
      <div className="filters">
        <input placeholder={t('contacts.search')} value={filters.q} onChange={set('q')} name="q" />
        <input placeholder={t('contacts.tag')} value={filters.tag} onChange={set('tag')} name="tag" />
        <input placeholder={t('contacts.tier')} value={filters.tier} onChange={set('tier')} name="tier" />
        <select value={filters.lifecycle} onChange={set('lifecycle')} name="lifecycle">
          <option value="">{t('contacts.lifecycle')}: {t('common.all')}</option>
          {LIFECYCLES.map((l) => <option key={l} value={l}>{t(`lifecycle.${l}`)}</option>)}
        </select>
      </div>
      <ErrorBanner error={error} />
      {loading && !data ? <Loading /> : (
        <table className="table">
          <thead><tr><th>{t('common.name')}</th><th>{t('contacts.phone')}</th><th>{t('contacts.email')}</th><th>{t('contacts.tags')}</th><th>{t('contacts.tier')}</th><th>{t('contacts.lifecycle')}</th></tr></thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td><Link to={`/contacts/${c.id}`}>{c.name || c.externalId || c.id.slice(0, 8)}</Link></td>
                <td>{c.phone}</td><td>{c.email}</td><td>{c.tags.join(', ')}</td><td>{c.tier}</td><td>{t(`lifecycle.${c.lifecycle}`)}</td>
              </tr>
            ))}
            {rows.length === 0 && <tr><td colSpan={6} className="muted">{t('common.none')}</td></tr>}
          </tbody>
        </table>
      )}
      {cursor && <button onClick={loadMore}>{t('common.more')}</button>}
    </>
  );
}
