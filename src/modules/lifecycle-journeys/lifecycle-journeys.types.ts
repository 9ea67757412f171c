import type { Channel } from '../../db/schema';

/**
 * The classes a journey can follow: the ones whose entry has a date in the contact's figures
 * (`new`: the only order; the others: last order + their threshold). `prospect` and `active` are
 * entered by an order or a cancellation, which leave no date behind, so they are not offered.
 */
export const JOURNEY_CLASSES = ['new', 'cooling', 'lapsing', 'lost', 'gone'] as const;
export type JourneyClass = (typeof JOURNEY_CLASSES)[number];

/** One lifecycle journey (API.md "Care journeys"): one message `afterDays` after entering `class`. */
export interface LifecycleRule {
  key: string;
  enabled: boolean;
  class: JourneyClass;
  afterDays: number;
  channels: Channel[];
  templateKey: string;
  /** Recipient-local HH:MM on the day they qualify; at once if that hour has passed. */
  sendAt: string;
  /** Stored only: coupons are another issue. */
  couponBatchId: string | null;
  /** Share (0–50 %) held out as a control group (messages/holdout.ts, key `lifecycle:<key>`). */
  holdoutPercent?: number;
}

export interface LifecycleJourneys {
  rules: LifecycleRule[];
}

/**
 * The playbook's three (003: 促进二次成交, 关怀信息为主, 大幅度营销节点), all OFF out of the box: they are
 * marketing messages to customers who did not ask for them, and switching them on with an upgrade
 * would greet every contact crossing a boundary that day with texts nobody at the shop has read.
 * The win-back is also meant to carry a coupon, which a marketer has to pick first. (Birthdays are
 * on by default because a greeting on the day is expected; these are not.)
 */
export const DEFAULT_LIFECYCLE_JOURNEYS: LifecycleJourneys = {
  rules: [
    { key: 'second-purchase', enabled: false, class: 'new', afterDays: 30, channels: ['sms'], templateKey: 'second-purchase', sendAt: '10:00', couponBatchId: null },
    { key: 'care', enabled: false, class: 'lapsing', afterDays: 0, channels: ['sms'], templateKey: 'care', sendAt: '10:00', couponBatchId: null },
    { key: 'winback', enabled: false, class: 'lost', afterDays: 0, channels: ['sms'], templateKey: 'winback', sendAt: '10:00', couponBatchId: null },
  ],
};
