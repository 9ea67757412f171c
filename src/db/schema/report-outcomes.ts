import { bigint, boolean, date, integer, numeric, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The reports' daily rollup of outcomes (docs/reports.md "The outcome rollup"): per shop-local day
 * of the report time, scope (a campaign id, or the automation key when `campaign` is false) and
 * holdout side, the holdout comparison's exposures (a contact reached, or held out, by the scope that
 * day), how many of them converted and their orders, and — on the messaged side — the orders and
 * revenue attributed (last touch) to that day's messages. Written only by the scheduler tick's
 * `report-outcome-rollup` step (reports.outcome-rollup.ts), never by the send path.
 */
export const reportOutcomeDaily = pgTable(
  'report_outcome_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    scope: text('scope').notNull(),
    held: boolean('held').notNull(),
    campaign: boolean('campaign').notNull(),
    exposures: integer('exposures').notNull(),
    converted: integer('converted').notNull(),
    orders: integer('orders').notNull(),
    attributedOrders: integer('attributed_orders').notNull(),
    /** Exact (numeric): a report sums rolled and raw days before it rounds, as the raw query does. */
    attributedRevenue: numeric('attributed_revenue', { precision: 18, scale: 2 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.scope, t.held] })],
);

/**
 * The outcome rollup's watermark (one row): every day up to `rolled_through` is in
 * `report_outcome_daily`, as of message event `last_event_id`, for these zone and window.
 */
export const reportOutcomeState = pgTable('report_outcome_state', {
  id: smallint('id').primaryKey().default(1),
  timeZone: text('time_zone').notNull(),
  attributionDays: integer('attribution_days').notNull(),
  rolledThrough: date('rolled_through', { mode: 'string' }).notNull(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
});
