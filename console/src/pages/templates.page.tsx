import { useState } from 'react';
import { useApiQuery } from '../api/queries';
import type { Page, Template } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { useI18n } from '../i18n/i18n';
import { Link, navigate } from '../lib/router';
import { useDebounced } from '../lib/use-debounced';

export function TemplatesPage() {
  const { t, term, formatInstant } = useI18n();
  const { canWrite } = useSession();
  const [filters, setFilters] = useState({ key: '', channel: '', locale: '' });
  const settled = useDebounced(filters, 300);
  const { data, error, isPending } = useApiQuery<Page<Template>>('/v1/templates', { ...settled, limit: 500 }, { keepPrevious: true });
  const set = (name: keyof typeof filters) => (event: { target: { value: string } }) => setFilters({ ...filters, [name]: event.target.value });
  return (
    <>
      <div className="page-head">
        <h1>{t('templates.title')}</h1>
        {canWrite('templates') && <button className="primary" onClick={() => navigate('/templates/new')}>{t('templates.new')}</button>}
      </div>
      <div className="filters">
        <input placeholder={t('templates.key')} value={filters.key} onChange={set('key')} />
        <select value={filters.channel} onChange={set('channel')}>
          <option value="">{t('common.channel')}: {t('common.all')}</option>
          <option value="sms">{term('channel', 'sms')}</option><option value="email">{term('channel', 'email')}</option>
        </select>
        <input placeholder={t('templates.locale')} value={filters.locale} onChange={set('locale')} />
      </div>
      <ErrorBanner error={error} />
      {isPending ? <Loading /> : (
        <table className="table">
          <thead><tr><th>{t('templates.key')}</th><th>{t('common.channel')}</th><th>{t('templates.locale')}</th><th>{t('templates.variant')}</th><th>{t('templates.version')}</th><th /></tr></thead>
          <tbody>
            {(data?.items ?? []).map((tpl) => (
              <tr key={tpl.id}>
                <td><Link to={`/templates/${tpl.id}`}>{tpl.key}</Link></td><td>{term('channel', tpl.channel)}</td><td>{tpl.locale}</td>
                <td>{tpl.variant ? term('gender', tpl.variant) : '—'}</td><td>v{tpl.version}</td><td className="small muted">{formatInstant(tpl.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
