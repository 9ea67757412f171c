import { sql } from 'drizzle-orm';
import { smsPricePerSegment, type Config } from '../../config';
import { contacts } from '../../db/schema';
import { DomainError, UnprocessableError } from '../../shared/errors';
import type { Clock } from '../../time/clock';
import type { RenderMessageInput } from '../templates/template-rendering';
import { smsStats } from '../templates/render/sms-counter';
import type { SegmentsRepository } from '../segments/segments.repository';
import type { SegmentsService } from '../segments/segments.service';
import { campaignData, type HolidayLookup } from './campaign-messages';
import { firstOccurrence, holidayOfOccurrence } from './campaign-rules';
import { heldOutSql } from '../messages/holdout';
import { campaignHoldout } from './campaign-chunks';
import type { CampaignExclusionsRepository } from './campaign-exclusions.repository';
import type { CampaignRow } from './campaigns.repository';

/** Messages rendered to measure SMS length; long templates vary with names, so average a few. */
const SMS_SAMPLE = 20;

export interface EstimateDeps {
  segments: SegmentsService;
  segmentsRepository: SegmentsRepository;
  holidays: HolidayLookup;
  render(input: RenderMessageInput): Promise<{ text: string }>;
  clock: Clock;
  config: Pick<Config, 'SMS_PRICES' | 'SMS_PROVIDER' | 'EMAIL_PRICE' | 'DEFAULT_TIMEZONE'>;
  /** Who is left out and why, and the reach net of the control group and the cap. */
  exclusions: CampaignExclusionsRepository;
  /** Prices and currency from the shop's settings (settings.service `prices`, the one price lookup). */
  prices?: () => Promise<{ smsPerSegment: number; email: number; currency: string }>;
  /** The frequency cap as the send gate applies it. */
  frequencyCap?: () => Promise<{ max: number; days: number }>;
  /** Codes available in a coupon batch now. */
  couponsAvailable?(batchId: string): Promise<number>;
}

const CAPPED_KINDS = new Set(['holiday', 'promo']);
const DAY_MS = 86_400_000;

/**
 * What the estimate reads of a campaign: a saved row, or a draft that was checked like a create
 * but never inserted (`nextRunAt` null until scheduled).
 */
export type EstimatedCampaign = Pick<CampaignRow,
  'name' | 'kind' | 'holidayKey' | 'sendAt' | 'sendLocal' | 'segmentId' | 'filter' | 'templateKey' | 'channels' | 'recurrence' | 'recurrenceTimeZone' | 'nextRunAt'>
  & Partial<Pick<CampaignRow, 'id' | 'couponBatchId' | 'holdoutPercent'>>;

/**
 * A draft has no id yet, and the id is what picks its control group (`campaign:<id>`). Its estimate
 * holds out by the same rule under this stand-in key: a sample of the same share, not the very
 * contacts; a saved campaign's estimate (`POST /v1/campaigns/:id/estimate`) names exactly those the
 * fan-out will hold out.
 */
const DRAFT_STAND_IN_ID = '00000000-0000-0000-0000-000000000000';

const roundMoney = (value: number) => Math.round(value * 10_000) / 10_000;

/** Recipients per channel, SMS segments and cost, by rendering the template for sample recipients. */
export function createCampaignEstimator(deps: EstimateDeps) {
  const { segments, segmentsRepository, holidays, clock, config } = deps;

  async function renderSegments(campaign: EstimatedCampaign, where: Parameters<SegmentsRepository['reachableRows']>[0]): Promise<number[]> {
    const rows = await segmentsRepository.reachableRows(where, 'sms', SMS_SAMPLE);
    if (!rows.length) return [];
    const now = clock.now();
    const occurrence = campaign.nextRunAt ?? firstOccurrence(campaign, now, config.DEFAULT_TIMEZONE);
    const holiday = await holidayOfOccurrence(holidays, campaign, occurrence, config.DEFAULT_TIMEZONE);
    return Promise.all(rows.map(async (contact) => {
      try {
        const rendered = await deps.render({
          templateKey: campaign.templateKey, channel: 'sms', kind: campaign.kind, contact,
          data: campaignData({ campaign, holiday }, contact.locale),
        });
        return smsStats(rendered.text).segments;
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'not_found') {
          throw new UnprocessableError(`no sms template ${campaign.templateKey}`, [{ field: 'templateKey', message: 'no such sms template' }]);
        }
        throw error;
      }
    }));
  }

  /** The cap as of the first send: messages sent within `days` before it would hold a contact then. */
  async function capAt(campaign: EstimatedCampaign): Promise<{ max: number; since: Date } | null> {
    if (!deps.frequencyCap || !CAPPED_KINDS.has(campaign.kind)) return null;
    const cap = await deps.frequencyCap();
    if (cap.max <= 0) return null;
    const now = clock.now();
    const first = campaign.nextRunAt ?? firstOccurrence(campaign, now, config.DEFAULT_TIMEZONE);
    const at = first.getTime() > now.getTime() ? first : now;
    return { max: cap.max, since: new Date(at.getTime() - cap.days * DAY_MS) };
  }

  return async function estimate(campaign: EstimatedCampaign) {
    const where = segments.compile(await segments.audienceOf(campaign));
    const channels = campaign.channels as ('sms' | 'email')[];
    // The fan-out's own holdout test (campaign-chunks), so the estimate leaves out whom the send will.
    const held = heldOutSql(campaignHoldout({ id: campaign.id ?? DRAFT_STAND_IN_ID, holdoutPercent: campaign.holdoutPercent }), sql`${contacts.id}`);
    const { reach, ...excluded } = await deps.exclusions.count(where, channels, await capAt(campaign), held);
    const prices = deps.prices
      ? await deps.prices()
      : { smsPerSegment: smsPricePerSegment(config), email: config.EMAIL_PRICE, currency: 'CNY' };
    const samples = reach.sms > 0 ? await renderSegments(campaign, where) : [];
    const mean = samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : 0;
    const smsSegments = Math.round(mean * reach.sms);
    return {
      recipients: reach.either,
      byChannel: { sms: reach.sms, email: reach.email },
      smsSegments,
      smsSegmentsPerMessage: samples.length ? Math.max(...samples) : 0,
      estimatedCost: roundMoney(smsSegments * prices.smsPerSegment + reach.email * prices.email),
      currency: prices.currency,
      excluded,
      /** The control group (`excluded.holdout`): reachable recipients who get no message; not in `recipients` nor the cost. */
      heldOut: excluded.holdout,
      // One code per message: each channel's message carries its own.
      couponsNeeded: campaign.couponBatchId ? reach.sms + reach.email : 0,
      ...(campaign.couponBatchId && deps.couponsAvailable ? { couponsAvailable: await deps.couponsAvailable(campaign.couponBatchId) } : {}),
    };
  };
}
