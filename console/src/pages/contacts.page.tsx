import { useState } from 'react';
import { useApiPages } from '../api/queries';
import { LIFECYCLES, type Contact } from '../api/types';
import { useSession } from '../auth/session';
import { ContactsImportPanel } from '../components/contacts-import.panel';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { useI18n } from '../i18n/i18n';
import { Link } from '../lib/router';
import { useDebounced } from '../lib/use-debounced';

export function ContactsPage() {
  const { t, term } = useI18n();
  const { canWrite } = useSession();
  const [filters, setFilters] = useState({ q: '', tag: '', tier: '', lifecycle: '' });
  const [importing, setImporting] = useState(false);
  const settled = useDebounced(filters, 300);
  const contacts = useApiPages<Contact>('/v1/contacts', { ...settled, limit: 50 });
  const set = (name: keyof typeof filters) => (event: { target: { value: string } }) => setFilters({ ...filters, [name]: event.target.value });
  const rows = contacts.items ?? [];
  return (
    <>
      <div className="page-head">
        <h1>{t('contacts.title')}</h1>
        {canWrite('contacts') && <button onClick={() => setImporting(!importing)}>{t('contacts.import')}</button>}
      </div>
      {importing && <ContactsImportPanel />}
      <div className="filters">
        <input placeholder={t('contacts.search')} value={filters.q} onChange={set('q')} name="q" />
        <input placeholder={t('contacts.tag')} value={filters.tag} onChange={set('tag')} name="tag" />
        <input placeholder={t('contacts.tier')} value={filters.tier} onChange={set('tier')} name="tier" />
        <select value={filters.lifecycle} onChange={set('lifecycle')} name="lifecycle">
          <option value="">{t('contacts.lifecycle')}: {t('common.all')}</option>
          {LIFECYCLES.map((l) => <option key={l} value={l}>{term('lifecycle', l)}</option>)}
        </select>
      </div>
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
