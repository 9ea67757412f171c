import { LIFECYCLES, type SegmentFilter } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { CareFilterFields } from './care-filter-fields';

/** Comma-separated words (either comma) → a list, or nothing when empty. */
function listOf(text: string): string[] | undefined {
  const items = text.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

/** The filter fields a segment and a campaign's ad-hoc audience share. */
export function SegmentFilterFields({ value, onChange }: { value: SegmentFilter; onChange(next: SegmentFilter): void }) {
  const { t, term } = useI18n();
  return (
    <>
      <div className="row">
        <label>{t('contacts.tags')}<input name="filterTags" defaultValue={value.tags?.join(', ')} onChange={(e) => onChange({ ...value, tags: listOf(e.target.value) })} /></label>
        <label>{t('contacts.tier')}<input name="filterTiers" defaultValue={value.tiers?.join(', ')} onChange={(e) => onChange({ ...value, tiers: listOf(e.target.value) })} /></label>
        <label>{t('contacts.lifecycle')}
          <select name="filterLifecycle" value={value.lifecycle?.[0] ?? ''} onChange={(e) => onChange({ ...value, lifecycle: e.target.value ? [e.target.value as never] : undefined })}>
            <option value="">{t('common.all')}</option>
            {LIFECYCLES.map((l) => <option key={l} value={l}>{term('lifecycle', l)}</option>)}
            {value.lifecycle?.[0] === 'none' && <option value="none">{term('lifecycle', 'none')}</option>}
          </select>
        </label>
      </div>
      <CareFilterFields value={value} onChange={onChange} />
    </>
  );
}
