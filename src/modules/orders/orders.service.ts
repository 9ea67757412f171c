import { NotFoundError } from '../../shared/errors';
import { z } from 'zod';
import { cursorTimestamp, cursorUuid, decodeCursor, toPage, type Page } from '../../shared/pagination';
import type { Clock } from '../../time/clock';
import type { AutomationsRepository } from '../automations/automations.repository';
import type { FirstOrderFollowUpService } from './first-order-follow-up.service';
import type { OrderChangeListener } from './order-change';
import type { OrderNoticeLogRepository } from './order-notice-log.repository';
import { createOrderWriter } from './order-writer';
import type { OrderRow, OrdersRepository } from './orders.repository';
import type { CreateOrderInput, ListOrdersQuery, OrderPatch, OrderView } from './orders.schemas';

/** A live request of an older version hands its follow-up over within moments; only older marks are left-overs. */
const RESUME_AFTER_MS = 60_000;
const RESUME_BATCH = 100;
/** Orders list newest first by `(placedAt, id)`. */
const placedAtCursor = z.object({ placedAt: cursorTimestamp, id: cursorUuid });

const iso = (value: Date | null) => value?.toISOString() ?? null;

const toView = (row: OrderRow): OrderView => ({
  id: row.id,
  externalId: row.externalId,
  contactId: row.contactId,
  amount: row.amount,
  currency: row.currency,
  placedAt: row.placedAt.toISOString(),
  status: row.status,
  paidAt: iso(row.paidAt),
  trackingNumber: row.trackingNumber,
  carrier: row.carrier,
  departureAt: iso(row.departureAt),
  items: row.items,
  couponCode: row.couponCode,
  attributes: row.attributes,
  statusHistory: row.statusHistory,
  isFirstOrder: row.isFirstOrder,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * Orders pushed by the shop, as a journey: stored once per external id, moved along their statuses
 * (order-status.ts) by POST, PUT by external id and PATCH, each accepted change written by the
 * order writer with the contact's figures, the first-order thank-you and the change listeners.
 */
export function createOrdersService(deps: {
  repository: OrdersRepository;
  notices: OrderNoticeLogRepository;
  followUps: FirstOrderFollowUpService;
  automations: AutomationsRepository;
  clock: Clock;
  /** Called inside each accepted change's transaction (order notices plug in here). */
  listeners?: OrderChangeListener[];
}) {
  const { repository, notices, followUps, clock } = deps;
  const writer = createOrderWriter({ ...deps, listeners: deps.listeners ?? [] });

  const withFollowUp = async (row: OrderRow): Promise<OrderView> => {
    const view = toView(row);
    const followUp = await followUps.describe(row, repository.executor);
    return followUp ? { ...view, followUp } : view;
  };

  return {
    /** POST /v1/orders and PUT by external id: `created: false` when the external id was known (its changes applied). */
    async record(input: CreateOrderInput): Promise<{ order: OrderView; created: boolean }> {
      const { row, created } = await writer.write({ kind: 'upsert', order: input });
      return { order: await withFollowUp(row), created };
    },

    async patch(id: string, patch: OrderPatch): Promise<OrderView> {
      const { row } = await writer.write({ kind: 'patch', id, patch });
      return withFollowUp(row);
    },

    /**
     * Scheduler tick: settles follow-ups that a version before the journey left marked (it handed
     * them over after the commit and died in between). Orders written now never carry the mark.
     */
    async resumePendingFollowUps(now: Date = clock.now()): Promise<{ resumed: number }> {
      const pending = await repository.pendingFollowUps(new Date(now.getTime() - RESUME_AFTER_MS), RESUME_BATCH);
      for (const row of pending) await writer.settleFollowUp(row);
      return { resumed: pending.length };
    },

    /** One order with its status history, items, thank-you and journey messages (the console's order page). */
    async get(id: string): Promise<OrderView> {
      const row = await repository.findById(id);
      if (!row) throw new NotFoundError('order', id);
      return { ...(await withFollowUp(row)), notices: await notices.noticesOf(row) };
    },

    async list(query: ListOrdersQuery): Promise<Page<OrderView>> {
      const after = decodeCursor(query.cursor, placedAtCursor);
      const rows = await repository.list({ contactId: query.contactId, after, limit: query.limit + 1 });
      return toPage(rows, query.limit, toView, (row) => ({ placedAt: row.placedAt.toISOString(), id: row.id }));
    },
  };
}
export type OrdersService = ReturnType<typeof createOrdersService>;
