import type { Channel } from '../../db/schema';

export interface BirthdayAutomation {
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
  /** Recipient-local HH:MM. */
  sendAt: string;
  /** Only contacts of this saved segment (its filter as it is on the day), or of `filter`; neither = everyone. */
  segmentId: string | null;
  filter: Record<string, unknown> | null;
  /** Share (0–50 %) held out as a control group (messages/holdout.ts, key `birthday`). */
  holdoutPercent: number;
  /** Each greeting takes one code of this coupon batch (生日礼券); absent or null: none. */
  couponBatchId?: string | null;
}

export interface FirstOrderAutomation {
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
  delayDays: number;
  windowEndDays: number;
  sendAt: string;
  /** `placed`: the thank-you follows the first order; `paid`: it waits until that order is paid. */
  trigger: 'placed' | 'paid';
  /** Share (0–50 %) held out as a control group (key `first-order-follow-up`). */
  holdoutPercent: number;
  /** Each thank-you takes one code of this coupon batch. */
  couponBatchId?: string | null;
}

/** One order notice (API.md "Orders as a journey"): sent when the order reaches its status. */
export interface OrderNoticeSetting {
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
}

export interface OrderNoticesAutomation {
  /** 催付: `afterMinutes` after `placedAt`, only while the order is still `placed`. */
  paymentReminder: OrderNoticeSetting & { afterMinutes: number };
  shipped: OrderNoticeSetting;
  delivered: OrderNoticeSetting;
  signed: OrderNoticeSetting;
  /** At `sendAt` local time, `daysBefore` days before the local date of `departureAt`. */
  tripReminder: OrderNoticeSetting & { daysBefore: number; sendAt: string };
}

/**
 * The standing festival greetings (API.md "Care journeys"): every year, on each listed holiday's
 * date in each contact's zone, one greeting at `sendAt` local to each matching contact.
 * `segmentId` or `filter` narrows who (none: every contact); both null means everyone.
 */
export interface FestivalAutomation {
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
  /** Holiday keys (`GET /v1/holidays`), each a greeting day. */
  holidays: string[];
  /** Recipient-local HH:MM. */
  sendAt: string;
  segmentId: string | null;
  filter: Record<string, unknown> | null;
  /** Share (0–50 %) held out as a control group (key `festivals`). */
  holdoutPercent: number;
  /** Each greeting takes one code of this coupon batch. */
  couponBatchId?: string | null;
}

/** 滚雪球 (API.md "Coupons and referral rewards"): the referrer's voucher, by the referred contact's first paid order's amount. */
export interface ReferralRewardAutomation {
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
  /** The tier with the highest `minAmount` not above the order's amount gives the voucher. */
  tiers: { minAmount: number; couponBatchId: string }[];
}

export interface AutomationSettings {
  birthday: BirthdayAutomation;
  'first-order-follow-up': FirstOrderAutomation;
  'order-notices': OrderNoticesAutomation;
  festivals: FestivalAutomation;
  'referral-reward': ReferralRewardAutomation;
}

export const DEFAULT_AUTOMATIONS: AutomationSettings = {
  birthday: { enabled: true, channels: ['sms'], templateKey: 'birthday', sendAt: '09:00', segmentId: null, filter: null, holdoutPercent: 0 },
  'first-order-follow-up': { enabled: true, channels: ['sms'], templateKey: 'first-order', delayDays: 7, windowEndDays: 15, sendAt: '10:00', trigger: 'placed', holdoutPercent: 0 },
  // Only the 发货 notice is on out of the box: it is the one customers expect from any shop.
  'order-notices': {
    paymentReminder: { enabled: false, channels: ['sms'], templateKey: 'payment-reminder', afterMinutes: 30 },
    shipped: { enabled: true, channels: ['sms'], templateKey: 'order-shipped' },
    delivered: { enabled: false, channels: ['sms'], templateKey: 'order-delivered' },
    signed: { enabled: false, channels: ['sms'], templateKey: 'order-signed' },
    tripReminder: { enabled: false, channels: ['sms'], templateKey: 'trip-reminder', daysBefore: 1, sendAt: '18:00' },
  },
  // Off until a shop chooses: greeting every customer on its own is a decision, not a default.
  festivals: {
    enabled: false, channels: ['sms'], templateKey: 'festival', holidays: ['spring-festival', 'mid-autumn', 'double-ninth'],
    sendAt: '09:00', segmentId: null, filter: null, holdoutPercent: 0,
  },
  // Off until the shop sets its tiers (each a coupon batch).
  'referral-reward': { enabled: false, channels: ['sms'], templateKey: 'referral-reward', tiers: [] },
};
