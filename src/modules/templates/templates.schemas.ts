import { z } from 'zod';
import { pageQuery } from '../../shared/pagination';

const channel = z.enum(['sms', 'email']);
const kind = z.enum(['birthday', 'first-order', 'holiday', 'promo', 'manual', 'order', 'festival', 'survey', 'referral']);
const templateKey = z.string().trim().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"');
const locale = z.string().trim().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a locale like zh-CN or en');

const gatewayTemplate = z.object({
  templateCode: z.string().trim().max(64).nullish().transform((value) => value || null)
    .describe('the approved template code (Aliyun SMS_…, Tencent TemplateId); placeholder SMS_000000 on defaults'),
  params: z.record(z.string(), z.string().max(2000)).default({}).describe('param name → Handlebars expression, e.g. {"name":"{{contact.name}}"}'),
});

export const createTemplateBody = z.object({
  key: templateKey,
  channel,
  locale,
  variant: z.enum(['female', 'male']).nullish(),
  subject: z.string().max(1000).nullish().describe('e-mail only, required there'),
  body: z.string().max(100_000).describe('SMS text, or the plain-text part of an e-mail (empty: derived from html)'),
  html: z.string().max(500_000).nullish().describe('e-mail only'),
  gateway: gatewayTemplate.nullish().describe('SMS only: what Aliyun/Tencent send instead of the text'),
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
  gateway: z.object({ templateCode: z.string().nullable(), params: z.record(z.string(), z.string()) }).nullable(),
  createdAt: z.string(),
  /** Save-time warnings (e.g. `no_gateway_template` on a template gateway). */
  warnings: z.array(z.string()).optional(),
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
  gateway: z.object({ templateCode: z.string().nullable(), params: z.record(z.string(), z.string()) }).optional()
    .describe('SMS: the template code and params a gateway receives'),
  sms: z.object({ encoding: z.enum(['GSM-7', 'UCS-2']), segments: z.number().int(), characters: z.number().int() }),
});

export const templateIdParams = z.object({ id: z.string().uuid() });

export const templateVariablesView = z.object({
  items: z.array(z.object({ path: z.string(), anySubPath: z.boolean() })),
  helpers: z.array(z.string()),
});
