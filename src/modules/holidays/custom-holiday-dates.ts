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
 * The date in Gregorian `year`, or null. Gregorian: Feb 29 → Feb 28 in common years. Lunar: the
 * occurrence of lunar year `year` when it falls in `year`, else that of the lunar year before
 * (a late-12th-month date lands in the next January); a lunar date can miss a Gregorian year.
 */
export function recurringDateIn(holiday: RecurringDate, year: number): string | null {
  if (holiday.calendar === 'gregorian') {
    return formatIsoDate(year, holiday.month, Math.min(holiday.day, daysInMonth(year, holiday.month)));
  }
  const inYear = (date: string) => date.startsWith(`${year}-`);
  const own = lunarToSolar(year, holiday.month, holiday.day);
  if (inYear(own)) return own;
  const previous = lunarToSolar(year - 1, holiday.month, holiday.day);
  return inYear(previous) ? previous : null;
}
