import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Every inbound SMS (Twilio, and the gateways' replies), keyword or not: nothing inbound is dropped.
 * `contact_id` is the contact of the last message sent to that number (null for a number no contact
 * has: a reply never creates a contact); `in_reply_to` that message. `kind`: `keyword` (STOP, HELP…),
 * `score` (1–5 answering a survey, `survey_id`), `text` (anything else: a ticket's material).
 */
export const replies = pgTable(
  'replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactId: uuid('contact_id'),
    fromAddress: text('from_address').notNull(),
    /** Emptied when the contact is erased (`erased_at` set). */
    body: text('body').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    provider: text('provider').notNull().default('twilio'),
    /** The provider's id of the inbound message (Twilio `MessageSid`): a replayed webhook stores nothing new. */
    providerMessageId: text('provider_message_id'),
    inReplyTo: uuid('in_reply_to'),
    kind: text('kind').notNull().$type<'keyword' | 'score' | 'text'>(),
    keyword: text('keyword'),
    surveyId: uuid('survey_id'),
    ticketId: uuid('ticket_id'),
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('replies_received_idx').on(t.receivedAt, t.id),
    index('replies_contact_idx').on(t.contactId, t.receivedAt),
    index('replies_ticket_idx').on(t.ticketId).where(sql`ticket_id is not null`),
    uniqueIndex('replies_provider_message_idx').on(t.provider, t.providerMessageId).where(sql`provider_message_id is not null`),
  ],
);

/**
 * One satisfaction survey: the message that carried it (`message_id`, unique) and its answer, given
 * once — on the public page `/s/:token` or by an SMS reply of 1–5 within 7 days.
 */
export const surveys = pgTable(
  'surveys',
  {
    id: uuid('id').primaryKey(),
    messageId: uuid('message_id').notNull().unique(),
    contactId: uuid('contact_id').notNull(),
    orderId: uuid('order_id'),
    channel: text('channel').notNull().$type<'sms' | 'email'>(),
    score: integer('score'),
    /** Emptied when the contact is erased. */
    comment: text('comment'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answeredVia: text('answered_via').$type<'web' | 'sms'>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('surveys_contact_idx').on(t.contactId, t.createdAt), index('surveys_created_idx').on(t.createdAt)],
);

/**
 * A complaint to answer within 24 hours: opened by a survey score ≤ 2 or a free-text reply. One open
 * ticket per contact collects that contact's further replies. `answered_at`: the operator's last
 * reply; a customer writing again after it re-arms `due_at`.
 */
export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactId: uuid('contact_id').notNull(),
    channel: text('channel').notNull().$type<'sms' | 'email'>(),
    status: text('status').notNull().$type<'open' | 'resolved'>(),
    reason: text('reason').notNull().$type<'low-score' | 'free-text'>(),
    surveyId: uuid('survey_id'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolutionNote: text('resolution_note'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('tickets_status_due_idx').on(t.status, t.dueAt),
    index('tickets_opened_idx').on(t.openedAt, t.id),
    uniqueIndex('tickets_one_open_per_contact_idx').on(t.contactId).where(sql`status = 'open'`),
  ],
);

/** The operator's answers in a ticket's thread: each a `manual` message on the customer's channel. */
export const ticketResponses = pgTable(
  'ticket_responses',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: uuid('ticket_id').notNull(),
    messageId: uuid('message_id').notNull(),
    body: text('body').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('ticket_responses_ticket_idx').on(t.ticketId, t.at)],
);
