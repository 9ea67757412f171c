/**
 * When a shop's own recurring holiday falls in a Gregorian year.
 */
import { daysInMonth, formatIsoDate } from '../../time/local-time';
import { lunarToSolar } from '../../time/lunar.adapter';
import type { HolidayCalendar } from './holidays.types';

export interface RecurringDate {
  calendar: HolidayCalendar;
  month: number;
  day: number;
}

/** Whether month/day can ever occur: Feb 29 can (Feb 28 in common years); lunar days run to 30. */
export function isPossibleDate({ calendar, month, day }: RecurringDate): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= (calendar === 'lunar' ? 30 : daysInMonth(2000, month));
}

/**
 * Every date in Gregorian `year`, in order (0, 1 or 2). Gregorian: one, Feb 29 → Feb 28 in common
 * years. Lunar: the occurrences of lunar years `year - 1` and `year` that fall in `year`. A date
 * late in the lunar year (11th/12th month) can land in January of the next Gregorian year AND in
 * December of its own: lunar 11/30 is 2027-01-07 (lunar 2026) and 2027-12-27 (lunar 2027), so a
 * Gregorian year can hold two occurrences, or none (2028 holds neither of those).
 */
export function recurringDatesIn(holiday: RecurringDate, year: number): string[] {
  if (holiday.calendar === 'gregorian') {
    return [formatIsoDate(year, holiday.month, Math.min(holiday.day, daysInMonth(year, holiday.month)))];
  }
  const dates = [lunarToSolar(year - 1, holiday.month, holiday.day), lunarToSolar(year, holiday.month, holiday.day)];
  return [...new Set(dates.filter((date) => date.startsWith(`${year}-`)))].sort();
}

/** The first date in Gregorian `year`, or null (see `recurringDatesIn`). */
export const recurringDateIn = (holiday: RecurringDate, year: number): string | null => recurringDatesIn(holiday, year)[0] ?? null;
