import type { Channel } from '../../db/schema';
import type { Clock } from '../../time/clock';
import type { FirstOrderAutomation } from '../automations/automations.types';
import type { NewMessage, OutboxResult } from '../messages/outbox.types';
import type { SqlExecutor } from '../messages/outbox.repository';
import { firstOrderFollowUpTiming } from './follow-up-timing';
import type { FirstOrderFollowUpRepository, FollowUpMessage } from './first-order-follow-up.repository';
import type { OrderChange, OrderSnapshot } from './order-change';
import { countsAsOrder } from './order-status';
import type { FollowUpView } from './orders.schemas';
import type { OrderContact } from './orders.repository';

export interface Outbox {
  stage(messages: NewMessage[], executor: SqlExecutor): Promise<OutboxResult & { enqueue(): Promise<void> }>;
}

export const WINDOW_PASSED = 'window passed';
export const BACKFILLED_WINDOW_PASSED = 'an earlier first order was back-filled and its window has passed';
const PENDING = ['scheduled', 'queued'];

/** The first thank-you of a contact and channel; a successor of a cancelled first order adds its own id. */
export const followUpDedupeKey = (contactId: string, channel: Channel) => `first-order:${contactId}:${channel}`;

const addressFor = (contact: OrderContact, channel: Channel) => (channel === 'sms' ? contact.phone : contact.email);
const orderOf = (message: FollowUpMessage) => (message.data.order ?? {}) as { externalId?: string; placedAt?: string };

export interface FollowUpContext {
  change: OrderChange;
  contact: OrderContact;
  /** The contact's first order as it stands after the change: earliest placedAt among those that count. */
  first: OrderSnapshot | undefined;
  settings: FirstOrderAutomation;
  executor: SqlExecutor;
}

/**
 * The thank-you after a contact's first order (DESIGN.md "Follow-up after the first order"), decided
 * inside the order's transaction (which holds the contact's lock) after every change of its orders:
 * - a cancelled or refunded order's waiting thank-you is cancelled with the reason;
 * - the first order (earliest placedAt among orders that count; with trigger `paid`, once it is paid)
 *   gets one per channel, unless the channel already has one that was not cancelled: a pending one for
 *   a later order is moved to it (back-fill) or expired if its window is over; one that went out stays.
 *   A thank-you whose window passed before we learned of the order is an `expired` row ("window passed").
 * The dedupe key is `first-order:<contact>:<channel>`, or, once that key was used by a cancelled
 * order's thank-you, `…:<order id>`: exactly one per order, and one live one per contact and channel.
 */
export function createFirstOrderFollowUpService(deps: { outbox: Outbox; repository: FirstOrderFollowUpRepository; clock: Clock }) {
  const { outbox, repository, clock } = deps;

  async function cancelWithOrder(messages: FollowUpMessage[], order: OrderSnapshot, executor: SqlExecutor): Promise<void> {
    const waiting = messages.filter((m) => orderOf(m).externalId === order.externalId && PENDING.includes(m.status));
    const ended = await repository.endPending(waiting.map((m) => m.id), 'cancelled', `order ${order.status}`, clock.now(), executor);
    for (const message of messages) if (ended.includes(message.id)) message.status = 'cancelled';
  }

  return {
    /** Returns what must run after the commit (adding the send jobs of a thank-you due soon). */
    async onOrderChange(ctx: FollowUpContext): Promise<(() => Promise<void>) | undefined> {
      const { change, contact, first, settings, executor } = ctx;
      const messages = await repository.findForContact(contact.id, executor);
      const stoppedCounting = !countsAsOrder(change.after.status) && (!change.before || countsAsOrder(change.before.status));
      if (stoppedCounting) await cancelWithOrder(messages, change.after, executor);
      if (!first || !settings.enabled || contact.erasedAt) return undefined;
      if (settings.trigger === 'paid' && first.status === 'placed') return undefined;

      const now = clock.now();
      const base = settings.trigger === 'paid' ? first.paidAt ?? change.at : first.placedAt;
      const timing = firstOrderFollowUpTiming(base, contact.timeZone, settings, now);
      const order = { externalId: first.externalId, amount: first.amount, currency: first.currency, placedAt: first.placedAt.toISOString() };
      const toCreate: NewMessage[] = [];
      const toMove: string[] = [];
      for (const channel of settings.channels.filter((c) => addressFor(contact, c))) {
        const own = messages.filter((m) => m.channel === channel);
        if (own.some((m) => orderOf(m).externalId === first.externalId)) continue;
        const live = own.filter((m) => m.status !== 'cancelled');
        if (live.length > 0) {
          toMove.push(...live.filter((m) => PENDING.includes(m.status) && new Date(orderOf(m).placedAt ?? 0) > first.placedAt).map((m) => m.id));
          continue;
        }
        const key = own.some((m) => m.dedupeKey === followUpDedupeKey(contact.id, channel))
          ? `${followUpDedupeKey(contact.id, channel)}:${first.id}` : followUpDedupeKey(contact.id, channel);
        const scheduledAt = timing.kind === 'send' ? timing.scheduledAt : now;
        toCreate.push({
          dedupeKey: key, contactId: contact.id, channel, kind: 'first-order', scheduledAt, expiresAt: timing.expiresAt,
          templateKey: settings.templateKey, data: { order }, couponBatchId: settings.couponBatchId ?? null,
          holdout: { key: 'first-order-follow-up', percent: settings.holdoutPercent ?? 0 },
        });
      }

      const staged = toCreate.length ? await outbox.stage(toCreate, executor) : undefined;
      if (timing.kind === 'window-passed') {
        // Recorded as expired rows so the skip shows in the message log; a pending thank-you for a
        // later order is wrong now, as the true first order's window is over.
        await repository.endPending(staged?.created ?? [], 'expired', WINDOW_PASSED, now, executor);
        await repository.endPending(toMove, 'expired', BACKFILLED_WINDOW_PASSED, now, executor);
        return undefined;
      }
      await repository.moveToEarlierOrder(toMove, { ...timing, order, placedAt: first.placedAt, at: now }, executor);
      return staged?.enqueue;
    },

    /** The follow-up of an order, read back from the message log (undefined if it has none). */
    async describe(order: { externalId: string; contactId: string }, executor: SqlExecutor): Promise<FollowUpView | undefined> {
      const mine = (await repository.findForContact(order.contactId, executor)).filter((m) => orderOf(m).externalId === order.externalId);
      return mine.length === 0 ? undefined : toView(mine);
    },
  };
}
export type FirstOrderFollowUpService = ReturnType<typeof createFirstOrderFollowUpService>;

function toView(mine: FollowUpMessage[]): FollowUpView {
  const messageIds = mine.map((m) => m.id);
  const live = mine.filter((m) => m.status !== 'expired' && m.status !== 'cancelled');
  if (live.length > 0) {
    const first = Math.min(...live.map((m) => m.scheduledAt.getTime()));
    return { messageIds, scheduledAt: new Date(first).toISOString(), status: 'scheduled' };
  }
  const cancelled = mine.find((m) => m.status === 'cancelled');
  if (cancelled) return { messageIds, scheduledAt: null, status: 'cancelled', reason: cancelled.error ?? 'cancelled' };
  return { messageIds, scheduledAt: null, status: 'skipped', reason: mine[0].error ?? WINDOW_PASSED };
}
