import { sql } from 'drizzle-orm';
import { boolean, index, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts';

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
    /** Set (with the order) when it is the contact's first and its follow-up is not yet handed to the outbox;
     * cleared once it is. A process dying in between leaves it set, and the scheduler tick finishes the job. */
    followUpPending: boolean('follow_up_pending').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('orders_contact_placed_idx').on(t.contactId, t.placedAt),
    index('orders_follow_up_pending_idx').on(t.createdAt).where(sql`follow_up_pending`),
  ],
);
