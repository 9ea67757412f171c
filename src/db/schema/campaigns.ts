import { boolean, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const customHolidays = pgTable('custom_holidays', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  names: jsonb('names').notNull().default({}).$type<Record<string, string>>(),
  calendar: text('calendar').notNull().$type<'gregorian' | 'lunar'>(),
  month: smallint('month').notNull(),
  day: smallint('day').notNull(),
  greeting: boolean('greeting').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const segments = pgTable('segments', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  filter: jsonb('filter').notNull().$type<Record<string, unknown>>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind').notNull().$type<'holiday' | 'promo'>(),
    holidayKey: text('holiday_key'),
    sendAt: timestamp('send_at', { withTimezone: true }),
    sendLocal: jsonb('send_local').$type<{ date?: string; time: string } | null>(),
    segmentId: uuid('segment_id'),
    filter: jsonb('filter').$type<Record<string, unknown> | null>(),
    templateKey: text('template_key').notNull(),
    channels: text('channels').array().notNull(),
    recurrence: text('recurrence'),
    recurrenceTimeZone: text('recurrence_time_zone'),
    force: boolean('force').notNull().default(false),
    /** Share (0–50 %) of recipients held out as the control group (messages/holdout.ts). */
    holdoutPercent: numeric('holdout_percent', { precision: 5, scale: 2, mode: 'number' }).notNull().default(0),
    /** Each message takes one code of this coupon batch. */
    couponBatchId: uuid('coupon_batch_id'),
    status: text('status').notNull().$type<'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled'>(),
    /** Next occurrence the scheduler should start (null when none). */
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('campaigns_status_next_run_idx').on(t.status, t.nextRunAt)],
);

/** One fan-out per campaign occurrence, resumable from `cursor` (last contact id done). */
export const campaignRuns = pgTable(
  'campaign_runs',
  {
    campaignId: uuid('campaign_id').notNull(),
    occurrence: timestamp('occurrence', { withTimezone: true }).notNull(),
    status: text('status').notNull().$type<'fanning-out' | 'done'>(),
    cursor: uuid('cursor'),
    created: integer('created').notNull().default(0),
    /** Recipients skipped because their local campaign date was already over (API.md `missed`). */
    missed: integer('missed').notNull().default(0),
    /** Recipient × channel pairs skipped for want of an address on that channel. */
    skipped: integer('skipped').notNull().default(0),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.occurrence] })],
);
