import { useState } from 'react';
import { api } from '../api/client';
import { LIFECYCLES, type Page, type Segment, type SegmentFilter, type SegmentPreview } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner, Loading } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { useLoad } from '../lib/use-load';

/** Comma-separated words → a list, or nothing when empty. */
export function listOf(text: string): string[] | undefined {
  const items = text.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

export function FilterFields({ value, onChange }: { value: SegmentFilter; onChange(next: SegmentFilter): void }) {
  const { t } = useI18n();
  return (
    <div className="row">
      <label>{t('contacts.tags')}<input name="filterTags" defaultValue={value.tags?.join(', ')} onChange={(e) => onChange({ ...value, tags: listOf(e.target.value) })} /></label>
      <label>{t('contacts.tier')}<input name="filterTiers" defaultValue={value.tiers?.join(', ')} onChange={(e) => onChange({ ...value, tiers: listOf(e.target.value) })} /></label>
      <label>{t('contacts.lifecycle')}
        <select name="filterLifecycle" value={value.lifecycle?.[0] ?? ''} onChange={(e) => onChange({ ...value, lifecycle: e.target.value ? [e.target.value as never] : undefined })}>
          <option value="">{t('common.all')}</option>
          {LIFECYCLES.map((l) => <option key={l} value={l}>{t(`lifecycle.${l}`)}</option>)}
        </select>
      </label>
    </div>
  );
}

function SegmentRow({ segment }: { segment: Segment }) {
  const { t } = useI18n();
  const preview = useLoad(() => api.get<SegmentPreview>(`/v1/segments/${segment.id}/preview`), [segment.id]);
  return (
    <tr data-testid="segment-row">
      <td>{segment.name}</td>
      <td className="small mono">{JSON.stringify(segment.filter)}</td>
      <td data-testid="segment-count">{preview.data ? preview.data.count : preview.error ? '!' : '…'}</td>
      <td className="small">{preview.data?.sample.slice(0, 3).map((c) => c.name).join('、')}</td>
    </tr>
  );
}

export function SegmentsPage() {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const list = useLoad(() => api.get<Page<Segment>>('/v1/segments', { limit: 500 }), []);
  const [name, setName] = useState('');
  const [filter, setFilter] = useState<SegmentFilter>({});
  const [error, setError] = useState<unknown>(null);
  const create = async () => {
    setError(null);
    try {
      await api.post('/v1/segments', { name, filter });
      setName('');
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <>
      <h1>{t('segments.title')}</h1>
      {canWrite('segments') && (
        <section className="card form">
          <h2>{t('segments.new')}</h2>
          <label>{t('common.name')}<input name="segmentName" value={name} onChange={(e) => setName(e.target.value)} /></label>
          <FilterFields value={filter} onChange={setFilter} />
          <ErrorBanner error={error} />
          <button className="primary" disabled={!name.trim()} onClick={create}>{t('common.create')}</button>
        </section>
      )}
      <ErrorBanner error={list.error} />
      {list.loading && !list.data ? <Loading /> : (
        <table className="table">
          <thead><tr><th>{t('common.name')}</th><th>{t('campaigns.filter')}</th><th>{t('segments.count')}</th><th>{t('segments.sample')}</th></tr></thead>
          <tbody>{list.data?.items.map((s) => <SegmentRow key={s.id} segment={s} />)}</tbody>
        </table>
      )}
    </>
  );
}
