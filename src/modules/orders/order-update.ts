import { ConflictError } from '../../shared/errors';
import type { OrderSnapshot } from './order-change';
import { paidAtFor, statusMove } from './order-status';
import type { OrderRow, OrderUpdate } from './orders.repository';
import type { OrderPatch } from './orders.schemas';

export const toSnapshot = (row: OrderRow): OrderSnapshot => ({
  id: row.id,
  externalId: row.externalId,
  contactId: row.contactId,
  status: row.status as OrderSnapshot['status'],
  amount: row.amount,
  currency: row.currency,
  placedAt: row.placedAt,
  paidAt: row.paidAt,
  trackingNumber: row.trackingNumber,
  carrier: row.carrier,
  departureAt: row.departureAt,
  items: row.items,
  couponCode: row.couponCode,
  attributes: row.attributes,
});

const sameInstant = (a: Date | null, b: string | null) => (a?.getTime() ?? null) === (b === null ? null : new Date(b).getTime());
/** JSON with sorted keys: jsonb stores keys in its own order, so a plain stringify would see changes that aren't. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};
const sameJson = (a: unknown, b: unknown) => canonical(a) === canonical(b);
const toDate = (value: string | null) => (value === null ? null : new Date(value));

/**
 * What an update changes on a stored order: only the fields given and different from the row (a
 * repeated webhook changes nothing, so it adds no history entry and wakes no listener). A status
 * that may not follow the stored one (order-status.ts) refuses the whole update: 409, nothing changed.
 */
export function planUpdate(row: OrderRow, patch: OrderPatch, at: Date): OrderUpdate | undefined {
  const update: OrderUpdate = {};
  if (patch.status !== undefined) {
    const move = statusMove(row.status, patch.status);
    if (move.kind === 'refused') throw new ConflictError(move.reason, [{ field: 'status', message: move.reason }]);
    if (move.kind === 'forward') {
      update.status = patch.status;
      update.statusHistory = [...row.statusHistory, { status: patch.status, at: at.toISOString() }];
    }
  }
  if (patch.amount !== undefined && Number(patch.amount) !== Number(row.amount)) update.amount = patch.amount;
  if (patch.paidAt !== undefined && !sameInstant(row.paidAt, patch.paidAt)) update.paidAt = toDate(patch.paidAt);
  // Became paid without a time given: it was paid now, as far as we know.
  else if (update.status && row.paidAt === null && patch.paidAt === undefined) {
    const paidAt = paidAtFor(update.status, null, null, at);
    if (paidAt) update.paidAt = paidAt;
  }
  if (patch.departureAt !== undefined && !sameInstant(row.departureAt, patch.departureAt)) update.departureAt = toDate(patch.departureAt);
  if (patch.trackingNumber !== undefined && patch.trackingNumber !== row.trackingNumber) update.trackingNumber = patch.trackingNumber;
  if (patch.carrier !== undefined && patch.carrier !== row.carrier) update.carrier = patch.carrier;
  if (patch.couponCode !== undefined && patch.couponCode !== row.couponCode) update.couponCode = patch.couponCode;
  if (patch.items !== undefined && !sameJson(patch.items, row.items)) update.items = patch.items;
  if (patch.attributes !== undefined && !sameJson(patch.attributes, row.attributes)) update.attributes = patch.attributes;
  return Object.keys(update).length === 0 ? undefined : { ...update, updatedAt: at };
}
