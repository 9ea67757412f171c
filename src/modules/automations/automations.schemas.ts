import { z } from 'zod';

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (00:00–23:59)');
const channels = z
  .array(z.enum(['sms', 'email']))
  .min(1, 'at least one channel')
  .refine((list) => new Set(list).size === list.length, 'each channel once');
const templateKey = z.string().trim().min(1).max(100);
const days = z.number().int().min(0).max(365);

export const birthdayAutomationBody = z.object({
  enabled: z.boolean(),
  channels,
  templateKey,
  sendAt: timeOfDay,
});

export const firstOrderAutomationBody = z
  .object({
    enabled: z.boolean(), channels, templateKey, delayDays: days, windowEndDays: days, sendAt: timeOfDay,
    trigger: z.enum(['placed', 'paid']).default('placed'),
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

export const birthdayAutomationView = birthdayAutomationBody.extend({ key: z.literal('birthday') });
export const firstOrderAutomationView = z.object({
  key: z.literal('first-order-follow-up'),
  enabled: z.boolean(),
  channels: z.array(z.enum(['sms', 'email'])),
  templateKey: z.string(),
  delayDays: z.number(),
  windowEndDays: z.number(),
  sendAt: z.string(),
  trigger: z.enum(['placed', 'paid']),
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
  items: z.tuple([birthdayAutomationView, firstOrderAutomationView, orderNoticesAutomationView]),
});
