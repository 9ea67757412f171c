import type { OrderStatus } from './order-change';

/** The forward path (API.md wave 2); an order may skip ahead along it but never step back. */
const FORWARD: readonly OrderStatus[] = ['placed', 'paid', 'shipped', 'delivered', 'signed'];
const ENDED: readonly OrderStatus[] = ['cancelled', 'refunded'];

export const ORDER_STATUSES = [...FORWARD, ...ENDED] as [OrderStatus, ...OrderStatus[]];

/** Cancelled and refunded orders don't count: not in the contact's figures, lifecycle or first order. */
export const countsAsOrder = (status: string): boolean => !ENDED.includes(status as OrderStatus);

/** Paid, or past paid along the forward path: an order the shop says was shipped was paid for. */
export const isPaid = (status: string): boolean => FORWARD.indexOf(status as OrderStatus) >= 1;

/**
 * When the order was paid: the time the shop gave, else — for an order that is paid now and had no
 * time yet — the moment we learned it (a paid-triggered thank-you and the figures need one).
 */
export const paidAtFor = (status: string, given: Date | null, stored: Date | null, now: Date): Date | null =>
  given ?? stored ?? (isPaid(status) ? now : null);

export type StatusMove =
  | { kind: 'same' }
  | { kind: 'forward' }
  | { kind: 'refused'; reason: string };

/**
 * Whether an order in `from` may move to `to`. The one place the rule lives:
 * - the same status again is a no-op (a repeated webhook), never a new history entry;
 * - along placed → paid → shipped → delivered → signed only forward, skipping allowed;
 * - cancelled/refunded at any time (a refund after a cancellation, too); nothing else after either,
 *   so a stale `paid` arriving after `cancelled` is refused like any backwards move.
 * A stored status from before the journey (free text) counts as `placed`.
 */
export function statusMove(from: string, to: OrderStatus): StatusMove {
  if (from === to) return { kind: 'same' };
  if (ENDED.includes(to)) return { kind: 'forward' };
  if (ENDED.includes(from as OrderStatus)) return { kind: 'refused', reason: `the order is ${from}; it cannot become ${to}` };
  const rank = Math.max(FORWARD.indexOf(from as OrderStatus), 0);
  if (FORWARD.indexOf(to) > rank) return { kind: 'forward' };
  return { kind: 'refused', reason: `the order is already ${from}; it cannot move back to ${to}` };
}
