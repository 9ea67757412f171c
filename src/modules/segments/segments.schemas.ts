import { z } from 'zod';
import { normaliseTimeZone } from '../contacts/contact-input';
import { LIFECYCLES } from '../contacts/lifecycle';

const oneOrMany = <T extends z.ZodTypeAny>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]) as z.output<T>[]);

const tag = z.string().trim().min(1).max(100);
const count = z.number().int().min(0).max(1_000_000_000);
const days = z.number().int().min(1).max(36_500);
const age = z.number().int().min(0).max(150);
const money = z.number().min(0).max(1e14);
const country = z.string().trim().regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166 country code (e.g. CN)').transform((c) => c.toUpperCase());
const timeZone = z.string().trim().transform((zone, ctx) => {
  const known = normaliseTimeZone(zone);
  if (!known) ctx.addIssue({ code: 'custom', message: 'not an IANA time zone (e.g. Asia/Shanghai)' });
  return known ?? zone;
});

/** `[low, high]` pairs of the filter that must not cross; the error names the low one. */
const RANGES = [['ageMin', 'ageMax'], ['orderCountMin', 'orderCountMax'], ['spentMin', 'spentMax']] as const;

/**
 * A saved filter over contacts. Every field narrows the set (AND); list fields match any of
 * their values, except `tagsAll`, which demands every tag.
 */
export const segmentFilter = z.strictObject({
  /** Contacts carrying any of these tags. */
  tags: oneOrMany(tag).optional(),
  /** Contacts carrying all of these tags. */
  tagsAll: oneOrMany(tag).optional(),
  tiers: oneOrMany(z.string().trim().min(1).max(100)).optional(),
  lifecycle: oneOrMany(z.enum(LIFECYCLES)).optional(),
  locale: oneOrMany(z.string().trim().min(2).max(35)).optional(),
  /**
   * Gregorian month (1–12) of the birthday; a lunar birthday matches the Gregorian month it falls in
   * this year (lunar 8/15 → September 2027), see birthday-filter.sql.ts.
   */
  birthdayMonth: oneOrMany(z.number().int().min(1).max(12)).optional(),
  gender: oneOrMany(z.enum(['female', 'male', 'unspecified'])).optional(),
  /** Age in whole years on the contact's local today, bounds included; only birthdays with a year match. */
  ageMin: age.optional(),
  ageMax: age.optional(),
  /** Country of the phone number (ISO code), as the contact's last write derived it. */
  country: oneOrMany(country).optional(),
  timeZone: oneOrMany(timeZone).optional(),
  /** Orders that count (not cancelled or refunded), bounds included. */
  orderCountMin: count.optional(),
  orderCountMax: count.optional(),
  /** Total spent (default currency), bounds included. */
  spentMin: money.optional(),
  spentMax: money.optional(),
  /** Last counted order within the last N days (exactly N days ago included). */
  lastOrderWithinDays: days.optional(),
  /** No message sent for N days or more; never contacted counts as not contacted. */
  notContactedForDays: days.optional(),
  /** Equality on attribute values (JSON containment). */
  attributes: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  /** Reachable on this channel: has the address, consents, and the address is not suppressed. */
  channel: z.enum(['sms', 'email']).optional(),
}).superRefine((filter, ctx) => {
  for (const [low, high] of RANGES) {
    const [min, max] = [filter[low], filter[high]];
    if (min !== undefined && max !== undefined && min > max) ctx.addIssue({ code: 'custom', path: [low], message: `must not exceed ${high}` });
  }
});
export type SegmentFilter = z.output<typeof segmentFilter>;

export const createSegmentBody = z.object({
  name: z.string().trim().min(1).max(200),
  filter: segmentFilter,
});

export const segmentView = z.object({
  id: z.string(),
  name: z.string(),
  filter: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const contactSampleView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  locale: z.string(),
  timeZone: z.string(),
  tags: z.array(z.string()),
  tier: z.string().nullable(),
});

export const segmentPreview = z.object({ count: z.number().int(), sample: z.array(contactSampleView) });

export const segmentIdParams = z.object({ id: z.string().uuid() });

/** An automation's audience to count before it is saved: a saved segment, a filter, or neither (everyone). */
export const audienceCountBody = z
  .object({ segmentId: z.string().uuid().nullish(), filter: segmentFilter.nullish() })
  .refine((body) => !(body.segmentId && body.filter), { path: ['segmentId'], message: 'give segmentId or filter, not both' });
export const audienceCount = z.object({ count: z.number().int() });
