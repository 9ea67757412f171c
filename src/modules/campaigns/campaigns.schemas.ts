import { IANAZone } from 'luxon';
import { z } from 'zod';
import { segmentFilter } from '../segments/segments.schemas';

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'not a calendar date');

/** Also the body of `POST /v1/campaigns/estimate`: a draft, checked the same way, estimated and never saved. */
export const createCampaignBody = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['holiday', 'promo']),
  holidayKey: z.string().trim().min(1).max(100).optional(),
  /**
   * An absolute instant: everyone gets it then. At or before now (a client clock running late, a draft
   * scheduled after its time) means "send when scheduled", as API.md says; omitted on a promo: "send now".
   */
  sendAt: z.iso.datetime({ offset: true }).optional(),
  /** A wall-clock time in each recipient's own zone; `date` defaults to the holiday's date. */
  sendLocal: z.object({ date: isoDate.optional(), time: timeOfDay }).optional(),
  segmentId: z.string().uuid().optional(),
  filter: segmentFilter.optional(),
  templateKey: z.string().trim().min(1).max(100),
  channels: z.array(z.enum(['sms', 'email'])).min(1).transform((list) => [...new Set(list)]),
  /** Cron expression (promos only); each occurrence is its own dedupe scope. */
  recurrence: z.string().trim().min(1).max(200).optional(),
  recurrenceTimeZone: z.string().refine((value) => IANAZone.isValidZone(value), 'not an IANA time zone').optional(),
  /** Send on a day not meant for greetings (e.g. qingming) anyway. */
  force: z.boolean().optional(),
  /** Share of recipients held out as a control group (a `suppressed` row, reason `holdout`); 0–50, default 0. */
  holdoutPercent: z.number().min(0).max(50).optional(),
  /** Each message takes one code of this coupon batch (API.md "Coupons and referral rewards"). */
  couponBatchId: z.string().uuid().nullable().optional(),
});
export type CreateCampaignInput = z.output<typeof createCampaignBody>;

export const campaignStats = z.record(z.string(), z.number().int());

export const campaignView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['holiday', 'promo']),
  holidayKey: z.string().nullable(),
  sendAt: z.string().nullable(),
  sendLocal: z.object({ date: z.string().optional(), time: z.string() }).nullable(),
  segmentId: z.string().nullable(),
  filter: z.record(z.string(), z.unknown()).nullable(),
  templateKey: z.string(),
  channels: z.array(z.string()),
  recurrence: z.string().nullable(),
  recurrenceTimeZone: z.string().nullable(),
  force: z.boolean(),
  holdoutPercent: z.number(),
  couponBatchId: z.string().nullable(),
  status: z.enum(CAMPAIGN_STATUSES),
  nextRunAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Messages of this campaign per status (all occurrences). */
  stats: campaignStats.optional(),
});

export const campaignEstimate = z.object({
  recipients: z.number().int(),
  byChannel: z.object({ sms: z.number().int(), email: z.number().int() }),
  /** SMS segments billed in total (segments per message × SMS recipients). */
  smsSegments: z.number().int(),
  smsSegmentsPerMessage: z.number().int(),
  estimatedCost: z.number(),
  /** ISO 4217 code of `estimatedCost` (the shop's settings). */
  currency: z.string(),
  /**
   * Matching contacts left out, each once by its first reason: no address for any chosen channel,
   * opted out, suppressed, held out as the control group (`holdout`, reachable ones only), or held by
   * the frequency cap as of the first send (promo/holiday only).
   * `noPhone` (SMS chosen): contacts without a phone, some of whom may still get the e-mail.
   */
  excluded: z.object({
    noConsent: z.number().int(), suppressed: z.number().int(), noAddress: z.number().int(), frequencyCap: z.number().int(),
    holdout: z.number().int(), noPhone: z.number().int().optional(),
  }).optional(),
  /**
   * Reachable recipients held out (`holdoutPercent`), = `excluded.holdout`: not in `recipients`, `byChannel` or the cost.
   * A draft has no id yet, so its count is the same share by the same rule under a stand-in key; a saved campaign's is exact.
   */
  heldOut: z.number().int(),
  /** Codes the campaign's messages take (0 without a coupon batch), and how many its batch has available now. */
  couponsNeeded: z.number().int(),
  couponsAvailable: z.number().int().optional(),
});

export type CampaignEstimate = z.infer<typeof campaignEstimate>;

/** `PATCH /v1/campaigns/:id` (drafts only): any field of a create, each given one replacing the saved one. */
export const updateCampaignBody = createCampaignBody.partial();

/**
 * `POST /v1/campaigns/:id/test-send`: one test copy to a contact, or to a number/address (a contact
 * with it is used, or one tagged `test-send` is made). `channel` defaults to the address's, else the campaign's first.
 */
export const testSendBody = z.object({
  contactId: z.string().uuid().optional(),
  to: z.string().trim().min(3).max(200).optional(),
  channel: z.enum(['sms', 'email']).optional(),
}).refine((body) => !body.contactId !== !body.to, { message: 'give contactId or to (exactly one)', path: ['contactId'] });

export const testSendView = z.object({ messageId: z.string(), contactId: z.string(), channel: z.enum(['sms', 'email']), test: z.literal(true) });

/** `POST /v1/campaigns/:id/preview { contactId, channel? }`: what that recipient would get. */
export const recipientPreviewBody = z.object({ contactId: z.string().uuid(), channel: z.enum(['sms', 'email']).optional() });
export const recipientPreviewView = z.object({
  channel: z.enum(['sms', 'email']),
  subject: z.string().optional(),
  text: z.string(),
  html: z.string().optional(),
  sms: z.object({ encoding: z.string(), segments: z.number().int(), characters: z.number().int() }).optional(),
});

export const campaignListQuery = z.object({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const campaignIdParams = z.object({ id: z.string().uuid() });
