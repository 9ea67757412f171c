import { z } from 'zod';
import { pageQuery } from '../../shared/pagination';

const channel = z.enum(['sms', 'email']);
const kind = z.enum(['birthday', 'first-order', 'holiday', 'promo', 'manual', 'order', 'festival', 'referral']);
const templateKey = z.string().trim().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"');
const locale = z.string().trim().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a locale like zh-CN or en');

export const createTemplateBody = z.object({
  key: templateKey,
  channel,
  locale,
  variant: z.enum(['female', 'male']).nullish(),
  subject: z.string().max(1000).nullish().describe('e-mail only, required there'),
  body: z.string().max(100_000).describe('SMS text, or the plain-text part of an e-mail (empty: derived from html)'),
  html: z.string().max(500_000).nullish().describe('e-mail only'),
});
export type CreateTemplateInput = z.infer<typeof createTemplateBody>;

export const listTemplatesQuery = pageQuery.extend({
  key: z.string().optional(),
  channel: channel.optional(),
  locale: z.string().optional(),
});

export const templateView = z.object({
  id: z.string(),
  key: z.string(),
  channel,
  locale: z.string(),
  variant: z.string().nullable(),
  version: z.number().int(),
  isCurrent: z.boolean(),
  subject: z.string().nullable(),
  body: z.string(),
  html: z.string().nullable(),
  createdAt: z.string(),
});

export const templatePage = z.object({ items: z.array(templateView), nextCursor: z.string().nullable() });

export const previewBody = z.object({
  body: z.string().max(100_000).optional(),
  templateId: z.string().uuid().optional(),
  templateKey: templateKey.optional().describe('resolved for the contact (or locale) like a real send'),
  subject: z.string().max(1000).optional(),
  html: z.string().max(500_000).optional(),
  channel: channel.optional().describe('required with body'),
  kind: kind.optional().describe('holiday/promo SMS get the signature and opt-out hint'),
  locale: locale.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  contactId: z.string().uuid().optional(),
});
export type PreviewInput = z.infer<typeof previewBody>;

export const previewResult = z.object({
  subject: z.string().optional(),
  text: z.string(),
  html: z.string().optional(),
  sms: z.object({ encoding: z.enum(['GSM-7', 'UCS-2']), segments: z.number().int(), characters: z.number().int() }),
});

export const templateIdParams = z.object({ id: z.string().uuid() });
