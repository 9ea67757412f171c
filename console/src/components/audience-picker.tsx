import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useApiQuery } from '../api/queries';
import type { Page, Segment, SegmentFilter } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { SegmentFilterFields } from './segment-filter-fields';

export interface Audience {
  segmentId: string | null;
  filter: SegmentFilter | null;
}

type Mode = 'everyone' | 'segment' | 'filter';
const modeOf = (audience: Audience): Mode => (audience.segmentId ? 'segment' : audience.filter ? 'filter' : 'everyone');

/**
 * Who an automation greets: every contact, a saved segment, or a filter (API.md: `segmentId? | filter?`).
 * `name` names its radio group: two pickers on one page (birthday, festivals) need two groups, or
 * checking one would uncheck the other.
 */
export function AudiencePicker({ value, disabled, onChange, name = 'audience' }: { value: Audience; disabled?: boolean; onChange(next: Audience): void; name?: string }) {
  const { t } = useI18n();
  const segments = useApiQuery<Page<Segment>>('/v1/segments', { limit: 500 });
  const mode = modeOf(value);
  const choose = (next: Mode) => onChange({
    segmentId: next === 'segment' ? value.segmentId ?? segments.data?.items[0]?.id ?? null : null,
    filter: next === 'filter' ? value.filter ?? {} : null,
  });
  return (
    <fieldset data-testid="audience-picker" disabled={disabled}>
      <legend>{t('audience.title')}</legend>
      <div className="row">
        {(['everyone', 'segment', 'filter'] as const).map((m) => (
          <label key={m} className="inline"><input type="radio" name={name} value={m} checked={mode === m} onChange={() => choose(m)} />{t(`audience.${m}`)}</label>
        ))}
      </div>
      {mode === 'segment' && (
        <label>{t('audience.chooseSegment')}
          <select name="audienceSegment" value={value.segmentId ?? ''} onChange={(e) => onChange({ segmentId: e.target.value || null, filter: null })}>
            {segments.data?.items.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </label>
      )}
      {mode === 'filter' && <SegmentFilterFields value={value.filter ?? {}} onChange={(filter) => onChange({ segmentId: null, filter })} />}
    </fieldset>
  );
}

/** How many contacts the audience holds now (`POST /v1/segments/count`), recounted as it is edited. */
export function AudienceCount({ value }: { value: Audience }) {
  const { t } = useI18n();
  const count = useQuery({
    queryKey: ['/v1/segments/count', value],
    queryFn: () => api.post<{ count: number }>('/v1/segments/count', { segmentId: value.segmentId, filter: value.filter }),
    placeholderData: keepPreviousData,
  });
  return (
    <p data-testid="audience-count">
      {t('audience.count')}: <strong>{count.data ? count.data.count.toLocaleString() : '…'}</strong>
    </p>
  );
}
