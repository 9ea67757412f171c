import type { OrderSnapshot } from './order-change';
import { countsAsOrder } from './order-status';

/** How one order's change moves its contact's order figures (orderCount, spentTotal, first/last order). */
export interface FiguresDelta {
  /** +1: the order starts counting (created); −1: it stops (cancelled, refunded); 0 otherwise. */
  count: number;
  /** What the order added to spentTotal before and after the change ('0' when it did not count). */
  spentBefore: string;
  spentAfter: string;
  placedAt: Date;
}

/**
 * The figures follow each change incrementally instead of being recomputed from every order of the
 * contact (a shop's best customers have thousands). Undefined when the change moves nothing.
 */
export function figuresDelta(before: OrderSnapshot | null, after: OrderSnapshot): FiguresDelta | undefined {
  const counted = before !== null && countsAsOrder(before.status);
  const counts = countsAsOrder(after.status);
  const spentBefore = counted ? before.amount : '0';
  const spentAfter = counts ? after.amount : '0';
  const count = Number(counts) - Number(counted);
  if (count === 0 && Number(spentBefore) === Number(spentAfter)) return undefined;
  return { count, spentBefore, spentAfter, placedAt: after.placedAt };
}
