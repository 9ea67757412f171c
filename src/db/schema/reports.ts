import { bigint, boolean, date, index, integer, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The reports' daily rollup of message figures (docs/reports.md "Speed"): one row per shop-local
 * day (by the message's report time), scope (a campaign id, or the automation key when
 * `campaign` is false) and provider ('' for none). Written only by the scheduler tick's
 * `report-rollup` step (reports.rollup.ts), never by the send path. Costs are not stored: SMS
 * segments and other-channel sends are, so a report prices them at today's prices like the raw query.
 */
export const reportDaily = pgTable(
  'report_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    scope: text('scope').notNull(),
    provider: text('provider').notNull(),
    campaign: boolean('campaign').notNull(),
    sent: integer('sent').notNull(),
    delivered: integer('delivered').notNull(),
    failed: integer('failed').notNull(),
    held: integer('held').notNull(),
    smsSegments: bigint('sms_segments', { mode: 'number' }).notNull(),
    otherSent: integer('other_sent').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.scope, t.provider] })],
);

/** The rollup's watermark (one row): every day up to `rolled_through` is in `report_daily`, as of message event `last_event_id`. */
export const reportRollupState = pgTable('report_rollup_state', {
  id: smallint('id').primaryKey().default(1),
  timeZone: text('time_zone').notNull(),
  rolledThrough: date('rolled_through', { mode: 'string' }).notNull(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
});

/**
 * What an order or contact change may have changed in the past, for the reports' rollups: one row per
 * statement that inserted, deleted or (in a way a report reads) updated orders or contacts, written by
 * statement-level triggers (migration 0013), with the earliest and latest instant whose figures it
 * touches — orders: `placed_at` (old and new), contacts: `created_at`. A rollup treats every day or
 * week overlapping a row as changed until a refresh recomputes it and deletes the row in the same
 * transaction; every consumer gets its own copy of each row. Triggers, unlike a watermark on `updated_at`, see deletes and back-dated writes too,
 * and orders are written far less often than messages (nothing is added to the send path).
 */
export const reportInvalidations = pgTable('report_invalidations', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  /** The rollup this row is for (`report_invalidation_consumers`): each deletes only its own rows, so none hides a change from another. */
  consumer: text('consumer').notNull(),
  /** 'orders' | 'contacts'. */
  source: text('source').notNull(),
  fromAt: timestamp('from_at', { withTimezone: true }).notNull(),
  toAt: timestamp('to_at', { withTimezone: true }).notNull(),
  loggedAt: timestamp('logged_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  // Each report reads its consumer's earliest from_at (what is stale): small while the tick takes the
  // rows, but a scheduler down for a day leaves one row per order statement and consumer.
  index('report_invalidations_consumer_from_idx').on(t.consumer, t.fromAt),
]);

/** The rollups that read `report_invalidations`: the triggers write one row per consumer listed here. */
export const reportInvalidationConsumers = pgTable('report_invalidation_consumers', {
  name: text('name').primaryKey(),
});

/**
 * The lifecycle chart's weekly snapshot (docs/reports.md "The lifecycle snapshot"): contacts per
 * lifecycle class at each finished local week end (Monday 00:00 in the shop's zone) and each finished
 * day end of the running week (the base the running week is computed forward from), every class of a
 * stored instant present, zeros included, so a stored instant is known to be stored. Written only by
 * the scheduler tick's `lifecycle-snapshot` step (reports.lifecycle-snapshot.ts).
 */
export const reportLifecycleWeeks = pgTable(
  'report_lifecycle_weeks',
  {
    at: timestamp('at', { withTimezone: true }).notNull(),
    class: text('class').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.at, t.class] })],
);

/** What the stored weeks were computed under (one row): a changed zone or lifecycle rule rebuilds them. */
export const reportLifecycleState = pgTable('report_lifecycle_state', {
  id: smallint('id').primaryKey().default(1),
  timeZone: text('time_zone').notNull(),
  /** The LIFECYCLE_*_DAYS thresholds, as JSON (`lifecycleKey`). */
  thresholds: text('thresholds').notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
});
