import { z } from 'zod';
import { LIFECYCLE_CLASSES } from '../contacts/lifecycle';
import { JOURNEY_CLASSES } from './lifecycle-journeys.types';

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (00:00–23:59)');
const channels = z
  .array(z.enum(['sms', 'email']))
  .min(1, 'at least one channel')
  .refine((list) => new Set(list).size === list.length, 'each channel once');

const rule = z.object({
  key: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'lower-case letters, digits and dashes (it is part of the dedupe key)'),
  enabled: z.boolean(),
  class: z.enum(JOURNEY_CLASSES, {
    message: `one of ${JOURNEY_CLASSES.join(', ')} (prospect and active are entered by orders, which leave no entry date)`,
  }),
  afterDays: z.number().int().min(0).max(365).default(0),
  channels,
  templateKey: z.string().trim().min(1).max(100),
  sendAt: timeOfDay.default('10:00'),
  /** Each message of the rule takes one code of this coupon batch. */
  couponBatchId: z.string().uuid().nullish().transform((v) => v ?? null),
  /** Reports' control group (messages/holdout.ts): 0–50 %, default 0. */
  holdoutPercent: z.number().min(0).max(50).default(0),
});

export const lifecycleJourneysBody = z.object({
  rules: z.array(rule).max(50).refine((rules) => new Set(rules.map((r) => r.key)).size === rules.length, 'each rule key once'),
});

export const lifecycleJourneysView = z.object({
  key: z.literal('lifecycle'),
  rules: z.array(z.object({
    key: z.string(), enabled: z.boolean(), class: z.enum(JOURNEY_CLASSES), afterDays: z.number(),
    channels: z.array(z.enum(['sms', 'email'])), templateKey: z.string(), sendAt: z.string(), couponBatchId: z.string().nullable(),
    holdoutPercent: z.number().optional(),
  })),
});

export const lifecycleCountsView = z.object({
  /** The instant the classes were taken at (the service clock). */
  asOf: z.string(),
  counts: z.object(Object.fromEntries(LIFECYCLE_CLASSES.map((name) => [name, z.number()])) as Record<(typeof LIFECYCLE_CLASSES)[number], z.ZodNumber>),
});
