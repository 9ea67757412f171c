/**
 * What the holidays module answers (API.md, Holidays). Campaigns read these through
 * `services.holidays.find` / `list`.
 */

/** Names by locale; built-ins and custom holidays always carry `zh-CN` and `en`. */
export type HolidayNames = Record<string, string> & { 'zh-CN': string; en: string };

/** `lunar` = from the Chinese calendar (lunar months or, for qingming, its solar term); the date moves each year. */
export type HolidayCalendar = 'gregorian' | 'lunar';

export interface HolidayItem {
  /** Built-ins: `mid-autumn`; other countries: `<cc>:<slug>` (`us:thanksgiving-day`); custom: the shop's own key. */
  key: string;
  /** The name in DEFAULT_LOCALE. */
  name: string;
  names: HolidayNames;
  /** Gregorian date of this year's occurrence, YYYY-MM-DD. */
  date: string;
  calendar: HolidayCalendar;
  /** `false` marks a day not to greet on (qingming, a day of mourning): holiday campaigns need `force`. */
  greeting: boolean;
}

/** A holiday without its date: the source tables produce these, then a year gives them dates. */
export type HolidayDefinition = Omit<HolidayItem, 'name' | 'date'>;

/** The name for `locale`: exact match, then same language (`en-US` → `en`), then English, then Chinese. */
export function nameForLocale(names: Record<string, string>, locale: string): string {
  const language = locale.split('-')[0];
  const sameLanguage = Object.entries(names).find(([key]) => key.split('-')[0] === language)?.[1];
  return names[locale] ?? sameLanguage ?? names.en ?? names['zh-CN'] ?? Object.values(names)[0] ?? '';
}
