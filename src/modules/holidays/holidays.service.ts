import type { Config } from '../../config';
import { ConflictError, ValidationError } from '../../shared/errors';
import type { Clock } from '../../time/clock';
import { localDateOf } from '../../time/local-time';
import { BUILTIN_KEYS, builtinHolidaysIn } from './builtin-holidays';
import { countryHolidaysIn, isKnownCountry } from './country-holidays';
import { isPossibleDate, recurringDateIn, recurringDatesIn } from './custom-holiday-dates';
import type { CustomHolidayRow, HolidaysRepository } from './holidays.repository';
import type { CreateHolidayInput } from './holidays.schemas';
import { nameForLocale, type HolidayDefinition, type HolidayItem, type HolidayNames } from './holidays.types';

const YEARS = { min: 1901, max: 2099 } as const;
const CACHE_LIMIT = 256;

export function createHolidaysService(deps: {
  repository: HolidaysRepository;
  clock: Clock;
  config: Pick<Config, 'DEFAULT_COUNTRY' | 'DEFAULT_LOCALE' | 'DEFAULT_TIMEZONE'>;
}) {
  const { repository, clock, config } = deps;
  // Built-in and country holidays are pure functions of (country, year); custom ones are read each time.
  const fixedCache = new Map<string, HolidayItem[]>();

  const named = (definition: HolidayDefinition & { date: string }): HolidayItem => ({
    key: definition.key,
    name: nameForLocale(definition.names, config.DEFAULT_LOCALE),
    names: definition.names,
    date: definition.date,
    calendar: definition.calendar,
    greeting: definition.greeting,
  });

  function fixedHolidays(year: number, country: string): HolidayItem[] {
    const cacheKey = `${country}|${year}`;
    let items = fixedCache.get(cacheKey);
    if (!items) {
      const sources = country === 'CN' ? builtinHolidaysIn(year) : [...builtinHolidaysIn(year), ...countryHolidaysIn(country, year)];
      items = sources.map(named);
      if (fixedCache.size >= CACHE_LIMIT) fixedCache.clear();
      fixedCache.set(cacheKey, items);
    }
    // Copies, so a caller that edits an item cannot change the cache.
    return items.map((item) => ({ ...item, names: { ...item.names } }));
  }

  // A custom holiday's `name` is what the shop typed, already in its own language.
  const customView = (row: CustomHolidayRow, year: number) => ({
    key: row.key,
    name: row.name,
    names: { ...row.names, 'zh-CN': row.names['zh-CN'] ?? row.name, en: row.names.en ?? row.name } as HolidayNames,
    date: recurringDateIn(row, year),
    calendar: row.calendar,
    greeting: row.greeting,
  });

  /** Every occurrence of a custom holiday in `year` (a late-lunar-year date can fall twice). */
  const customItems = (row: CustomHolidayRow, year: number): HolidayItem[] =>
    recurringDatesIn(row, year).map((date) => ({ ...customView(row, year), date }));

  function resolveYear(year: number | undefined): number {
    const resolved = year ?? Number(localDateOf(clock.now(), config.DEFAULT_TIMEZONE).slice(0, 4));
    if (!Number.isInteger(resolved) || resolved < YEARS.min || resolved > YEARS.max) {
      throw ValidationError.field('year', `must be between ${YEARS.min} and ${YEARS.max}`);
    }
    return resolved;
  }

  function resolveCountry(country: string | undefined): string {
    const resolved = (country ?? config.DEFAULT_COUNTRY).toUpperCase();
    if (!isKnownCountry(resolved)) throw ValidationError.field('country', 'unknown country');
    return resolved;
  }

  const byDateThenKey = (a: HolidayItem, b: HolidayItem) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key);

  const service = {
    /** Every holiday of `year` (default: this year) for `country` (default: DEFAULT_COUNTRY), by date. */
    async list(year?: number, country?: string): Promise<HolidayItem[]> {
      const y = resolveYear(year);
      const fixed = fixedHolidays(y, resolveCountry(country));
      const custom = (await repository.listCustom()).flatMap((row) => customItems(row, y));
      return [...fixed, ...custom].sort(byDateThenKey);
    },

    /**
     * Every occurrence of one holiday in `year`, by date: none (unknown key, or a lunar custom date
     * that misses that year), one, or two (a custom lunar date late in the lunar year: January and
     * December). A `<cc>:` key names its own country; other keys are looked up in `country`'s list.
     */
    async occurrences(key: string, year: number, country?: string): Promise<HolidayItem[]> {
      const y = resolveYear(year);
      const prefix = /^([a-z]{2}):/.exec(key)?.[1];
      const cc = prefix ? prefix.toUpperCase() : resolveCountry(country);
      if (prefix && !isKnownCountry(cc)) return [];
      const fixed = fixedHolidays(y, cc).filter((item) => item.key === key);
      if (fixed.length) return fixed;
      const row = prefix ? undefined : await repository.findCustom(key);
      return row ? customItems(row, y) : [];
    },

    /** The first occurrence of one holiday in `year`, or null (see `occurrences`). */
    find: async (key: string, year: number, country?: string): Promise<HolidayItem | null> =>
      (await service.occurrences(key, year, country))[0] ?? null,

    /** The holiday's first occurrence on or after `fromDate` (YYYY-MM-DD): this year's, or else next year's. */
    async nextOccurrence(key: string, fromDate: string, country?: string): Promise<HolidayItem | null> {
      const year = Number(fromDate.slice(0, 4));
      for (const y of [year, year + 1]) {
        const next = (await service.occurrences(key, y, country)).find((item) => item.date >= fromDate);
        if (next) return next;
      }
      return null;
    },

    /** A shop's own recurring holiday (e.g. 店庆), shown in every country's list from now on. */
    async createCustom(input: CreateHolidayInput) {
      if (!isPossibleDate(input)) throw ValidationError.field('day', `no day ${input.day} in ${input.calendar} month ${input.month}`);
      if (BUILTIN_KEYS.has(input.key)) throw new ConflictError(`${input.key} is a built-in holiday`, [{ field: 'key', message: 'already exists' }]);
      const names: HolidayNames = { ...input.names, 'zh-CN': input.names?.['zh-CN'] ?? input.name, en: input.names?.en ?? input.name };
      const row = await repository.insertCustom({
        key: input.key, name: input.name, names, calendar: input.calendar, month: input.month, day: input.day, greeting: input.greeting ?? true,
      });
      if (!row) throw new ConflictError(`holiday ${input.key} already exists`, [{ field: 'key', message: 'already exists' }]);
      return { ...customView(row, resolveYear(undefined)), month: row.month, day: row.day };
    },
  };
  return service;
}
export type HolidaysService = ReturnType<typeof createHolidaysService>;
