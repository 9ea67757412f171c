import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export type MessageStatus =
  | 'scheduled' | 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'undelivered'
  | 'suppressed' | 'cancelled' | 'expired' | 'unknown';
/**
 * `order`: the order notices and trip reminders (service messages: no frequency cap, no opt-out hint).
 * `festival`: the standing festival greetings — marketing for the carriers (signature, opt-out hint),
 * but care messages for the frequency cap, which neither counts nor holds them (API.md "Care journeys").
 */
export type MessageKind = 'birthday' | 'first-order' | 'holiday' | 'promo' | 'manual' | 'order' | 'festival' | 'survey' | 'referral';
export type Channel = 'sms' | 'email';

/** The outbox: every message is a row with a unique dedupe key before any job or provider call. */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    contactId: uuid('contact_id').notNull(),
    channel: text('channel').notNull().$type<Channel>(),
    kind: text('kind').notNull().$type<MessageKind>(),
    status: text('status').notNull().$type<MessageStatus>(),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }).notNull(),
    /** Latest local instant it may still go out (follow-up window end, end of the recipient's campaign date). */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    templateKey: text('template_key'),
    /** Inline body for one-off messages that use no template. */
    bodyTemplate: text('body_template'),
    data: jsonb('data').notNull().default({}).$type<Record<string, unknown>>(),
    campaignId: uuid('campaign_id'),
    resendOf: uuid('resend_of'),
    /** The coupon batch this message takes a code from (campaign/automation `couponBatchId`). */
    couponBatchId: uuid('coupon_batch_id'),
    /** The code it carries (taken when the row was created; null with a batch: `coupons_exhausted`). */
    couponCode: text('coupon_code'),
    toAddress: text('to_address'),
    subject: text('subject'),
    body: text('body'),
    provider: text('provider'),
    providerMessageId: text('provider_message_id'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    /**
     * The batch job this message travels in (BullMQ id `b-<key>`, shared by the messages due together);
     * null: its own job, `m-<id>`. Only that job may claim it, so a stale job can't send it early.
     */
    jobKey: text('job_key'),
    /**
     * The happy path's times live on the row (issue 13): `created_at`, when it became `queued`, when
     * the current attempt was claimed, and `sent_at`. `message_events` keeps the exceptional transitions;
     * the message's history is rebuilt from both (messages/message-history.ts).
     */
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    /** The claim of the attempt in progress or that went out; cleared when an attempt ends otherwise (its event is then logged). */
    sendingAt: timestamp('sending_at', { withTimezone: true }),
    /** Rows written before migration 0003 logged every transition as an event; their history is the events alone. */
    historyInEvents: boolean('history_in_events').notNull().default(false),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** SMS segments billed for the text that went out, recorded with `sent` (reports: cost = segments × price). */
    segments: smallint('segments'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Partial indexes: every status change writes a new row version and an entry in each index whose
  // predicate it matches, so keeping finished rows, non-campaign rows and rows without a provider id
  // out of the indexes that never look them up saves a third of the index writes per send — and
  // keeps the (status, scheduled_at) index as small as the work in flight, not the whole history.
  (t) => [
    index('messages_status_scheduled_idx').on(t.status, t.scheduledAt).where(sql`status in ('scheduled', 'queued', 'sending')`),
    index('messages_contact_idx').on(t.contactId, t.createdAt),
    index('messages_campaign_idx').on(t.campaignId, t.status).where(sql`campaign_id is not null`),
    index('messages_provider_id_idx').on(t.providerMessageId).where(sql`provider_message_id is not null`),
    // Satisfaction surveys after the first-order follow-up: the tick finds the follow-ups sent lately.
    index('messages_first_order_sent_idx').on(t.sentAt).where(sql`kind = 'first-order' and sent_at is not null`),
    // Reports (modules/reports): last-touch attribution finds a contact's last message sent before an
    // order in one probe; the figures of a date range read only the finished rows of that range,
    // by their report time (sent, else scheduled — a failed or held-out row has no sent_at).
    index('messages_contact_sent_idx').on(t.contactId, t.sentAt).where(sql`sent_at is not null`),
    index('messages_report_at_idx').on(sql`(coalesce(${t.sentAt}, ${t.scheduledAt}))`)
      .where(sql`status in ('sent', 'delivered', 'failed', 'undelivered', 'suppressed')`),
  ],
);

export const messageEvents = pgTable(
  'message_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    messageId: uuid('message_id').notNull(),
    status: text('status').notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('message_events_message_idx').on(t.messageId, t.id)],
);

/** Provider callbacks already applied (MessageSid + status), so a replay changes nothing. */
export const providerEvents = pgTable(
  'provider_events',
  {
    providerMessageId: text('provider_message_id').notNull(),
    status: text('status').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.providerMessageId, t.status] })],
);
