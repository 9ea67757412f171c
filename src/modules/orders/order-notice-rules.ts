import type { Channel } from '../../db/schema';
import type { OrderSnapshot, OrderStatus } from './order-change';

/** The order notices and the trip reminder (API.md "Orders as a journey"). */
export type OrderNotice = 'payment-reminder' | 'shipped' | 'delivered' | 'signed' | 'trip-reminder';
export const ORDER_NOTICES: readonly OrderNotice[] = ['payment-reminder', 'shipped', 'delivered', 'signed', 'trip-reminder'];

/** What a notice's message carries besides `order.*`, so the send gate can ask whether it still applies. */
export interface OrderNoticeTag {
  orderId: string;
  notice: OrderNotice;
}

/** The statuses that have a notice of their own, sent when the order reaches them. */
export const STATUS_NOTICES: Partial<Record<OrderStatus, OrderNotice>> = { shipped: 'shipped', delivered: 'delivered', signed: 'signed' };

/** How far along placed → paid → shipped → delivered → signed an order is. */
const PROGRESS: Record<string, number> = { placed: 0, paid: 1, shipped: 2, delivered: 3, signed: 4 };

/**
 * `order:<order>:<notice>:<channel>`; the trip reminder's also carries the local departure date, so
 * a trip moved to another day gets a reminder of its own (API.md).
 */
export function orderNoticeKey(orderId: string, notice: OrderNotice, channel: Channel, departureDate?: string): string {
  return notice === 'trip-reminder' ? `order:${orderId}:${notice}:${departureDate}:${channel}` : `order:${orderId}:${notice}:${channel}`;
}

/** The prefix every notice key of an order starts with. */
export const orderNoticePrefix = (orderId: string) => `order:${orderId}:`;

/**
 * Why a notice no longer applies to an order now in `status` (undefined: it still does). Shared by
 * the listener (which cancels waiting notices) and the send gate (which re-checks at send time).
 */
export function noticeOutdatedBy(notice: OrderNotice, status: string): string | undefined {
  if (status === 'cancelled' || status === 'refunded') return `order ${status}`;
  if (notice === 'trip-reminder') return undefined;
  if (notice === 'payment-reminder') return status === 'placed' ? undefined : `order ${status} before the reminder went out`;
  // A 发货 notice after 签收 is noise: a notice is only worth sending while it is the latest news.
  const now = PROGRESS[status];
  return now !== undefined && now > PROGRESS[notice] ? `order ${status} before the ${notice} notice went out` : undefined;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The `order.*` template variables of a notice, as of the change that made it. */
export function orderTemplateData(order: OrderSnapshot): Record<string, unknown> {
  return {
    externalId: order.externalId,
    amount: order.amount,
    currency: order.currency,
    status: order.status,
    placedAt: iso(order.placedAt),
    paidAt: iso(order.paidAt),
    trackingNumber: order.trackingNumber,
    carrier: order.carrier,
    departureAt: iso(order.departureAt),
    items: order.items,
    attributes: order.attributes,
  };
}
