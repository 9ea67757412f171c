import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, numeric, pgTable, smallint, text, timestamp, uuid, primaryKey, uniqueIndex } from 'drizzle-orm/pg-core';

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    externalId: text('external_id').unique(),
    name: text('name'),
    phone: text('phone'),
    email: text('email'),
    locale: text('locale').notNull(),
    timeZone: text('time_zone').notNull(),
    /** ISO country of the phone number (derived on every write, never given): the segment filter `country`. */
    country: text('country'),
    gender: text('gender').notNull().default('unspecified').$type<'female' | 'male' | 'unspecified'>(),
    birthdayYear: smallint('birthday_year'),
    birthdayMonth: smallint('birthday_month'),
    birthdayDay: smallint('birthday_day'),
    birthdayCalendar: text('birthday_calendar').notNull().default('gregorian').$type<'gregorian' | 'lunar'>(),
    birthdayLeapMonth: boolean('birthday_leap_month').notNull().default(false),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    tier: text('tier'),
    attributes: jsonb('attributes').notNull().default({}).$type<Record<string, unknown>>(),
    consentSms: boolean('consent_sms').notNull().default(true),
    consentSmsAt: timestamp('consent_sms_at', { withTimezone: true }).notNull().defaultNow(),
    consentSmsSource: text('consent_sms_source').notNull().default('api'),
    consentEmail: boolean('consent_email').notNull().default(true),
    consentEmailAt: timestamp('consent_email_at', { withTimezone: true }).notNull().defaultNow(),
    consentEmailSource: text('consent_email_source').notNull().default('api'),
    /** UTC instant of the next birthday greeting; null when no birthday or automation off. */
    nextBirthdayAt: timestamp('next_birthday_at', { withTimezone: true }),
    /** Local date (YYYY-MM-DD) of the last birthday occurrence a greeting was created for. */
    lastBirthdayOn: text('last_birthday_on'),
    /** Random per-contact id used inside unsubscribe tokens (never the contact id itself). */
    unsubscribeNonce: text('unsubscribe_nonce').notNull().default(sql`replace(gen_random_uuid()::text, '-', '')`),
    /** Order figures: kept incrementally by the orders module; cancelled and refunded orders don't count. */
    orderCount: integer('order_count').notNull().default(0),
    spentTotal: numeric('spent_total', { precision: 16, scale: 2 }).notNull().default('0'),
    firstOrderAt: timestamp('first_order_at', { withTimezone: true }),
    lastOrderAt: timestamp('last_order_at', { withTimezone: true }),
    /** When a message to this contact was last `sent` (written by the send path's markSent statement). */
    lastContactedAt: timestamp('last_contacted_at', { withTimezone: true }),
    /** Short, unique, non-guessable code a contact shares to refer friends (coupons module). */
    referralCode: text('referral_code').notNull().default(sql`carebeat_referral_code()`),
    /** The contact who referred this one. */
    referredBy: uuid('referred_by'),
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('contacts_next_birthday_at_idx').on(t.nextBirthdayAt),
    // Lifecycle journeys find who crosses a class boundary as ranges on the last order (last + N days).
    index('contacts_last_order_at_idx').on(t.lastOrderAt),
    index('contacts_phone_idx').on(t.phone),
    index('contacts_email_idx').on(t.email),
    index('contacts_tags_idx').using('gin', t.tags),
    index('contacts_unsubscribe_nonce_idx').on(t.unsubscribeNonce),
    // Segment filters whose selective values would otherwise scan every contact: a small country,
    // the big spenders, the recent buyers (last_order_at, above) — see segment-filter.sql.ts for the
    // filters left unindexed.
    index('contacts_country_idx').on(t.country),
    // The festival tick's catch-up pass looks only at contacts created since its last pass (a day's
    // newcomers greeted on the day): without this it read all 1 M contacts every minute of a festival.
    index('contacts_created_at_idx').on(t.createdAt),
    index('contacts_spent_total_idx').on(t.spentTotal),
    uniqueIndex('contacts_referral_code_idx').on(t.referralCode),
    index('contacts_referred_by_idx').on(t.referredBy).where(sql`referred_by is not null`),
  ],
);

/** A stored contact, as drizzle reads it: the one row type every module and test imports. */
export type ContactRow = typeof contacts.$inferSelect;
export type ContactInsert = typeof contacts.$inferInsert;

/** Opt-outs per address, so they survive deleting/re-importing a contact and cover shared numbers. */
export const suppressions = pgTable(
  'suppressions',
  {
    channel: text('channel').notNull().$type<'sms' | 'email'>(),
    address: text('address').notNull(),
    reason: text('reason').notNull(),
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.address] })],
);
