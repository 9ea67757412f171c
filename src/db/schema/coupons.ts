import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** A batch of coupon codes of one value (API.md "Coupons and referral rewards"). */
export const couponBatches = pgTable('coupon_batches', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  value: numeric('value', { precision: 14, scale: 2 }).notNull(),
  currency: text('currency').notNull(),
  minSpend: numeric('min_spend', { precision: 14, scale: 2 }),
  /** A code expires this many days after it is issued … */
  validDays: integer('valid_days'),
  /** … or at this instant (one of the two, or neither: no expiry). */
  validUntil: timestamp('valid_until', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type CouponCodeStatus = 'available' | 'issued' | 'redeemed' | 'void';

/**
 * One code. `available` codes are taken (FOR UPDATE SKIP LOCKED) in the statement that creates the
 * message; a cancelled/suppressed/expired message gives its code back (trigger, migration 0008).
 * "expired" is not stored: it is an issued code whose `expires_at` has passed (or a batch past its
 * `valid_until`), so it never needs a sweep.
 */
export const couponCodes = pgTable(
  'coupon_codes',
  {
    /** Sequential, not a random uuid: a million-code insert appends to its indexes, and the claim takes codes in insert order. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Stored upper-case: codes compare case-insensitively. Unique across batches. */
    code: text('code').notNull(),
    batchId: uuid('batch_id').notNull().references(() => couponBatches.id, { onDelete: 'cascade' }),
    status: text('status').notNull().default('available').$type<CouponCodeStatus>(),
    contactId: uuid('contact_id'),
    messageId: uuid('message_id'),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    redeemedAt: timestamp('redeemed_at', { withTimezone: true }),
    orderExternalId: text('order_external_id'),
    orderAmount: numeric('order_amount', { precision: 14, scale: 2 }),
    /** Why a code was voided (a referral reward whose order was cancelled/refunded). */
    note: text('note'),
  },
  (t) => [
    uniqueIndex('coupon_codes_code_idx').on(t.code),
    // The claim's scan: a batch's available codes in id order.
    index('coupon_codes_available_idx').on(t.batchId, t.id).where(sql`status = 'available'`),
    index('coupon_codes_batch_status_idx').on(t.batchId, t.status),
    index('coupon_codes_message_idx').on(t.messageId).where(sql`message_id is not null`),
  ],
);

/** One referral reward: the referrer's voucher for a referred contact's first paid order (one per referred contact). */
export const referralRewards = pgTable(
  'referral_rewards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The referred contact: one reward per referred contact. */
    referredContactId: uuid('referred_contact_id').notNull(),
    referrerContactId: uuid('referrer_contact_id').notNull(),
    orderId: uuid('order_id').notNull(),
    orderAmount: numeric('order_amount', { precision: 14, scale: 2 }).notNull(),
    couponCode: text('coupon_code'),
    messageIds: jsonb('message_ids').notNull().default([]).$type<string[]>(),
    status: text('status').notNull().default('issued').$type<'issued' | 'voided' | 'kept-redeemed' | 'no-coupon'>(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('referral_rewards_referred_idx').on(t.referredContactId),
    index('referral_rewards_referrer_idx').on(t.referrerContactId),
    index('referral_rewards_order_idx').on(t.orderId),
  ],
);
