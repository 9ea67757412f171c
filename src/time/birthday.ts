/**
 * Next birthday greeting for a contact: which local date it falls on and when to send it.
 */
import { lunarToSolar, solarToLunar } from './lunar.adapter';
import { daysInMonth, formatIsoDate, localDateOf, localToInstant, parseIsoDate } from './local-time';

export interface BirthdaySpec {
  month: number;
  day: number;
  calendar: 'gregorian' | 'lunar';
  /** Lunar only: born in a leap month (falls back to the regular month in years without it). */
  leapMonth: boolean;
}

export interface BirthdayGreeting {
  /** Local (contact's zone) Gregorian date of the occurrence, YYYY-MM-DD — part of the dedupe key. */
  localDate: string;
  /** UTC instant to send: `sendAt` local on `localDate`, or `now` if that is today and the time has passed. */
  at: Date;
}

/**
 * The next greeting not yet sent: the first occurrence whose local date is today or later in
 * `zone` and differs from `lastGreetedOn`. Feb 29 → Feb 28 in common years; lunar dates resolve
 * per lunar year (leap → regular month, day 30 → last day), so a lunar birthday may occur twice
 * in one Gregorian year. A birthday today whose send time has passed is greeted `now`.
 */
export function nextBirthdayGreeting(
  spec: BirthdaySpec,
  options: { zone: string; sendAt: string; now: Date; lastGreetedOn?: string | null },
): BirthdayGreeting {
  const today = localDateOf(options.now, options.zone);
  const localDate = birthdayOccurrencesAround(spec, today).find(
    (date) => date >= today && date !== options.lastGreetedOn,
  );
  // Occurrences are at most ~13 months apart, so the window above always holds one; this guards the contract.
  if (!localDate) throw new RangeError(`no birthday occurrence found after ${today}`);
  const sendAt = localToInstant(localDate, options.sendAt, options.zone);
  const at = localDate === today && sendAt.getTime() < options.now.getTime() ? options.now : sendAt;
  return { localDate, at };
}

/**
 * Every occurrence of the birthday from about a year before `date` to two years after, ascending.
 * Lunar birthdays resolve once per lunar year, which straddles Gregorian years.
 */
export function birthdayOccurrencesAround(spec: BirthdaySpec, date: string): string[] {
  assertSpec(spec);
  const dates =
    spec.calendar === 'gregorian'
      ? yearsFrom(parseIsoDate(date).year - 1, 4).map((year) => gregorianOccurrence(spec, year))
      : yearsFrom(solarToLunar(date).year - 1, 4).map((year) =>
          lunarToSolar(year, spec.month, spec.day, { leap: spec.leapMonth }),
        );
  return [...new Set(dates)].sort();
}

/** Feb 29 (or any day past the month's end) falls on the month's last day. */
function gregorianOccurrence(spec: BirthdaySpec, year: number): string {
  return formatIsoDate(year, spec.month, Math.min(spec.day, daysInMonth(year, spec.month)));
}

const yearsFrom = (first: number, count: number): number[] => Array.from({ length: count }, (_, i) => first + i);

function assertSpec(spec: BirthdaySpec): void {
  const maxDay = spec.calendar === 'lunar' ? 30 : 31;
  if (!Number.isInteger(spec.month) || spec.month < 1 || spec.month > 12) {
    throw new RangeError(`birthday month out of range: ${spec.month}`);
  }
  if (!Number.isInteger(spec.day) || spec.day < 1 || spec.day > maxDay) {
    throw new RangeError(`birthday day out of range: ${spec.day}`);
  }
}
