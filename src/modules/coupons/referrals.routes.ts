import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReferralsService } from './referrals.service';

const channels = z.array(z.enum(['sms', 'email'])).min(1, 'at least one channel')
  .refine((list) => new Set(list).size === list.length, 'each channel once');

export const referralRewardBody = z.object({
  enabled: z.boolean(),
  channels,
  templateKey: z.string().trim().min(1).max(100).default('referral-reward'),
  tiers: z.array(z.object({ minAmount: z.number().min(0).max(1e10), couponBatchId: z.string().uuid() })).max(20)
    .refine((tiers) => new Set(tiers.map((t) => t.minAmount)).size === tiers.length, 'each minAmount once'),
});

const referralRewardView = referralRewardBody.extend({ key: z.literal('referral-reward'), templateKey: z.string() });

const referralStats = z.object({
  referralCode: z.string(), referredBy: z.string().nullable(), referred: z.number(), rewardsIssued: z.number(),
  rewardsRedeemed: z.number(), rewardsVoided: z.number(), rewardsKeptAfterRefund: z.number(), rewards: z.array(z.unknown()),
});

export function referralsRoutes(referrals: ReferralsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/automations/referral-reward', {
      schema: { tags: ['automations'], response: { 200: referralRewardView } },
    }, async () => referrals.getSettings());

    app.put('/v1/automations/referral-reward', {
      config: { access: 'marketer' },
      schema: { tags: ['automations'], body: referralRewardBody, response: { 200: referralRewardView } },
    }, async (request) => referrals.putSettings(request.body));

    app.get('/v1/contacts/:id/referrals', {
      schema: { tags: ['contacts'], params: z.object({ id: z.string().uuid() }), response: { 200: referralStats } },
    }, async (request) => referrals.stats(request.params.id));
  };
}
