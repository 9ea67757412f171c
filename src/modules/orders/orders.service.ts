import { ConflictError, DomainError, NotFoundError } from '../../shared/errors';
import { z } from 'zod';
import { cursorTimestamp, cursorUuid, decodeCursor, toPage, type Page } from '../../shared/pagination';
import type { Clock } from '../../time/clock';
import type { FirstOrderFollowUpService } from './first-order-follow-up.service';
import type { OrderRow, OrdersRepository } from './orders.repository';
import type { CreateOrderInput, ListOrdersQuery, OrderView } from './orders.schemas';

/** A live request hands its follow-up over within moments; only older marks are left-overs. */
const RESUME_AFTER_MS = 60_000;
const RESUME_BATCH = 100;
/** Orders list newest first by `(placedAt, id)`. */
const placedAtCursor = z.object({ placedAt: cursorTimestamp, id: cursorUuid });

const toView = (row: OrderRow): OrderView => ({
  id: row.id,
  externalId: row.externalId,
  contactId: row.contactId,
  amount: row.amount,
  currency: row.currency,
  placedAt: row.placedAt.toISOString(),
  status: row.status,
  isFirstOrder: row.isFirstOrder,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * Orders pushed by the shop: stored once per external id, with the contact's order statistics
 * kept in the same transaction, and the first-order thank-you scheduled when a new order is the
 * contact's earliest.
 */
export function createOrdersService(deps: { repository: OrdersRepository; followUps: FirstOrderFollowUpService; clock: Clock }) {
  const { repository, followUps, clock } = deps;

  const withFollowUp = async (row: OrderRow): Promise<OrderView> => {
    const view = toView(row);
    if (!row.isFirstOrder) return view;
    const followUp = await followUps.describe(row);
    return followUp ? { ...view, followUp } : view;
  };

  return {
    /** `created: false` when the external id was known: only a changed status is applied. */
    async record(input: CreateOrderInput): Promise<{ order: OrderView; created: boolean }> {
      const now = clock.now();
      // Everything inside runs on `tx`; the follow-up (which writes through the outbox's own handle)
      // waits until after the commit, so the single embedded connection never waits for itself.
      const outcome = await repository.transaction(async (tx) => {
        const contact = await tx.lockContact({ id: input.contactId, externalId: input.contactExternalId });
        if (!contact) throw contactNotFound(input);
        const inserted = await tx.insertIfAbsent({
          externalId: input.externalId, contactId: contact.id, amount: input.amount, currency: input.currency,
          placedAt: new Date(input.placedAt), status: input.status ?? 'placed', createdAt: now, updatedAt: now,
        });
        const row = (await tx.findByExternalId(input.externalId))!;
        if (!inserted) {
          if (row.contactId !== contact.id) {
            throw new ConflictError('an order with this externalId belongs to another contact', [{ field: 'externalId', message: 'already used' }]);
          }
          if (input.status && input.status !== row.status) await tx.updateStatus(row.id, input.status, now);
          return { created: false, contact, row: input.status ? { ...row, status: input.status, updatedAt: now } : row };
        }
        await tx.refreshContactOrderStats(contact.id, now);
        if (row.isFirstOrder) await tx.setFollowUpPending(row.id, true);
        return { created: true, contact, row };
      });
      // After commit: the outbox runs on its own connection. Should we die before clearing the
      // mark, `resumePendingFollowUps` finishes the job; dedupe keys make doing it twice harmless.
      if (outcome.created && outcome.row.isFirstOrder) {
        await followUps.onFirstOrder(outcome.row, outcome.contact);
        await repository.setFollowUpPending(outcome.row.id, false);
      }
      return { order: await withFollowUp(outcome.row), created: outcome.created };
    },

    /**
     * Scheduler tick: hands over follow-ups a dead process left behind (orders older than a minute).
     * No transaction: the outbox's dedupe keys make a hand-over done twice (two ticks, or a tick racing
     * a slow request) harmless, and the mark is cleared only after the hand-over, so nothing is lost.
     */
    async resumePendingFollowUps(now: Date = clock.now()): Promise<{ resumed: number }> {
      const pending = await repository.pendingFollowUps(new Date(now.getTime() - RESUME_AFTER_MS), RESUME_BATCH);
      for (const row of pending) {
        const contact = await repository.findContact(row.contactId);
        // Not first any more: a back-filled earlier order has taken over the thank-you.
        if (contact && row.isFirstOrder) await followUps.onFirstOrder(row, contact);
        await repository.setFollowUpPending(row.id, false);
      }
      return { resumed: pending.length };
    },

    async get(id: string): Promise<OrderView> {
      const row = await repository.findById(id);
      if (!row) throw new NotFoundError('order', id);
      return withFollowUp(row);
    },

    async list(query: ListOrdersQuery): Promise<Page<OrderView>> {
      const after = decodeCursor(query.cursor, placedAtCursor);
      const rows = await repository.list({ contactId: query.contactId, after, limit: query.limit + 1 });
      return toPage(rows, query.limit, toView, (row) => ({ placedAt: row.placedAt.toISOString(), id: row.id }));
    },
  };
}
export type OrdersService = ReturnType<typeof createOrdersService>;

function contactNotFound(input: CreateOrderInput): DomainError {
  const field = input.contactId ? 'contactId' : 'contactExternalId';
  const value = input.contactId ?? input.contactExternalId;
  return new DomainError('not_found', `contact ${value} not found`, [{ field, message: 'no such contact' }]);
}
