import { z } from 'zod';
import { pageQuery } from '../../shared/pagination';
import { LIFECYCLE_CLASSES, LIFECYCLES } from './lifecycle';

export const GENDERS = ['female', 'male', 'unspecified'] as const;
export const BIRTHDAY_CALENDARS = ['gregorian', 'lunar'] as const;

const consentInput = z.object({ sms: z.boolean().optional(), email: z.boolean().optional() });

/**
 * Shape of a contact as written (POST/PUT, import rows). Only types and shapes are checked here;
 * `contact-input.ts` normalises and checks meaning (E.164, zone, real dates) for every entry point.
 * `null` clears a field on PATCH.
 */
export const contactFields = z.object({
  externalId: z.string().trim().min(1).max(200).nullish(),
  name: z.string().trim().max(500).nullish(),
  phone: z.string().trim().max(50).nullish(),
  email: z.string().trim().max(320).nullish(),
  locale: z.string().trim().min(2).max(35).nullish(),
  timeZone: z.string().trim().min(1).max(100).nullish(),
  gender: z.enum(GENDERS).nullish(),
  birthday: z.string().trim().max(10).nullish(),
  birthdayCalendar: z.enum(BIRTHDAY_CALENDARS).nullish(),
  birthdayLeapMonth: z.boolean().nullish(),
  tags: z.array(z.string().trim().min(1).max(100)).max(100).nullish(),
  tier: z.string().trim().max(100).nullish(),
  attributes: z.record(z.string(), z.unknown()).nullish(),
  consent: consentInput.nullish(),
  /** Who referred this contact: their referral code or contact id (422 for oneself or a shared phone/e-mail). */
  referredBy: z.string().trim().min(1).max(100).nullish(),
});
export type ContactFields = z.infer<typeof contactFields>;


export const contactIdParams = z.object({ id: z.string().uuid() });
export const externalIdParams = z.object({ externalId: z.string().min(1).max(200) });

const oneOrMany = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

export const listContactsQuery = pageQuery.extend({
  tag: oneOrMany.optional(),
  tier: z.string().optional(),
  q: z.string().trim().min(1).max(200).optional(),
  /** A class, or the legacy `none` (= prospect, cooling or gone; see lifecycle.ts). */
  lifecycle: z.enum(LIFECYCLES).optional(),
});
export type ListContactsQuery = z.infer<typeof listContactsQuery>;

const consentDetail = z.object({ at: z.string(), source: z.string() });

export const contactView = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  locale: z.string(),
  timeZone: z.string(),
  gender: z.enum(GENDERS),
  birthday: z.string().nullable().describe("'1990-08-15' or '--08-15' (no year)"),
  birthdayCalendar: z.enum(BIRTHDAY_CALENDARS),
  birthdayLeapMonth: z.boolean(),
  tags: z.array(z.string()),
  tier: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  consent: z.object({ sms: z.boolean(), email: z.boolean() }),
  consentDetails: z.object({ sms: consentDetail, email: consentDetail }),
  /** This contact's own code for referring friends (templates: `contact.referralCode`). */
  referralCode: z.string().optional(),
  referredBy: z.string().nullable().optional(),
  nextBirthdayAt: z.string().nullable(),
  lifecycle: z.enum(LIFECYCLE_CLASSES),
  /** Order figures (cancelled and refunded orders don't count); amounts as decimal strings. */
  orderCount: z.number(),
  spentTotal: z.string(),
  avgOrderValue: z.string().nullable(),
  firstOrderAt: z.string().nullable(),
  lastOrderAt: z.string().nullable(),
  /** When a message to the contact was last sent. */
  lastContactedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ContactView = z.infer<typeof contactView>;

export const contactPage = z.object({ items: z.array(contactView), nextCursor: z.string().nullable() });

export const importResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(z.object({
    row: z.number().int().describe('1-based record number, header excluded'),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).describe('at most 10, then one entry counting the rest'),
  })).describe('the first rejected rows by row number (IMPORT_MAX_REJECTED_LISTED, default 1,000)'),
  rejectedCount: z.number().int().describe('every rejected row, listed or not'),
  rejectedTruncated: z.boolean().describe('true when rejectedCount is more than the rows listed'),
});
export type ImportResult = z.infer<typeof importResult>;
