/**
 * Other countries' public holidays from `date-holidays` (its CN data lacks several lunar festivals
 * and make-up days, so China uses the built-ins only). Keys are `<cc>:<slug>`.
 */
import Holidays from 'date-holidays';
import type { HolidayDefinition } from './holidays.types';

const knownCountries: ReadonlySet<string> = new Set(Object.keys(new Holidays().getCountries()));

/** ISO 3166 alpha-2 codes date-holidays has data for (upper-case). */
export const isKnownCountry = (country: string): boolean => knownCountries.has(country);

// Building a Holidays instance parses the country's rules: keep one per country.
const instances = new Map<string, Holidays>();
function holidaysOf(country: string): Holidays {
  let instance = instances.get(country);
  if (!instance) {
    instance = new Holidays(country);
    instances.set(country, instance);
  }
  return instance;
}

export const slugOf = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/**
 * The public holidays of `country` in `year`, without "substitute day" entries (days off in lieu
 * are not days to greet on). Names: English, and Chinese where date-holidays has a translation.
 */
export function countryHolidaysIn(country: string, year: number): Array<HolidayDefinition & { date: string }> {
  const prefix = country.toLowerCase();
  const source = holidaysOf(country);
  const english = source.getHolidays(year, 'en').filter((h) => h.type === 'public' && !h.substitute);
  const chinese = new Map(source.getHolidays(year, 'zh').map((h) => [`${h.date}|${h.rule}`, h.name]));
  const byKey = new Map<string, HolidayDefinition & { date: string }>();
  for (const holiday of english) {
    const key = `${prefix}:${slugOf(holiday.name) || 'holiday'}`;
    if (byKey.has(key)) continue;
    byKey.set(key, {
      key,
      names: { 'zh-CN': chinese.get(`${holiday.date}|${holiday.rule}`) ?? holiday.name, en: holiday.name },
      calendar: 'gregorian',
      greeting: true,
      date: holiday.date.slice(0, 10),
    });
  }
  return [...byKey.values()];
}
