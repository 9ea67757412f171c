/**
 * Quiet hours are recipient-local, e.g. { start: '21:00', end: '09:00' } (wrapping midnight):
 * the window [start, end) in the recipient's wall clock, in which nothing is sent.
 */
import { DateTime } from 'luxon';
import { addDaysLocal, isValidZone, localToInstant, parseTimeOfDay } from './local-time';

export interface QuietHours {
  start: string;
  end: string;
}

/** `HH:MM-HH:MM` → QuietHours, `off` → null (the same format as the QUIET_HOURS setting). */
export function parseQuietHours(value: string): QuietHours | null {
  if (value.trim() === 'off') return null;
  const [start, end, ...rest] = value.trim().split('-');
  if (rest.length > 0 || start === undefined || end === undefined) {
    throw new RangeError(`quiet hours must be HH:MM-HH:MM or off: ${value}`);
  }
  parseTimeOfDay(start);
  parseTimeOfDay(end);
  return { start, end };
}

const minutesOf = (time: string): number => {
  const { hour, minute } = parseTimeOfDay(time);
  return hour * 60 + minute;
};

/** `at` itself when it is outside quiet hours in `zone`; otherwise the instant the window opens. `null` = no quiet hours. */
export function nextAllowedInstant(at: Date, zone: string, quiet: QuietHours | null): Date {
  if (!quiet) return at;
  if (!isValidZone(zone)) throw new RangeError(`not an IANA time zone: ${zone}`);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return at; // an empty window, not a 24-hour one

  const local = DateTime.fromJSDate(at, { zone });
  const now = local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;
  const today = local.toISODate() as string;
  const wraps = start > end;
  const quietNow = wraps ? now >= start || now < end : now >= start && now < end;
  if (!quietNow) return at;

  // Past midnight in a wrapping window the window opens today; before midnight, tomorrow.
  const openingDate = wraps && now >= start ? addDaysLocal(today, 1) : today;
  const opening = localToInstant(openingDate, quiet.end, zone);
  // After a fall-back the wall clock can re-enter the window once it has already opened that
  // morning; the opening instant is then behind us and `at` is the first allowed moment.
  return opening.getTime() > at.getTime() ? opening : at;
}
