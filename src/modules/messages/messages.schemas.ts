import { z } from 'zod';
import { pageQuery } from '../../shared/pagination';

const channel = z.enum(['sms', 'email']);
const kind = z.enum(['birthday', 'first-order', 'holiday', 'promo', 'manual', 'order', 'festival', 'survey', 'referral']);
const status = z.enum(['scheduled', 'queued', 'sending', 'sent', 'delivered', 'failed', 'undelivered', 'suppressed', 'cancelled', 'expired', 'unknown']);

export const createMessageBody = z.object({
  contactId: z.string().uuid(),
  channel,
  templateKey: z.string().trim().min(1).max(200).optional(),
  body: z.string().min(1).max(20000).optional().describe('inline Handlebars body, instead of a templateKey'),
  subject: z.string().max(500).optional().describe('e-mail subject for an inline body'),
  data: z.record(z.string(), z.unknown()).optional(),
  sendAt: z.coerce.date().optional().describe('ISO instant; default now'),
});

export const listMessagesQuery = pageQuery.extend({
  contactId: z.string().uuid().optional(),
  campaignId: z.string().uuid().optional(),
  status: status.optional(),
  kind: kind.optional(),
  channel: channel.optional(),
  from: z.coerce.date().optional().describe('created at or after (ISO instant)'),
  to: z.coerce.date().optional().describe('created before (ISO instant)'),
});

export const messageView = z.object({
  id: z.string(),
  contactId: z.string(),
  channel,
  kind,
  status,
  scheduledAt: z.string(),
  sentAt: z.string().nullable(),
  to: z.string().nullable(),
  subject: z.string().optional(),
  body: z.string().nullable(),
  provider: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  error: z.string().optional(),
  campaignId: z.string().optional(),
  resendOf: z.string().optional(),
  /** The contact's and campaign's names, for people reading the log. */
  contactName: z.string().nullable().optional(),
  campaignName: z.string().nullable().optional(),
  couponCode: z.string().optional(),
});

export const messageWithEvents = messageView.extend({
  events: z.array(z.object({ status: z.string(), at: z.string(), reason: z.string().nullable() })),
});

export const messagePage = z.object({ items: z.array(messageView), nextCursor: z.string().nullable() });

export const messageIdParams = z.object({ id: z.string().uuid() });
