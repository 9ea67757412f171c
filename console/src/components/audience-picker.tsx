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

/** Who an automation greets: every contact, a saved segment, or a filter (API.md: `segmentId? | filter?`). */
export function AudiencePicker({ value, disabled, onChange }: { value: Audience; disabled?: boolean; onChange(next: Audience): void }) {
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
          <label key={m} className="inline"><input type="radio" name="audience" value={m} checked={mode === m} onChange={() => choose(m)} />{t(`audience.${m}`)}</label>
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
