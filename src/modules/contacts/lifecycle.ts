import type { Config } from '../../config';

export const LIFECYCLES = ['new', 'active', 'lapsing', 'lost', 'none'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export type LifecycleThresholds = Pick<
  Config,
  'LIFECYCLE_NEW_DAYS' | 'LIFECYCLE_ACTIVE_DAYS' | 'LIFECYCLE_LAPSING_DAYS' | 'LIFECYCLE_LOST_DAYS' | 'LIFECYCLE_GONE_DAYS'
>;

export interface OrderHistory {
  orderCount: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

/**
 * The instants that separate the classes, for `now`. The SQL twin (segments) must use these same
 * bounds so the API's `lifecycle` and a segment filter never disagree:
 *   new     = order_count = 1 and last_order_at >= newSince
 *   active  = order_count > 1 and last_order_at >= activeSince
 *   lapsing = last_order_at <= lapsingBefore and last_order_at > lostBefore
 *   lost    = last_order_at <= lostBefore   and last_order_at > goneBefore
 *   none    = everything else (no orders, a dormant gap, or gone for good)
 * checked in that order ("within N days" includes exactly N days ago).
 */
export function lifecycleBounds(now: Date, thresholds: LifecycleThresholds) {
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  return {
    newSince: daysAgo(thresholds.LIFECYCLE_NEW_DAYS),
    activeSince: daysAgo(thresholds.LIFECYCLE_ACTIVE_DAYS),
    lapsingBefore: daysAgo(thresholds.LIFECYCLE_LAPSING_DAYS),
    lostBefore: daysAgo(thresholds.LIFECYCLE_LOST_DAYS),
    goneBefore: daysAgo(thresholds.LIFECYCLE_GONE_DAYS),
  };
}
export type LifecycleBounds = ReturnType<typeof lifecycleBounds>;

/** The purchase-lifecycle class of a contact (DESIGN.md "Segments"), from its denormalised order columns. */
export function lifecycleOf(history: OrderHistory, now: Date, thresholds: LifecycleThresholds): Lifecycle {
  const last = history.lastOrderAt ?? history.firstOrderAt;
  if (history.orderCount < 1 || !last) return 'none';
  const bounds = lifecycleBounds(now, thresholds);
  const t = last.getTime();
  if (history.orderCount === 1 && t >= bounds.newSince.getTime()) return 'new';
  if (history.orderCount > 1 && t >= bounds.activeSince.getTime()) return 'active';
  if (t <= bounds.lapsingBefore.getTime() && t > bounds.lostBefore.getTime()) return 'lapsing';
  if (t <= bounds.lostBefore.getTime() && t > bounds.goneBefore.getTime()) return 'lost';
  return 'none';
}
