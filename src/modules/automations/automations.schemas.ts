import { z } from 'zod';
import { segmentFilter } from '../segments/segments.schemas';

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (00:00–23:59)');
const channels = z
  .array(z.enum(['sms', 'email']))
  .min(1, 'at least one channel')
  .refine((list) => new Set(list).size === list.length, 'each channel once');
const templateKey = z.string().trim().min(1).max(100);
const days = z.number().int().min(0).max(365);
/** Reports' control group (messages/holdout.ts): 0–50 %, default 0. */
const holdoutPercent = z.number().min(0).max(50).optional();

/** Who an automation greets: a saved segment or an inline filter (at most one; neither = everyone). */
const audience = {
  segmentId: z.string().uuid().nullable().optional(),
  filter: segmentFilter.nullable().optional(),
};
/** Each message of the automation takes one code of this coupon batch (API.md "Coupons and referral rewards"). */
const couponBatchId = z.string().uuid().nullable().optional();
const oneAudience = (body: { segmentId?: string | null; filter?: unknown }) => !(body.segmentId && body.filter);
const oneAudienceError = { path: ['segmentId'], message: 'give segmentId or filter, not both' };

export const birthdayAutomationBody = z
  .object({ enabled: z.boolean(), channels, templateKey, sendAt: timeOfDay, holdoutPercent, ...audience, couponBatchId })
  .refine(oneAudience, oneAudienceError);

export const firstOrderAutomationBody = z
  .object({
    enabled: z.boolean(), channels, templateKey, delayDays: days, windowEndDays: days, sendAt: timeOfDay,
    trigger: z.enum(['placed', 'paid']).default('placed'),
    holdoutPercent,
    couponBatchId,
  })
  .refine((body) => body.windowEndDays >= body.delayDays, { path: ['windowEndDays'], message: 'must be at least delayDays' });

const orderNotice = z.object({ enabled: z.boolean(), channels, templateKey });

export const orderNoticesAutomationBody = z.object({
  paymentReminder: orderNotice.extend({ afterMinutes: z.number().int().min(1).max(7 * 24 * 60) }),
  shipped: orderNotice,
  delivered: orderNotice,
  signed: orderNotice,
  tripReminder: orderNotice.extend({ daysBefore: days, sendAt: timeOfDay }),
});

/** Whether each holiday exists and is a greeting day is the service's check (422 naming `holidays`). */
export const festivalAutomationBody = z
  .object({
    enabled: z.boolean(),
    channels,
    templateKey: templateKey.default('festival'),
    holidays: z
      .array(z.string().trim().min(1).max(64))
      .max(50)
      .refine((list) => new Set(list).size === list.length, 'each holiday once'),
    sendAt: timeOfDay,
    holdoutPercent,
    ...audience,
    couponBatchId,
  })
  .refine(oneAudience, oneAudienceError);
export type FestivalAutomationInput = z.output<typeof festivalAutomationBody>;

const audienceView = {
  sendAt: z.string(), segmentId: z.string().nullable(), filter: z.record(z.string(), z.unknown()).nullable(),
  holdoutPercent: z.number(),
  couponBatchId: z.string().nullable().optional(),
};

export const birthdayAutomationView = z.object({
  key: z.literal('birthday'),
  enabled: z.boolean(),
  channels: z.array(z.enum(['sms', 'email'])),
  templateKey: z.string(),
  ...audienceView,
});

export const festivalAutomationView = z.object({
  key: z.literal('festivals'),
  enabled: z.boolean(),
  channels: z.array(z.enum(['sms', 'email'])),
  templateKey: z.string(),
  holidays: z.array(z.string()),
  ...audienceView,
});
export const firstOrderAutomationView = z.object({
  key: z.literal('first-order-follow-up'),
  enabled: z.boolean(),
  channels: z.array(z.enum(['sms', 'email'])),
  templateKey: z.string(),
  delayDays: z.number(),
  windowEndDays: z.number(),
  sendAt: z.string(),
  trigger: z.enum(['placed', 'paid']),
  holdoutPercent: z.number(),
  couponBatchId: z.string().nullable().optional(),
});

const orderNoticeView = z.object({ enabled: z.boolean(), channels: z.array(z.enum(['sms', 'email'])), templateKey: z.string() });
export const orderNoticesAutomationView = z.object({
  key: z.literal('order-notices'),
  paymentReminder: orderNoticeView.extend({ afterMinutes: z.number() }),
  shipped: orderNoticeView,
  delivered: orderNoticeView,
  signed: orderNoticeView,
  tripReminder: orderNoticeView.extend({ daysBefore: z.number(), sendAt: z.string() }),
});

export const automationsList = z.object({
  items: z.tuple([birthdayAutomationView, firstOrderAutomationView, orderNoticesAutomationView, festivalAutomationView]),
});
