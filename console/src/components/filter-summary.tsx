import { useI18n, type TermGroup } from '../i18n/i18n';
import type { DictionaryKey } from '../i18n/zh-cn.dictionary';

const LABELS: Record<string, DictionaryKey> = {
  tags: 'contacts.tags', tiers: 'contacts.tier', lifecycle: 'contacts.lifecycle', locale: 'contacts.locale', channel: 'common.channel',
  gender: 'contacts.gender', birthdayMonth: 'filter.birthdayMonth', attributes: 'filter.attributes',
  ageMin: 'filter.ageMin', ageMax: 'filter.ageMax', country: 'filter.country', timeZone: 'filter.timeZone',
  orderCountMin: 'filter.orderCountMin', orderCountMax: 'filter.orderCountMax', spentMin: 'filter.spentMin', spentMax: 'filter.spentMax',
  lastOrderWithinDays: 'filter.lastOrderWithinDays', notContactedForDays: 'filter.notContactedForDays',
};
/** Filter fields whose values are API terms, said in words. */
const TERMS: Record<string, TermGroup> = { lifecycle: 'lifecycle', channel: 'channel', gender: 'gender' };

/** A segment filter in words (`标签: vip · 渠道: 短信`); fields the console does not know yet show as they came. */
export function FilterSummary({ filter }: { filter: Record<string, unknown> | null | undefined }) {
  const { t, term } = useI18n();
  const entries = Object.entries(filter ?? {}).filter(([, value]) => value !== undefined && value !== null);
  if (entries.length === 0) return <span className="muted">{t('common.all')}</span>;
  const words = (field: string, value: unknown): string => {
    if (Array.isArray(value)) return value.map((item) => words(field, item)).join(', ');
    if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k} = ${words(k, v)}`).join(', ');
    return TERMS[field] ? term(TERMS[field], String(value)) : String(value);
  };
  const label = (field: string) => (LABELS[field] ? t(LABELS[field]) : field);
  return <span data-testid="filter-summary">{entries.map(([field, value]) => `${label(field)}: ${words(field, value)}`).join(' · ')}</span>;
}
