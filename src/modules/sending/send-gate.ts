import type { Config } from '../../config';
import type { ContactRow, MessageKind } from '../../db/schema';
import { consentFromContact, type NotAllowedReason } from '../consent/consent-decision';
import type { Clock } from '../../time/clock';
import { nextAllowedInstant, type QuietHours } from '../../time/quiet-hours';
import { noticeOutdatedBy, type OrderNoticeTag } from '../orders/order-notice-rules';
import type { MessageRow } from '../messages/message-rows';
import { COUPONS_EXHAUSTED } from '../coupons/coupon-claim.sql';
import type { ClaimedMessage, SendRepository } from './send.repository';

/** What the send-time checks decided for a claimed message. */
export type GateDecision =
  | { verdict: 'go'; contact: ContactRow; to: string }
  | { verdict: 'expired'; reason: string }
  | { verdict: 'cancelled'; reason: string }
  | { verdict: 'suppressed'; reason: string }
  | { verdict: 'deferred'; until: Date; reason: string };

/**
 * Kinds the frequency cap applies to; birthdays, festival greetings (care messages, API.md "Care
 * journeys"), follow-ups and ops' manual sends are exempt — and `recentMarketing` does not count them.
 */
const CAPPED_KINDS: ReadonlySet<MessageKind> = new Set(['holiday', 'promo']);
const DAY_MS = 24 * 3600 * 1000;
/** How long a paused campaign's message waits before it looks again; resuming needs no other signal. */
export const CAMPAIGN_PAUSE_RECHECK_MS = 60_000;

export interface SendGateDeps {
  repository: Pick<SendRepository, 'isCampaignPaused' | 'isSuppressed' | 'countRecentMarketing' | 'orderStatus'>;
  clock: Clock;
  config: Pick<Config, 'QUIET_HOURS' | 'FREQUENCY_CAP' | 'FREQUENCY_CAP_DAYS' | 'DEFAULT_COUNTRY'>;
  /**
   * Quiet hours and the cap as the shop set them (settings service: read per message through its
   * few-second cache, so a change reaches every worker within that). Without it, the environment's.
   */
  policy?: () => Promise<{ quietHours: QuietHours | null; frequencyCap: { max: number; days: number } }>;
}

function notAllowedText(reason: NotAllowedReason, channel: 'sms' | 'email'): string {
  switch (reason) {
    case 'erased': return 'contact erased';
    case 'no-address': return channel === 'sms' ? 'no valid phone number' : 'no valid e-mail address';
    case 'consent-withdrawn': return `contact opted out of ${channel}`;
    case 'suppressed': return 'address on the suppression list';
  }
}

/**
 * The send-time checks, in the order their verdicts win: expiry, paused campaign, order moved on, contact gone,
 * consent (the contact as this message's claim read it, then its address's listing read now), quiet
 * hours, frequency cap. Checked at send time, not only when the message was created: an opt-out
 * between scheduling and sending must win (DESIGN principle 6). Each read goes through the send
 * repository, which shares one statement among the sends in flight; a read is skipped when an
 * earlier verdict already decided.
 */
export function createSendGate({ repository, clock, config, policy }: SendGateDeps) {
  const envPolicy = { quietHours: config.QUIET_HOURS, frequencyCap: { max: config.FREQUENCY_CAP, days: config.FREQUENCY_CAP_DAYS } };
  return async function check({ message, contact }: ClaimedMessage): Promise<GateDecision> {
    const now = clock.now();
    if (message.expiresAt && message.expiresAt < now) return { verdict: 'expired', reason: `expired at ${message.expiresAt.toISOString()}` };
    // A message of a coupon batch is never sent without its code (issue 17).
    if (message.couponBatchId && !message.couponCode) return { verdict: 'suppressed', reason: COUPONS_EXHAUSTED };
    // A cancelled campaign's messages are already `cancelled`, so the claim never returns them.
    if (message.campaignId && (await repository.isCampaignPaused(message.campaignId))) {
      return { verdict: 'deferred', until: new Date(now.getTime() + CAMPAIGN_PAUSE_RECHECK_MS), reason: 'campaign paused' };
    }
    const outdated = await orderNoticeOutdated(message, repository);
    if (outdated) return { verdict: 'cancelled', reason: outdated };

    if (!contact) return { verdict: 'suppressed', reason: 'contact deleted' };
    const consent = consentFromContact(contact, message.channel, config.DEFAULT_COUNTRY);
    if (!consent.allowed) return { verdict: 'suppressed', reason: notAllowedText(consent.reason, message.channel) };
    const to = consent.address;
    if (await repository.isSuppressed(message.channel, to)) return { verdict: 'suppressed', reason: notAllowedText('suppressed', message.channel) };

    // A campaign's test copy (campaign-test-send.ts) goes now to the one who asked: no quiet hours, no cap.
    if (message.data.test) return { verdict: 'go', contact, to };
    const { quietHours, frequencyCap } = policy ? await policy() : envPolicy;
    const allowedAt = nextAllowedInstant(now, contact.timeZone, quietHours);
    if (allowedAt.getTime() > now.getTime()) {
      return { verdict: 'deferred', until: allowedAt, reason: `quiet hours in ${contact.timeZone}; held until ${allowedAt.toISOString()}` };
    }

    if (CAPPED_KINDS.has(message.kind) && frequencyCap.max > 0) {
      const since = new Date(now.getTime() - frequencyCap.days * DAY_MS);
      const recent = await repository.countRecentMarketing(contact.id, since, message.id);
      if (recent >= frequencyCap.max) return { verdict: 'suppressed', reason: 'frequency cap' };
    }
    return { verdict: 'go', contact, to };
  };
}
export type SendGate = ReturnType<typeof createSendGate>;

/**
 * Why an order notice no longer applies (undefined: it does, or it is no order notice). The order's
 * listener cancels waiting notices in the order's own transaction, but a notice claimed at that very
 * moment, or one whose order changed by a path that has no listener (a bulk fix in SQL), would still
 * go out: a 催付 to someone who has paid is worse than none, so the status is read again here.
 */
async function orderNoticeOutdated(message: MessageRow, repository: Pick<SendRepository, 'orderStatus'>): Promise<string | undefined> {
  const tag = message.kind === 'order' ? (message.data.orderNotice as OrderNoticeTag | undefined) : undefined;
  if (!tag?.orderId || !tag.notice) return undefined;
  const status = await repository.orderStatus(tag.orderId);
  return status === null ? 'order deleted' : noticeOutdatedBy(tag.notice, status);
}
