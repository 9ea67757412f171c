import { GENDERS, type SegmentFilter } from '../api/types';
import { useI18n } from '../i18n/i18n';
import type { DictionaryKey } from '../i18n/zh-cn.dictionary';

type NumberField = 'ageMin' | 'ageMax' | 'orderCountMin' | 'orderCountMax' | 'spentMin' | 'spentMax' | 'lastOrderWithinDays' | 'notContactedForDays';
const NUMBER_FIELDS: NumberField[] = ['ageMin', 'ageMax', 'spentMin', 'spentMax', 'orderCountMin', 'orderCountMax', 'lastOrderWithinDays', 'notContactedForDays'];

/** Comma-separated words (either comma) → a list, or nothing when empty. */
function listOf(text: string): string[] | undefined {
  const items = text.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

/** A number input's text → a number, or nothing when empty (the API refuses bad ones, naming the field). */
const numberOf = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/**
 * The care-journey filters (API.md "Care journeys"): gender, age, country, zone, order figures and
 * contact recency. Inputs are named after the filter fields, so a browser test can fill them.
 */
export function CareFilterFields({ value, onChange }: { value: SegmentFilter; onChange(next: SegmentFilter): void }) {
  const { t, term } = useI18n();
  return (
    <>
      <div className="row">
        <label>{t('filter.gender')}
          <select name="gender" value={value.gender?.[0] ?? ''} onChange={(e) => onChange({ ...value, gender: e.target.value ? [e.target.value as never] : undefined })}>
            <option value="">{t('common.all')}</option>
            {GENDERS.map((g) => <option key={g} value={g}>{term('gender', g)}</option>)}
          </select>
        </label>
        <label>{t('filter.country')}<input name="country" placeholder="CN" defaultValue={value.country?.join(', ')} onChange={(e) => onChange({ ...value, country: listOf(e.target.value) })} /></label>
        <label>{t('filter.timeZone')}<input name="timeZone" placeholder="Asia/Shanghai" defaultValue={value.timeZone?.join(', ')} onChange={(e) => onChange({ ...value, timeZone: listOf(e.target.value) })} /></label>
      </div>
      <div className="row">
        {NUMBER_FIELDS.map((field) => (
          <label key={field}>{t(`filter.${field}` as DictionaryKey)}
            <input type="number" name={field} min={0} defaultValue={value[field]} onChange={(e) => onChange({ ...value, [field]: numberOf(e.target.value) })} />
          </label>
        ))}
      </div>
      <p className="muted small">{t('filter.hint')}</p>
    </>
  );
}
