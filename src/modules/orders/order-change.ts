import type { SqlExecutor } from '../messages/outbox.repository';

/** API.md wave 2: forward along placed → paid → shipped → delivered → signed; cancelled/refunded at any time. */
export type OrderStatus = 'placed' | 'paid' | 'shipped' | 'delivered' | 'signed' | 'cancelled' | 'refunded';

export interface OrderItem {
  sku?: string;
  name: string;
  quantity: number;
  price?: string;
}

/** An order as the journey sees it: what listeners of an order change read. */
export interface OrderSnapshot {
  id: string;
  externalId: string;
  contactId: string;
  status: OrderStatus;
  amount: string;
  currency: string;
  placedAt: Date;
  paidAt: Date | null;
  trackingNumber: string | null;
  carrier: string | null;
  departureAt: Date | null;
  items: OrderItem[];
  couponCode: string | null;
  attributes: Record<string, unknown>;
}

/** One accepted create or update of an order (`before` null: it was created). */
export interface OrderChange {
  before: OrderSnapshot | null;
  after: OrderSnapshot;
  at: Date;
}

/**
 * Reacts to an order change inside the order's own transaction: its writes go through `executor`
 * (never the pool: on the embedded database that would wait for this very transaction). What must
 * wait for the commit (adding BullMQ jobs) is returned, and the orders service runs it once committed.
 */
export type OrderChangeListener = (change: OrderChange, executor: SqlExecutor) => Promise<(() => Promise<void>) | void>;
