import { ConflictError, DomainError, NotFoundError } from '../../shared/errors';
import type { Clock } from '../../time/clock';
import type { AutomationsRepository } from '../automations/automations.repository';
import type { FirstOrderAutomation } from '../automations/automations.types';
import type { FirstOrderFollowUpService } from './first-order-follow-up.service';
import type { OrderChange, OrderChangeListener } from './order-change';
import { figuresDelta } from './order-figures';
import { paidAtFor } from './order-status';
import { planUpdate, toSnapshot } from './order-update';
import type { OrderContact, OrderQueries, OrderRow, OrdersRepository } from './orders.repository';
import type { CreateOrderInput, OrderPatch } from './orders.schemas';

export type OrderWrite =
  /** POST and PUT by external id: created if new, else its changeable fields applied. */
  | { kind: 'upsert'; order: CreateOrderInput }
  | { kind: 'patch'; id: string; patch: OrderPatch };

type AfterCommit = () => Promise<void>;

/**
 * Every write to an order, in one transaction that locks the contact, then the order (always in that
 * order, so writers never deadlock, and a contact's orders change one at a time — which is what makes
 * its first order and figures exact). An accepted change adjusts the contact's figures, settles the
 * first-order thank-you and calls each listener with the transaction's handle; their after-commit
 * work (adding send jobs) runs once committed. A change that changes nothing calls nobody.
 */
export function createOrderWriter(deps: {
  repository: OrdersRepository;
  followUps: FirstOrderFollowUpService;
  automations: AutomationsRepository;
  listeners: OrderChangeListener[];
  clock: Clock;
}) {
  const { repository, followUps, automations, listeners, clock } = deps;

  async function locate(tx: OrderQueries, write: OrderWrite, now: Date): Promise<{ contact: OrderContact; before?: OrderRow; inserted?: OrderRow }> {
    if (write.kind === 'patch') {
      const known = await tx.findById(write.id);
      const contact = known && await tx.lockContact({ id: known.contactId });
      const before = contact && await tx.lockOrder({ id: write.id });
      if (!contact || !before) throw new NotFoundError('order', write.id);
      return { contact, before };
    }
    const input = write.order;
    const contact = await tx.lockContact({ id: input.contactId, externalId: input.contactExternalId });
    if (!contact) throw contactNotFound(input);
    const status = input.status ?? 'placed';
    const inserted = await tx.insertIfAbsent({
      externalId: input.externalId, contactId: contact.id, amount: input.amount, currency: input.currency,
      placedAt: new Date(input.placedAt), status, paidAt: paidAtFor(status, input.paidAt ? new Date(input.paidAt) : null, null, now),
      trackingNumber: input.trackingNumber ?? null, carrier: input.carrier ?? null,
      departureAt: input.departureAt ? new Date(input.departureAt) : null, items: input.items ?? [],
      couponCode: input.couponCode ?? null, attributes: input.attributes ?? {},
      statusHistory: [{ status, at: now.toISOString() }], createdAt: now, updatedAt: now,
    });
    const row = (await tx.lockOrder({ externalId: input.externalId }))!;
    if (inserted) return { contact, inserted: row };
    if (row.contactId !== contact.id) {
      throw new ConflictError('an order with this externalId belongs to another contact', [{ field: 'externalId', message: 'already used' }]);
    }
    return { contact, before: row };
  }

  /** Inside the transaction, once the order row holds `change.after`. */
  async function react(tx: OrderQueries, change: OrderChange, contact: OrderContact, settings: FirstOrderAutomation): Promise<AfterCommit[]> {
    const delta = figuresDelta(change.before, change.after);
    if (delta) await tx.adjustContactFigures(contact.id, delta, change.at);
    const afterCommit: AfterCommit[] = [];
    if (!change.before || change.before.status !== change.after.status) {
      const first = await tx.firstOrderOf(contact.id);
      const staged = await followUps.onOrderChange({ change, contact, first: first && toSnapshot(first), settings, executor: tx.executor });
      if (staged) afterCommit.push(staged);
    }
    for (const listener of listeners) {
      const then = await listener(change, tx.executor);
      if (then) afterCommit.push(then);
    }
    return afterCommit;
  }

  return {
    async write(write: OrderWrite): Promise<{ row: OrderRow; created: boolean }> {
      // Read before the transaction: on the single embedded connection a read through the pool
      // inside it would wait for the transaction itself.
      const settings = await automations.get('first-order-follow-up');
      const now = clock.now();
      const outcome = await repository.transaction(async (tx) => {
        const { contact, before, inserted } = await locate(tx, write, now);
        let after = inserted;
        if (before) {
          const update = planUpdate(before, write.kind === 'patch' ? write.patch : changesOf(write.order), now);
          if (!update) return { row: before, created: false, afterCommit: [] };
          await tx.update(before.id, update);
          after = (await tx.findById(before.id))!;
        }
        const change: OrderChange = { before: before ? toSnapshot(before) : null, after: toSnapshot(after!), at: now };
        return { row: after!, created: !before, afterCommit: await react(tx, change, contact, settings) };
      });
      for (const then of outcome.afterCommit) await then();
      return { row: outcome.row, created: outcome.created };
    },

    /** Settles the thank-you of an order left marked by a version before the journey (no field changes). */
    async settleFollowUp(row: OrderRow): Promise<void> {
      const settings = await automations.get('first-order-follow-up');
      const afterCommit = await repository.transaction(async (tx) => {
        const contact = await tx.lockContact({ id: row.contactId });
        const order = contact && await tx.lockOrder({ id: row.id });
        if (!contact || !order) return [];
        const snapshot = toSnapshot(order);
        const first = await tx.firstOrderOf(contact.id);
        const change: OrderChange = { before: null, after: snapshot, at: clock.now() };
        const staged = await followUps.onOrderChange({ change, contact, first: first && toSnapshot(first), settings, executor: tx.executor });
        await tx.setFollowUpPending(row.id, false);
        return staged ? [staged] : [];
      });
      for (const then of afterCommit) await then();
    },
  };
}

/** The changeable fields of a full order body (placedAt and currency are fixed once created). */
function changesOf(order: CreateOrderInput): OrderPatch {
  const { status, amount, paidAt, trackingNumber, carrier, departureAt, items, couponCode, attributes } = order;
  return { status, amount, paidAt, trackingNumber, carrier, departureAt, items, couponCode, attributes };
}

function contactNotFound(input: CreateOrderInput): DomainError {
  const field = input.contactId ? 'contactId' : 'contactExternalId';
  const value = input.contactId ?? input.contactExternalId;
  return new DomainError('not_found', `contact ${value} not found`, [{ field, message: 'no such contact' }]);
}
