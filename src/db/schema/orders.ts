import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts';

/** One accepted status of an order, in the order it was reached. */
export interface OrderStatusEntry {
  status: string;
  at: string;
}
/** Same shape as `OrderItem` in modules/orders/order-change.ts (the schema imports no module). */
export interface OrderItemRow {
  sku?: string;
  name: string;
  quantity: number;
  price?: string;
}

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    externalId: text('external_id').notNull().unique(),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    currency: text('currency').notNull(),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('placed'),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    trackingNumber: text('tracking_number'),
    carrier: text('carrier'),
    /** The trip or service date (travel agencies, salons). */
    departureAt: timestamp('departure_at', { withTimezone: true }),
    items: jsonb('items').notNull().default([]).$type<OrderItemRow[]>(),
    /** Stored only (redeeming is the coupons module's business). */
    couponCode: text('coupon_code'),
    attributes: jsonb('attributes').notNull().default({}).$type<Record<string, unknown>>(),
    /** Every accepted status, oldest first; on the row, so the row lock that orders updates also orders it. */
    statusHistory: jsonb('status_history').notNull().default([]).$type<OrderStatusEntry[]>(),
    /** Legacy: versions before the order journey set it until the follow-up was handed over after the
     * commit, and the scheduler tick finishes what a dead process left. The follow-up is now staged in
     * the order's own transaction, so only rows written by those versions can still carry it. */
    followUpPending: boolean('follow_up_pending').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('orders_contact_placed_idx').on(t.contactId, t.placedAt),
    // Reports: the orders of a date range (attribution, conversion).
    index('orders_placed_idx').on(t.placedAt),
    index('orders_follow_up_pending_idx').on(t.createdAt).where(sql`follow_up_pending`),
  ],
);
