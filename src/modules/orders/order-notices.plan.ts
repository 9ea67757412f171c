import type { Channel } from '../../db/schema';
import type { OrderNoticesAutomation, OrderNoticeSetting } from '../automations/automations.types';
import type { NewMessage } from '../messages/outbox.types';
import type { OrderChange, OrderSnapshot } from './order-change';
import {
  noticeOutdatedBy, ORDER_NOTICES, orderNoticeKey, orderTemplateData, STATUS_NOTICES, type OrderNotice, type OrderNoticeTag,
} from './order-notice-rules';
import { paymentReminderTiming, tripReminderTiming, type NoticeTiming } from './order-notices.timing';

/** The contact fields the notices need: the zone for the trip reminder, the addresses for the channels. */
export interface NoticeContact {
  timeZone: string;
  phone: string | null;
  email: string | null;
  erasedAt: Date | null;
}

/** A waiting notice (scheduled/queued) that must not go out any more, and why. */
export interface NoticeCancel {
  notice: OrderNotice;
  reason: string;
}

const departureMs = (order: OrderSnapshot | null) => order?.departureAt?.getTime() ?? null;

/**
 * The waiting notices an order change makes obsolete: those its new status outdates (paid → the
 * 催付; signed → a held 发货/到货; cancelled → everything), and a trip reminder whose departure moved.
 * A change that keeps the status and the departure cancels nothing.
 */
export function obsoleteNotices({ before, after }: OrderChange): NoticeCancel[] {
  const cancels: NoticeCancel[] = [];
  if (before?.status !== after.status) {
    for (const notice of ORDER_NOTICES) {
      const reason = noticeOutdatedBy(notice, after.status);
      if (reason) cancels.push({ notice, reason });
    }
  }
  const moved = before && departureMs(before) !== departureMs(after);
  if (moved && !cancels.some((c) => c.notice === 'trip-reminder')) {
    cancels.push({ notice: 'trip-reminder', reason: after.departureAt ? `departure moved to ${after.departureAt.toISOString()}` : 'departure removed' });
  }
  return cancels;
}

type Due = { notice: OrderNotice; setting: OrderNoticeSetting; timing: (zone: string) => (NoticeTiming & { departureDate?: string }) | undefined };

/**
 * The notices an order change calls for, before any contact is read: the 催付 of an order created
 * `placed`, the notice of a status reached now, and the trip reminder of a departure not yet passed.
 * The trip reminder is asked for on every change (its dedupe key makes that free), so switching it
 * on reaches orders already known at their next change.
 */
export function dueNotices({ before, after }: OrderChange, settings: OrderNoticesAutomation, now: Date): Due[] {
  const due: Due[] = [];
  const reminder = settings.paymentReminder;
  if (!before && after.status === 'placed' && reminder.enabled) {
    due.push({ notice: 'payment-reminder', setting: reminder, timing: () => paymentReminderTiming(after.placedAt, reminder, now) });
  }
  const reached = before?.status !== after.status ? STATUS_NOTICES[after.status] : undefined;
  if (reached) {
    const setting = settings[reached as 'shipped' | 'delivered' | 'signed'];
    if (setting.enabled) due.push({ notice: reached, setting, timing: () => ({ scheduledAt: now, expiresAt: null }) });
  }
  const trip = settings.tripReminder;
  const departureAt = after.departureAt;
  if (trip.enabled && departureAt && !noticeOutdatedBy('trip-reminder', after.status)) {
    due.push({ notice: 'trip-reminder', setting: trip, timing: (zone) => tripReminderTiming(departureAt, zone, trip, now) });
  }
  return due;
}

const addressFor = (contact: NoticeContact, channel: Channel) => (channel === 'sms' ? contact.phone : contact.email);

/** The outbox messages of the due notices, on the channels the contact has an address for (consent is the send gate's). */
export function noticeMessages(order: OrderSnapshot, due: Due[], contact: NoticeContact): NewMessage[] {
  if (contact.erasedAt) return [];
  const data = orderTemplateData(order);
  return due.flatMap(({ notice, setting, timing }) => {
    const when = timing(contact.timeZone);
    if (!when) return [];
    const tag: OrderNoticeTag = { orderId: order.id, notice };
    return setting.channels.filter((channel) => addressFor(contact, channel)).map((channel): NewMessage => ({
      dedupeKey: orderNoticeKey(order.id, notice, channel, when.departureDate),
      contactId: order.contactId,
      channel,
      kind: 'order',
      scheduledAt: when.scheduledAt,
      expiresAt: when.expiresAt,
      templateKey: setting.templateKey,
      data: { order: data, orderNotice: tag },
    }));
  });
}
