import { addDaysLocal, localDateOf, localToInstant } from '../../time/local-time';
import type { OrderNoticesAutomation } from '../automations/automations.types';

const MINUTE_MS = 60_000;
/** A 催付 learned this long after it was due is not sent: the customer has moved on (API.md "late knowledge"). */
const PAYMENT_REMINDER_LATE_MS = 24 * 60 * MINUTE_MS;

export type NoticeTiming = { scheduledAt: Date; expiresAt: Date | null };

/** 催付: `afterMinutes` after `placedAt` (an instant: zones play no part), or none if learned a day too late. */
export function paymentReminderTiming(placedAt: Date, settings: OrderNoticesAutomation['paymentReminder'], now: Date): NoticeTiming | undefined {
  const due = new Date(placedAt.getTime() + settings.afterMinutes * MINUTE_MS);
  const lastChance = new Date(due.getTime() + PAYMENT_REMINDER_LATE_MS);
  if (now > lastChance) return undefined;
  return { scheduledAt: due > now ? due : now, expiresAt: lastChance };
}

/**
 * The trip reminder: `sendAt` on the local day `daysBefore` days before the departure's local date,
 * both in the contact's zone (luxon: a DST change in between moves the instant, not the wall time).
 * Passed but not yet departed: at once. Departed: none. It expires at departure.
 */
export function tripReminderTiming(
  departureAt: Date,
  zone: string,
  settings: Pick<OrderNoticesAutomation['tripReminder'], 'daysBefore' | 'sendAt'>,
  now: Date,
): (NoticeTiming & { departureDate: string }) | undefined {
  if (departureAt <= now) return undefined;
  const departureDate = localDateOf(departureAt, zone);
  const target = localToInstant(addDaysLocal(departureDate, -settings.daysBefore), settings.sendAt, zone);
  return { scheduledAt: target > now ? target : now, expiresAt: departureAt, departureDate };
}
