import { z } from 'zod';
import { LIFECYCLES } from '../contacts/lifecycle';

const oneOrMany = <T extends z.ZodTypeAny>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]) as z.output<T>[]);

const tag = z.string().trim().min(1).max(100);

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
  /** Month (1–12) of the stored birthday (the lunar month for lunar birthdays). */
  birthdayMonth: oneOrMany(z.number().int().min(1).max(12)).optional(),
  /** Equality on attribute values (JSON containment). */
  attributes: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  /** Reachable on this channel: has the address, consents, and the address is not suppressed. */
  channel: z.enum(['sms', 'email']).optional(),
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
