/**
 * The Chinese lunisolar calendar, behind one adapter: the ONLY module that imports `tyme4ts`
 * (its API changed in 1.1 and 1.5). Gregorian dates cross this boundary as ISO strings.
 */
import { LunarDay, LunarMonth, LunarYear, SolarDay, SolarTerm } from 'tyme4ts';
import { memoize } from './bounded-cache';
import { formatIsoDate, parseIsoDate } from './local-time';

export interface LunarDate {
  /** Lunar year number (the Gregorian year in which its first month begins). */
  year: number;
  /** 1–12; a leap month carries the number of the month it follows, with `leap: true`. */
  month: number;
  day: number;
  leap: boolean;
}

/** Years tyme4ts can resolve for every lunar date (its tables end at 9999). */
export const LUNAR_YEAR_RANGE = { min: 1, max: 9998 } as const;

const isoOf = (solar: SolarDay): string => formatIsoDate(solar.getYear(), solar.getMonth(), solar.getDay());

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < LUNAR_YEAR_RANGE.min || year > LUNAR_YEAR_RANGE.max) {
    throw new RangeError(`lunar year out of range: ${year}`);
  }
}

/** The leap month of `year` (1–12), or 0 when the year has none. */
export function leapMonthOf(year: number): number {
  assertYear(year);
  return LunarYear.fromYear(year).getLeapMonth();
}

/**
 * The Gregorian date of lunar `month`/`day` in lunar `year`, as an anniversary resolves:
 * a leap month the year lacks falls back to the regular month, and a day past the month's
 * end (day 30 of a 29-day month) to its last day.
 */
export function lunarToSolar(year: number, month: number, day: number, options: { leap?: boolean } = {}): string {
  return cachedLunarToSolar(year, month, day, options.leap === true);
}

const cachedLunarToSolar = memoize(
  (year: number, month: number, day: number, leap: boolean) => `${year}-${month}-${day}-${leap}`,
  (year: number, month: number, day: number, leap: boolean) => computeLunarToSolar(year, month, day, leap),
);

function computeLunarToSolar(year: number, month: number, day: number, leap: boolean): string {
  assertYear(year);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`lunar month out of range: ${month}`);
  if (!Number.isInteger(day) || day < 1 || day > 30) throw new RangeError(`lunar day out of range: ${day}`);
  const useLeap = leap && leapMonthOf(year) === month;
  const tymeMonth = useLeap ? -month : month;
  const lastDay = LunarMonth.fromYm(year, tymeMonth).getDayCount();
  return isoOf(LunarDay.fromYmd(year, tymeMonth, Math.min(day, lastDay)).getSolarDay());
}

/** The lunar date of a Gregorian date. */
export function solarToLunar(date: string): LunarDate {
  return { ...cachedSolarToLunar(date) };
}

const cachedSolarToLunar = memoize((date: string) => date, (date: string): LunarDate => {
  const { year, month, day } = parseIsoDate(date);
  const lunarDay = SolarDay.fromYmd(year, month, day).getLunarDay();
  const lunarMonth = lunarDay.getLunarMonth();
  return { year: lunarMonth.getYear(), month: lunarMonth.getMonth(), day: lunarDay.getDay(), leap: lunarMonth.isLeap() };
});

/** 除夕: the last day of lunar `year` (the eve of the next year's Spring Festival), 29th or 30th of the 12th month. */
export function lunarNewYearsEve(year: number): string {
  assertYear(year);
  return isoOf(LunarDay.fromYmd(year + 1, 1, 1).getSolarDay().next(-1));
}

/** The Gregorian date of the 清明 (Qingming) solar term in Gregorian `year`, in China's time. */
export function qingmingDate(year: number): string {
  assertYear(year);
  return isoOf(SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay());
}
