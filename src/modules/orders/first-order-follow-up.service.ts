import type { Channel } from '../../db/schema';
import type { Clock } from '../../time/clock';
import type { AutomationsRepository } from '../automations/automations.repository';
import type { NewMessage, OutboxResult } from '../messages/outbox.types';
import { firstOrderFollowUpTiming } from './follow-up-timing';
import type { FirstOrderFollowUpRepository, FollowUpMessage } from './first-order-follow-up.repository';
import type { FollowUpView } from './orders.schemas';
import type { OrderContact } from './orders.repository';

export interface Outbox {
  enqueue(messages: NewMessage[]): Promise<OutboxResult>;
}

export interface FollowUpOrder {
  externalId: string;
  amount: string;
  currency: string;
  placedAt: Date;
}

export const WINDOW_PASSED = 'window passed';
export const BACKFILLED_WINDOW_PASSED = 'an earlier first order was back-filled and its window has passed';
const CHANNELS: Channel[] = ['sms', 'email'];

export const followUpDedupeKey = (contactId: string, channel: Channel) => `first-order:${contactId}:${channel}`;

const addressFor = (contact: OrderContact, channel: Channel) => (channel === 'sms' ? contact.phone : contact.email);

const orderData = (order: FollowUpOrder) => ({
  externalId: order.externalId,
  amount: order.amount,
  currency: order.currency,
  placedAt: order.placedAt.toISOString(),
});

/**
 * The thank-you after a contact's first order (DESIGN.md "Follow-up after the first order").
 * One message per channel, deduplicated by `first-order:<contact>:<channel>`, so later orders,
 * repeated posts and status changes can never add a second. A back-filled earlier order takes
 * over a thank-you that has not gone out yet; if the earlier order's window is already over, the
 * pending thank-you (which thanks for an order that was not the first) is expired instead.
 * A thank-you whose window passed before we learned of the order is recorded as an `expired`
 * message with the event "window passed", so the skip shows in the message log.
 */
export function createFirstOrderFollowUpService(deps: {
  automations: AutomationsRepository;
  outbox: Outbox;
  repository: FirstOrderFollowUpRepository;
  clock: Clock;
}) {
  const { automations, outbox, repository, clock } = deps;

  return {
    /** For a new order that is the contact's first (earliest placedAt). Idempotent: a resumed call changes nothing more. */
    async onFirstOrder(order: FollowUpOrder, contact: OrderContact): Promise<void> {
      const settings = await automations.get('first-order-follow-up');
      if (!settings.enabled || contact.erasedAt) return;
      const channels = settings.channels.filter((channel) => addressFor(contact, channel));
      if (channels.length === 0) return;
      const now = clock.now();
      const timing = firstOrderFollowUpTiming(order.placedAt, contact.timeZone, settings, now);
      const data = { order: orderData(order) };

      if (timing.kind === 'window-passed') {
        // Recorded as an expired row so the skip is visible in the message log.
        const result = await outbox.enqueue(channels.map((channel) => message(contact.id, channel, now, timing.expiresAt, settings.templateKey, data)));
        await repository.expirePending(result.created, WINDOW_PASSED, now);
        // A pending thank-you for a later order is wrong now: the true first order's window is over.
        await repository.expirePending(result.existing, BACKFILLED_WINDOW_PASSED, now, order.placedAt);
        return;
      }

      const result = await outbox.enqueue(
        channels.map((channel) => message(contact.id, channel, timing.scheduledAt, timing.expiresAt, settings.templateKey, data)),
      );
      await repository.moveToEarlierOrder(result.existing, { ...timing, order: data.order, placedAt: order.placedAt, at: now });
    },

    /** The follow-up of an order, read back from the message log (undefined if it has none). */
    async describe(order: { externalId: string; contactId: string }): Promise<FollowUpView | undefined> {
      const all = await repository.findByDedupeKeys(CHANNELS.map((c) => followUpDedupeKey(order.contactId, c)));
      const mine = all.filter((m) => (m.data.order as { externalId?: string } | undefined)?.externalId === order.externalId);
      if (mine.length === 0) return undefined;
      return toView(mine);
    },
  };
}
export type FirstOrderFollowUpService = ReturnType<typeof createFirstOrderFollowUpService>;

function message(contactId: string, channel: Channel, scheduledAt: Date, expiresAt: Date, templateKey: string, data: Record<string, unknown>): NewMessage {
  return { dedupeKey: followUpDedupeKey(contactId, channel), contactId, channel, kind: 'first-order', scheduledAt, expiresAt, templateKey, data };
}

function toView(mine: FollowUpMessage[]): FollowUpView {
  const live = mine.filter((m) => m.status !== 'expired');
  if (live.length === 0) {
    return { messageIds: mine.map((m) => m.id), scheduledAt: null, status: 'skipped', reason: mine[0].error ?? WINDOW_PASSED };
  }
  const first = Math.min(...live.map((m) => m.scheduledAt.getTime()));
  return { messageIds: mine.map((m) => m.id), scheduledAt: new Date(first).toISOString(), status: 'scheduled' };
}
