/** The coupon API's shapes (API.md "Coupons and referral rewards"). */
export interface CouponStats {
  total: number;
  issued: number;
  redeemed: number;
  available: number;
  expired: number;
  voided: number;
  redemptionRate: number;
  revenue: number;
}

export interface CouponBatch {
  id: string;
  name: string;
  value: number;
  currency: string;
  minSpend: number | null;
  validDays: number | null;
  validUntil: string | null;
  createdAt: string;
  stats: CouponStats;
}

export interface CouponBatchDetail extends CouponBatch {
  timeline: { date: string; issued: number; redeemed: number }[];
}

export interface ReferralStats {
  referralCode: string;
  referredBy: string | null;
  referred: number;
  rewardsIssued: number;
  rewardsRedeemed: number;
  rewardsVoided: number;
  rewardsKeptAfterRefund: number;
  rewards: { referredContactId: string; orderAmount: number; couponCode: string | null; status: string; redeemed: boolean | null; at: string }[];
}
