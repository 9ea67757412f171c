import { randomUUID } from 'node:crypto';
import { eq, like } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { messages, orders } from '../../src/db/schema';
import type { OrderNoticesAutomation } from '../../src/modules/automations/automations.types';
import type { OrderChange, OrderSnapshot } from '../../src/modules/orders/order-change';
import type { TestContext } from '../support/context';

/**
 * An order as the order model will hand it over. The row goes into today's `orders` table (its
 * existing columns: the send gate reads the status from there); the rest lives in the snapshot only.
 */
export async function placeOrder(ctx: TestContext, contactId: string, fields: Partial<OrderSnapshot> = {}): Promise<OrderSnapshot> {
  const snapshot: OrderSnapshot = {
    id: randomUUID(), externalId: `SO-${randomUUID().slice(0, 6)}`, contactId, status: 'placed', amount: '299.00', currency: 'CNY',
    placedAt: ctx.clock.now(), paidAt: null, trackingNumber: null, carrier: null, departureAt: null, items: [], couponCode: null,
    attributes: {}, ...fields,
  };
  await ctx.db.insert(orders).values({
    id: snapshot.id, externalId: snapshot.externalId, contactId, amount: snapshot.amount, currency: snapshot.currency,
    placedAt: snapshot.placedAt, status: snapshot.status,
  });
  return snapshot;
}

/**
 * What the orders service will do: the change and the listener in one transaction (the listener writes
 * through the transaction), then the listener's after-commit step.
 */
export async function applyChange(ctx: TestContext, before: OrderSnapshot | null, after: OrderSnapshot): Promise<OrderSnapshot> {
  const change: OrderChange = { before, after, at: ctx.clock.now() };
  const afterCommit = await ctx.db.transaction(async (tx) => {
    await tx.update(orders).set({ status: after.status, updatedAt: change.at }).where(eq(orders.id, after.id));
    return ctx.services.orderNotices.onOrderChange(change, tx);
  });
  if (afterCommit) await afterCommit();
  return after;
}

/** Moves an order to `status` (with any other changed fields) through the listener. */
export const moveOrder = (ctx: TestContext, order: OrderSnapshot, fields: Partial<OrderSnapshot>) =>
  applyChange(ctx, order, { ...order, ...fields });

export const noticesOf = (db: Db, orderId: string) =>
  db.select().from(messages).where(like(messages.dedupeKey, `order:${orderId}:%`)).orderBy(messages.createdAt, messages.dedupeKey);

const off = { enabled: false, channels: ['sms' as const] };

/** Every notice on (SMS), unless overridden. */
export function allNotices(overrides: Partial<OrderNoticesAutomation> = {}): OrderNoticesAutomation {
  const on = { ...off, enabled: true };
  return {
    paymentReminder: { ...on, templateKey: 'payment-reminder', afterMinutes: 30 },
    shipped: { ...on, templateKey: 'order-shipped' },
    delivered: { ...on, templateKey: 'order-delivered' },
    signed: { ...on, templateKey: 'order-signed' },
    tripReminder: { ...on, templateKey: 'trip-reminder', daysBefore: 1, sendAt: '18:00' },
    ...overrides,
  };
}
