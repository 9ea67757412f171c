import { addDaysLocal, localDateOf, localToInstant } from '../../time/local-time';
import type { FirstOrderAutomation } from '../automations/automations.types';
import { endOfLocalDay } from '../automations/local-day';

export type FollowUpTiming =
  | { kind: 'send'; scheduledAt: Date; expiresAt: Date }
  | { kind: 'window-passed'; expiresAt: Date };

/**
 * When the thank-you for a first order goes out, in the contact's zone: `sendAt` on the local day
 * `delayDays` after the order's local date; learned late but before the end of local day
 * `windowEndDays`, at once (quiet hours are the send pipeline's business); after that, never.
 */
export function firstOrderFollowUpTiming(
  placedAt: Date,
  zone: string,
  settings: Pick<FirstOrderAutomation, 'delayDays' | 'windowEndDays' | 'sendAt'>,
  now: Date,
): FollowUpTiming {
  const orderDate = localDateOf(placedAt, zone);
  const target = localToInstant(addDaysLocal(orderDate, settings.delayDays), settings.sendAt, zone);
  const expiresAt = endOfLocalDay(addDaysLocal(orderDate, settings.windowEndDays), zone);
  if (now.getTime() > expiresAt.getTime()) return { kind: 'window-passed', expiresAt };
  return { kind: 'send', scheduledAt: target.getTime() > now.getTime() ? target : now, expiresAt };
}
