import { useState } from 'react';
import { api } from '../api/client';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { Page, Segment, SegmentFilter, SegmentPreview } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner } from '../components/error-banner';
import { FilterSummary } from '../components/filter-summary';
import { Loading } from '../components/loading';
import { SegmentFilterFields } from '../components/segment-filter-fields';
import { useI18n } from '../i18n/i18n';

function SegmentRow({ segment }: { segment: Segment }) {
  const preview = useApiQuery<SegmentPreview>(`/v1/segments/${segment.id}/preview`);
  return (
    <tr data-testid="segment-row">
      <td>{segment.name}</td>
      <td className="small"><FilterSummary filter={segment.filter as Record<string, unknown>} /></td>
      <td data-testid="segment-count">{preview.data ? preview.data.count : preview.error ? '!' : '…'}</td>
      <td className="small">{preview.data?.sample.slice(0, 3).map((c) => c.name).join('、')}</td>
    </tr>
  );
}

export function SegmentsPage() {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const list = useApiQuery<Page<Segment>>('/v1/segments', { limit: 500 });
  const [name, setName] = useState('');
  const [filter, setFilter] = useState<SegmentFilter>({});
  const create = useApiMutation((segment: { name: string; filter: SegmentFilter }) => api.post<Segment>('/v1/segments', segment), ['/v1/segments']);
  return (
    <>
      <h1>{t('segments.title')}</h1>
      {canWrite('segments') && (
        <section className="card form">
          <h2>{t('segments.new')}</h2>
          <label>{t('common.name')}<input name="segmentName" value={name} onChange={(e) => setName(e.target.value)} /></label>
          <SegmentFilterFields value={filter} onChange={setFilter} />
          <ErrorBanner error={create.error} />
          <button className="primary" disabled={!name.trim() || create.isPending} onClick={() => create.mutate({ name, filter }, { onSuccess: () => setName('') })}>{t('common.create')}</button>
        </section>
      )}
      <ErrorBanner error={list.error} />
      {list.isPending ? <Loading /> : (
        <table className="table">
          <thead><tr><th>{t('common.name')}</th><th>{t('campaigns.filter')}</th><th>{t('segments.count')}</th><th>{t('segments.sample')}</th></tr></thead>
          <tbody>{list.data?.items.map((s) => <SegmentRow key={s.id} segment={s} />)}</tbody>
        </table>
      )}
    </>
  );
}
