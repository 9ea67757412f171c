import { CronExpressionParser } from 'cron-parser';
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

/** The first occurrence of `expression` (in `zone`) strictly after `after`. */
export function nextCronOccurrence(expression: string, zone: string, after: Date): Date {
  const interval = CronExpressionParser.parse(expression, { currentDate: after, tz: zone });
  return interval.next().toDate();
}

/** Today's local date in `zone` (used to decide "this year's holiday, or next year's"). */
export const todayIn = (zone: string, now: Date): string => localDateOf(now, zone);
