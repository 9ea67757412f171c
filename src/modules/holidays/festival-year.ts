/**
 * The one key space for festival greetings, shared by the festival automation and holiday
 * campaigns (API.md "Care journeys"): `festival:<holiday>:<year>:<contact>:<channel>`, so one
 * greeting per festival, per year, per contact and channel, whichever path made it.
 */
import { solarToLunar } from '../../time/lunar.adapter';
import type { HolidayCalendar } from './holidays.types';

/**
 * The `<year>` of an occurrence: the holiday's own year. Gregorian holidays: the Gregorian year.
 * Lunar holidays: the lunar year of the date — a late-lunar-year custom holiday can fall twice in
 * one Gregorian year (lunar 11/30: 2027-01-07 and 2027-12-27), and each occurrence needs its own
 * key. So 除夕 on 2027-02-05 (the last day of lunar 2026) is year 2026.
 */
export function festivalYearOf(occurrence: { calendar: HolidayCalendar | string; date: string }): number {
  return occurrence.calendar === 'lunar' ? solarToLunar(occurrence.date).year : Number(occurrence.date.slice(0, 4));
}

/** The key up to `<contact>:<channel>`, which SQL appends. */
export const festivalDedupePrefix = (occurrence: { key: string; calendar: HolidayCalendar | string; date: string }): string =>
  `festival:${occurrence.key}:${festivalYearOf(occurrence)}:`;
