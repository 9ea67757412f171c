import { z } from 'zod';
import { pageQuery } from '../../shared/pagination';
import { CONTACT_SORTS } from './contact-sorts';
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

/** The list's filters; counts, bulk actions and exports take the same ones. */
export const contactListFilters = z.object({
  tag: oneOrMany.optional(),
  tier: z.string().optional(),
  q: z.string().trim().min(1).max(200).optional(),
  /** A class, or the legacy `none` (= prospect, cooling or gone; see lifecycle.ts). */
  lifecycle: z.enum(LIFECYCLES).optional(),
});
export type ContactListFilters = z.infer<typeof contactListFilters>;

export const listContactsQuery = pageQuery.extend({
  ...contactListFilters.shape,
  /** `-createdAt` (newest first, the default), `createdAt`, `name`, `-name`, `updatedAt`, `-updatedAt`. */
  sort: z.enum(CONTACT_SORTS).optional(),
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

const importMapping = z.record(z.string(), z.string().nullable()).describe('header → field (null: not imported)');

export const importResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(z.object({
    row: z.number().int().describe('the row as the spreadsheet numbers it (CSV/XLSX: the header is row 1); NDJSON/JSON: the record number'),
    errors: z.array(z.object({
      field: z.string(), message: z.string(), code: z.string().optional().describe('stable reason, e.g. phone_not_mobile, birthday_unreadable'),
    })).describe('at most 10, then one entry counting the rest'),
  })).describe('the first rejected rows by row number (IMPORT_MAX_REJECTED_LISTED, default 1,000)'),
  rejectedCount: z.number().int().describe('every rejected row, listed or not'),
  rejectedTruncated: z.boolean().describe('true when rejectedCount is more than the rows listed'),
  /** CSV/XLSX only. */
  mapping: importMapping.optional(),
  ignoredColumns: z.array(z.string()).optional().describe('columns nothing recognised or mapped (keepUnknown=true keeps them as attributes)'),
  encoding: z.string().optional().describe('the CSV encoding read (detected or given)'),
});
export type ImportResult = z.infer<typeof importResult>;

/** `?mapping=` (JSON header → field), `?keepUnknown=true`, `?encoding=` (CSV; detected when absent). */
export const importQuery = z.object({
  mapping: z.string().max(20_000).optional(),
  keepUnknown: z.enum(['true', 'false']).optional(),
  encoding: z.string().trim().min(1).max(40).optional(),
});
export type ImportQuery = z.infer<typeof importQuery>;

export const importPreview = z.object({
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  headers: z.array(z.string()),
  mapping: importMapping,
  ignoredColumns: z.array(z.string()),
  fields: z.array(z.string()).describe('what a column can feed (plus attributes.<name>)'),
  sample: z.array(z.object({ row: z.number().int(), cells: z.array(z.string()) })).describe('the first data rows as read'),
});
