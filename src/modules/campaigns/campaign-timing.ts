import { CronExpression, CronExpressionParser, CronFieldCollection } from 'cron-parser';
import { addDaysLocal, localDateOf, localToInstant } from '../../time/local-time';

/** The zones where a calendar date starts first (UTC+14) and ends last (UTC−12). */
const EARLIEST_ZONE = 'Etc/GMT-14';
const LATEST_ZONE = 'Etc/GMT+12';

export interface SendLocal {
  date: string;
  time: string;
}

/**
 * The first instant anyone is due for a local-time send: the wall time in the most-eastern zone.
 * Using a fixed zone (not the recipients' zones) keeps the occurrence — part of every dedupe key —
 * stable however the segment changes.
 */
export const firstLocalInstant = (send: SendLocal): Date => localToInstant(send.date, send.time, EARLIEST_ZONE);

/** True once `date` is over everywhere on Earth. */
export const localDateIsOverEverywhere = (date: string, now: Date): boolean =>
  now.getTime() >= localToInstant(addDaysLocal(date, 1), '00:00', LATEST_ZONE).getTime();

export type RecipientTiming = { scheduledAt: Date; expiresAt: Date } | { missed: true };

/**
 * When one recipient gets a local-time send: the wall time in their zone; at once if that passed
 * while their date is still on; missed once their date is over (API.md "Timing").
 */
export function recipientTiming(send: SendLocal, zone: string, now: Date): RecipientTiming {
  const at = localToInstant(send.date, send.time, zone);
  const endOfDate = localToInstant(addDaysLocal(send.date, 1), '00:00', zone);
  if (now.getTime() >= endOfDate.getTime()) return { missed: true };
  return { scheduledAt: at.getTime() < now.getTime() ? now : at, expiresAt: endOfDate };
}

/** Throws the parser's message when the expression is not a valid cron. */
export function assertCron(expression: string, zone: string): void {
  CronExpressionParser.parse(expression, { tz: zone, strict: false });
}

const DAY_SECONDS = 86_400;
/** From 1901 to 2099 dates fall on the same weekdays every 28 years: any pattern of days a cron picks shows within them. */
const DAY_PATTERN_DAYS = 28 * 366;
const DAY_PATTERN_START = Date.UTC(2028, 0, 1);

/**
 * A gap between two consecutive occurrences of `expression` shorter than `minSeconds`, or undefined
 * when there is none. A cron fires at every time of day its second/minute/hour fields allow, on
 * every day its day fields allow: a short gap is either between two times of one day, or from the
 * last time of a day to the first of the next matching day, which only needs looking for when the
 * day's times span nearly all of it. Wall-clock arithmetic: a DST change can shorten one gap a year
 * by the shift, which a minimum of an hour or so tolerates.
 */
export function cronGapBelow(expression: string, minSeconds: number): number | undefined {
  const fields = CronExpressionParser.parse(expression, { tz: 'UTC', strict: false }).fields;
  const times: number[] = [];
  for (const hour of fields.hour.values as number[]) {
    for (const minute of fields.minute.values as number[]) {
      for (const second of fields.second.values as number[]) times.push(hour * 3600 + minute * 60 + second);
    }
  }
  times.sort((a, b) => a - b);
  let shortest = Infinity;
  for (let i = 1; i < times.length; i++) shortest = Math.min(shortest, times[i] - times[i - 1]);
  if (shortest < minSeconds) return shortest;

  const span = times[times.length - 1] - times[0];
  if (DAY_SECONDS - span >= minSeconds) return undefined;
  // Which days match is a matter of the calendar, not the zone: count days apart in UTC.
  const days = new CronExpression(CronFieldCollection.from(fields, { second: [0], minute: [0], hour: [0] }), { tz: 'UTC' });
  let previous: number | undefined;
  for (let day = 0; day < DAY_PATTERN_DAYS; day++) {
    if (!days.includesDate(new Date(DAY_PATTERN_START + day * DAY_SECONDS * 1000))) continue;
    if (previous !== undefined) {
      const gap = (day - previous) * DAY_SECONDS - span;
      if (gap < minSeconds) return gap;
    }
    previous = day;
  }
  return undefined;
}

/** The first occurrence of `expression` (in `zone`) strictly after `after`. */
export function nextCronOccurrence(expression: string, zone: string, after: Date): Date {
  const interval = CronExpressionParser.parse(expression, { currentDate: after, tz: zone });
  return interval.next().toDate();
}

/** Today's local date in `zone` (used to decide "this year's holiday, or next year's"). */
export const todayIn = (zone: string, now: Date): string => localDateOf(now, zone);
