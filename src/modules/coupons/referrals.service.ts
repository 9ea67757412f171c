import { NotFoundError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { Clock } from '../../time/clock';
import type { AutomationsRepository } from '../automations/automations.repository';
import type { ReferralRewardAutomation } from '../automations/automations.types';
import type { SqlExecutor } from '../messages/outbox.repository';
import type { NewMessage, OutboxResult } from '../messages/outbox.types';
import type { OrderChange, OrderChangeListener } from '../orders/order-change';
import { isPaid } from '../orders/order-status';
import type { CouponsService } from './coupons.service';
import type { ReferralsRepository } from './referrals.repository';

interface StagingOutbox {
  stage(list: NewMessage[], executor: SqlExecutor): Promise<OutboxResult & { enqueue(): Promise<void> }>;
}

const ENDED = new Set(['cancelled', 'refunded']);

/** The tier for `amount`: the highest `minAmount` not above it (none: no reward). */
export function tierFor(tiers: ReferralRewardAutomation['tiers'], amount: number) {
  return [...tiers].sort((a, b) => b.minAmount - a.minAmount).find((tier) => amount >= tier.minAmount);
}

/**
 * 滚雪球: who referred whom, the referrer's reward on the referred contact's first paid order (a
 * voucher from the tier the order's amount reaches, with a thank-you), voided if that order is
 * cancelled or refunded before the voucher is redeemed. Also redeems an order's `couponCode`.
 * Everything runs in the order's own transaction (an order-change listener).
 */
export function createReferralsService(deps: {
  repository: ReferralsRepository;
  automations: Pick<AutomationsRepository, 'get' | 'put'>;
  coupons: Pick<CouponsService, 'redeem' | 'assertBatch' | 'voidCode'>;
  outbox: StagingOutbox;
  clock: Clock;
  logger: Logger;
}) {
  const { repository, automations, coupons, outbox, clock, logger } = deps;

  async function reward(change: OrderChange, executor: SqlExecutor): Promise<(() => Promise<void>) | undefined> {
    const { after } = change;
    const settings = await automations.get('referral-reward', executor);
    if (!settings.enabled || !settings.tiers.length) return undefined;
    const referred = await repository.findContact(after.contactId, executor);
    if (!referred?.referredBy) return undefined;
    const paidAt = after.paidAt ?? change.at;
    if (await repository.hadEarlierPaidOrder(referred.id, after.id, paidAt, executor)) return undefined;
    const tier = tierFor(settings.tiers, Number(after.amount));
    if (!tier) return undefined;
    const now = clock.now();
    const rewardId = await repository.insertReward({ referredId: referred.id, referrerId: referred.referredBy, orderId: after.id, amount: after.amount }, now, executor);
    if (!rewardId) return undefined; // one reward per referred contact
    const referrer = await repository.findContact(referred.referredBy, executor);
    const voucher = referrer && !referrer.erasedAt ? await repository.takeVoucher(tier.couponBatchId, referrer.id, now, executor) : null;
    if (!referrer || !voucher) {
      const note = !referrer ? 'referrer gone' : `coupon batch ${tier.couponBatchId} has no code left`;
      await repository.setReward(rewardId, { status: 'no-coupon', note }, now, executor);
      logger.warn({ rewardId, referredContactId: referred.id, note }, 'referral reward not issued');
      return undefined;
    }
    const messages: NewMessage[] = settings.channels
      .filter((channel) => (channel === 'sms' ? referrer.phone : referrer.email))
      .map((channel) => ({
        dedupeKey: `referral-reward:${referred.id}:${channel}`, contactId: referrer.id, channel, kind: 'referral', scheduledAt: now,
        templateKey: settings.templateKey, couponBatchId: tier.couponBatchId, couponCode: voucher.code,
        data: { coupon: voucher, referral: { name: referred.name, orderAmount: after.amount, currency: after.currency } },
      }));
    const staged = messages.length ? await outbox.stage(messages, executor) : undefined;
    await repository.setReward(rewardId, { status: 'issued', couponCode: voucher.code, messageIds: staged?.created ?? [] }, now, executor);
    return staged?.enqueue;
  }

  /** The rewarding order was cancelled or refunded: void the voucher unless it was redeemed (then report it). */
  async function voidRewards(change: OrderChange, executor: SqlExecutor) {
    const now = clock.now();
    for (const found of await repository.rewardsOfOrder(change.after.id, executor)) {
      if (!found.couponCode) continue;
      const voided = await coupons.voidCode(found.couponCode, `order ${change.after.externalId} ${change.after.status}`, executor);
      if (voided) {
        await repository.setReward(found.id, { status: 'voided', note: `order ${change.after.status}` }, now, executor);
      } else {
        const note = `order ${change.after.externalId} ${change.after.status} after the voucher ${found.couponCode} was redeemed`;
        await repository.setReward(found.id, { status: 'kept-redeemed', note }, now, executor);
        logger.warn({ rewardId: found.id, couponCode: found.couponCode, orderId: change.after.id }, `referral reward: ${note}`);
      }
    }
  }

  const onOrderChange: OrderChangeListener = async (change, executor) => {
    const { before, after } = change;
    // `couponCode` on an order redeems a Carebeat code (409 used, 422 expired/voided/minSpend refuse the
    // order write, like POST /v1/coupons/:code/redeem). A code Carebeat never issued (the shop's own
    // promotion) is only stored, as before coupons existed: orders must not bounce on it.
    if (after.couponCode && after.couponCode !== before?.couponCode) {
      await coupons.redeem(after.couponCode, { orderExternalId: after.externalId }, executor).catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
      });
    }
    if (ENDED.has(after.status) && before && !ENDED.has(before.status)) {
      await voidRewards(change, executor);
      return undefined;
    }
    if (isPaid(after.status) && !(before && isPaid(before.status))) return reward(change, executor);
    return undefined;
  };

  return {
    onOrderChange,

    async stats(contactId: string) {
      const row = await repository.statsOf(contactId);
      if (!row) throw new NotFoundError('contact', contactId);
      return {
        referralCode: row.referral_code as string, referredBy: (row.referred_by as string | null) ?? null,
        referred: row.referred as number, rewardsIssued: row.rewards_issued as number, rewardsRedeemed: row.rewards_redeemed as number,
        rewardsVoided: row.rewards_voided as number, rewardsKeptAfterRefund: row.rewards_kept_after_refund as number,
        rewards: row.rewards as unknown[],
      };
    },

    getSettings: async () => ({ key: 'referral-reward' as const, ...(await automations.get('referral-reward')) }),

    async putSettings(input: ReferralRewardAutomation) {
      for (const [index, tier] of input.tiers.entries()) await coupons.assertBatch(tier.couponBatchId, `tiers.${index}.couponBatchId`);
      await automations.put('referral-reward', { enabled: input.enabled, channels: input.channels, templateKey: input.templateKey, tiers: input.tiers });
      return this.getSettings();
    },
  };
}
export type ReferralsService = ReturnType<typeof createReferralsService>;
