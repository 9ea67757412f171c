/**
 * Wall-clock ↔ instant conversions in IANA zones (luxon). Owned by the time module.
 * Dates are ISO calendar dates (YYYY-MM-DD), times are HH:MM, both in the zone they are read in.
 */
import { DateTime, IANAZone } from 'luxon';
import { memoize } from './bounded-cache';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

// Checking a zone builds an Intl.DateTimeFormat (slow): remember each answer. Zone names are few.
const zones = new Map<string, IANAZone | null>();
function lookupZone(name: string): IANAZone | null {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = IANAZone.isValidZone(name) ? IANAZone.create(name) : null;
    zones.set(name, zone);
  }
  return zone;
}

export const isValidZone = (zone: string): boolean => lookupZone(zone) !== null;

function zoneOf(name: string): IANAZone {
  const zone = lookupZone(name);
  if (!zone) throw new RangeError(`not an IANA time zone: ${name}`);
  return zone;
}

/** Days in a Gregorian month (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const isoOfUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** `{ year, month, day }` of an ISO date; throws RangeError on a malformed or impossible date. */
export function parseIsoDate(date: string): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(date);
  const [year, month, day] = match ? [+match[1], +match[2], +match[3]] : [0, 0, 0];
  if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  }
  return { year, month, day };
}

/** `{ hour, minute }` of an HH:MM time; throws RangeError otherwise. */
export function parseTimeOfDay(time: string): { hour: number; minute: number } {
  const match = TIME_OF_DAY.exec(time);
  if (!match) throw new RangeError(`not a time of day (HH:MM): ${time}`);
  return { hour: +match[1], minute: +match[2] };
}

export const formatIsoDate = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** The instant at which `date` `time` (YYYY-MM-DD, HH:MM) occurs in `zone`. In a DST gap the
 * wall time does not exist: the next existing minute is used. In an overlap, the earlier instant. */
export function localToInstant(date: string, time: string, zone: string): Date {
  return new Date(cachedLocalToInstant(date, time, zone));
}

const cachedLocalToInstant = memoize(
  (date: string, time: string, zone: string) => `${date}T${time}|${zone}`,
  (date: string, time: string, zone: string) => computeLocalToInstant(date, time, zone),
);

function computeLocalToInstant(date: string, time: string, zone: string): number {
  const tz = zoneOf(zone);
  const { year, month, day } = parseIsoDate(date);
  const { hour, minute } = parseTimeOfDay(time);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets in force a day either side cover every transition of real zones; an instant is a
  // true reading of the wall time only if the zone agrees with the offset used to get it.
  const offsets = new Set([tz.offset(wall - DAY_MS), tz.offset(wall + DAY_MS), tz.offset(wall)]);
  const readings = [...offsets]
    .map((offset) => wall - offset * MINUTE_MS)
    .filter((instant) => tz.offset(instant) * MINUTE_MS === wall - instant)
    .sort((a, b) => a - b);
  return readings.length > 0 ? readings[0] : firstInstantAtOrAfterWall(tz, wall);
}

/** In a gap: the first whole minute whose local wall time is at or after `wall` (the transition). */
function firstInstantAtOrAfterWall(tz: IANAZone, wall: number): number {
  const before = Math.min(tz.offset(wall - DAY_MS), tz.offset(wall + DAY_MS));
  const after = Math.max(tz.offset(wall - DAY_MS), tz.offset(wall + DAY_MS));
  const localWall = (instant: number) => instant + tz.offset(instant) * MINUTE_MS;
  let low = Math.floor((wall - after * MINUTE_MS) / MINUTE_MS); // local wall still before `wall`
  let high = Math.ceil((wall - before * MINUTE_MS) / MINUTE_MS); // local wall already past it
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (localWall(middle * MINUTE_MS) >= wall) high = middle;
    else low = middle;
  }
  return high * MINUTE_MS;
}

/** The local calendar date (YYYY-MM-DD) of `instant` in `zone`. */
export function localDateOf(instant: Date, zone: string): string {
  const ms = instant.getTime();
  return isoOfUtc(ms + zoneOf(zone).offset(ms) * MINUTE_MS);
}

/** The local wall time (HH:MM) of `instant` in `zone`. */
export function localTimeOf(instant: Date, zone: string): string {
  zoneOf(zone);
  return DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm');
}

/** The calendar date `days` after (or before, if negative) `date`; no zone involved. */
export function addDaysLocal(date: string, days: number): string {
  const { year, month, day } = parseIsoDate(date);
  return isoOfUtc(Date.UTC(year, month - 1, day + days));
}
