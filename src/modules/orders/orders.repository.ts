import { and, desc, eq, getTableColumns, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, orders } from '../../db/schema';
import type { SqlExecutor } from '../messages/outbox.repository';
import type { FiguresDelta } from './order-figures';

export type OrderRow = typeof orders.$inferSelect & { isFirstOrder: boolean };
export type NewOrderRow = typeof orders.$inferInsert;
export type OrderUpdate = Partial<Pick<NewOrderRow,
  'status' | 'amount' | 'paidAt' | 'trackingNumber' | 'carrier' | 'departureAt' | 'items' | 'couponCode' | 'attributes' | 'statusHistory' | 'updatedAt'>>;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The contact fields order handling needs (zone and addresses for the follow-up). */
export interface OrderContact {
  id: string;
  timeZone: string;
  phone: string | null;
  email: string | null;
  erasedAt: Date | null;
}

const contactColumns = {
  id: contacts.id,
  timeZone: contacts.timeZone,
  phone: contacts.phone,
  email: contacts.email,
  erasedAt: contacts.erasedAt,
};

/** Orders that count (not cancelled or refunded): the first order, figures and lifecycle see only these. */
const COUNTS = `status not in ('cancelled', 'refunded')`;

/**
 * First = earliest `placed_at` among the contact's orders that count; orders placed at the same
 * instant are told apart by arrival, then id, so exactly one order of a contact is ever first.
 */
// Qualified by hand: drizzle renders a lone table's columns unqualified, which the subquery would capture.
const isFirstOrder = sql<boolean>`("orders"."status" not in ('cancelled', 'refunded') and not exists (
  select 1 from orders o2
  where o2.contact_id = "orders"."contact_id" and o2.${sql.raw(COUNTS)}
    and (o2.placed_at, o2.created_at, o2.id) < ("orders"."placed_at", "orders"."created_at", "orders"."id")
))`;

const withFirst = { ...getTableColumns(orders), isFirstOrder };

/** Queries that run alike on the pool or inside a transaction. */
function orderQueries(db: Db | Tx) {
  const byOrder = async (where: SQL | undefined): Promise<OrderRow | undefined> =>
    (await db.select(withFirst).from(orders).where(where).limit(1))[0];

  return {
    /** The handle itself, for listeners and the outbox's staged writes inside the transaction. */
    executor: db as SqlExecutor,

    /** Locks the contact row: every write to a contact's orders takes it first, so they run one after another. */
    async lockContact(by: { id?: string; externalId?: string }): Promise<OrderContact | undefined> {
      const where = by.id ? eq(contacts.id, by.id) : eq(contacts.externalId, by.externalId ?? '');
      return (await db.select(contactColumns).from(contacts).where(where).limit(1).for('update'))[0];
    },

    findContact: async (id: string): Promise<OrderContact | undefined> =>
      (await db.select(contactColumns).from(contacts).where(eq(contacts.id, id)).limit(1))[0],

    /** Insert unless the external id is known (a concurrent insert of the same id waits, then yields). */
    insertIfAbsent: async (row: NewOrderRow): Promise<boolean> =>
      (await db.insert(orders).values(row).onConflictDoNothing({ target: orders.externalId }).returning({ id: orders.id })).length > 0,

    findByExternalId: (externalId: string) => byOrder(eq(orders.externalId, externalId)),
    findById: (id: string) => byOrder(eq(orders.id, id)),

    /** The order row, locked (after its contact's: always contact first, so two writers cannot deadlock). */
    lockOrder: async (where: { id: string } | { externalId: string }): Promise<OrderRow | undefined> =>
      (await db.select(withFirst).from(orders)
        .where('id' in where ? eq(orders.id, where.id) : eq(orders.externalId, where.externalId)).limit(1).for('update', { of: orders }))[0],

    /** The contact's first order as it stands now (inside the transaction: after this change). */
    firstOrderOf: async (contactId: string): Promise<OrderRow | undefined> =>
      (await db.select(withFirst).from(orders).where(and(eq(orders.contactId, contactId), sql.raw(`"orders".${COUNTS}`)))
        .orderBy(orders.placedAt, orders.createdAt, orders.id).limit(1))[0],

    async update(id: string, change: OrderUpdate): Promise<void> {
      await db.update(orders).set(change).where(eq(orders.id, id));
    },

    async setFollowUpPending(id: string, pending: boolean): Promise<void> {
      await db.update(orders).set({ followUpPending: pending }).where(eq(orders.id, id));
    },

    /** Orders whose follow-up a version before the journey never handed over (the process died), older than `before`. */
    pendingFollowUps: async (before: Date, limit: number): Promise<OrderRow[]> =>
      db.select(withFirst).from(orders)
        .where(and(eq(orders.followUpPending, true), lt(orders.createdAt, before)))
        .orderBy(orders.createdAt).limit(limit),

    /**
     * Adjusts the contact's order figures by one order's change, incrementally (see order-figures.ts).
     * Only an order that stops counting while it held the first or last instant needs a look at the
     * contact's other orders: the next min/max is unknowable otherwise. That is one probe of
     * `orders_contact_placed_idx`, run after the order row changed, so it sees the new state.
     */
    async adjustContactFigures(contactId: string, delta: FiguresDelta, at: Date): Promise<void> {
      const { count, spentBefore, spentAfter, placedAt } = delta;
      const recompute = (fn: 'min' | 'max') => sql.raw(`(select ${fn}(placed_at) from orders where contact_id = c.id and ${COUNTS})`);
      await db.execute(sql`
        update contacts c set
          order_count = c.order_count + ${count},
          spent_total = c.spent_total - ${spentBefore}::numeric + ${spentAfter}::numeric,
          first_order_at = case when ${count} > 0 then least(c.first_order_at, ${placedAt}::timestamptz)
            when ${count} < 0 and c.first_order_at >= ${placedAt}::timestamptz then ${recompute('min')} else c.first_order_at end,
          last_order_at = case when ${count} > 0 then greatest(c.last_order_at, ${placedAt}::timestamptz)
            when ${count} < 0 and c.last_order_at <= ${placedAt}::timestamptz then ${recompute('max')} else c.last_order_at end,
          updated_at = ${at}
        where c.id = ${contactId}`);
    },

    /** Newest first by `placedAt`, keyset on (placedAt, id). */
    async list(filter: { contactId?: string; after?: { placedAt: string; id: string }; limit: number }): Promise<OrderRow[]> {
      const conditions: (SQL | undefined)[] = [];
      if (filter.contactId) conditions.push(eq(orders.contactId, filter.contactId));
      if (filter.after) {
        const placedAt = new Date(filter.after.placedAt);
        conditions.push(or(lt(orders.placedAt, placedAt), and(eq(orders.placedAt, placedAt), lt(orders.id, filter.after.id))));
      }
      return db.select(withFirst).from(orders).where(and(...conditions))
        .orderBy(desc(orders.placedAt), desc(orders.id)).limit(filter.limit);
    },
  };
}
export type OrderQueries = ReturnType<typeof orderQueries>;

export function createOrdersRepository(db: Db) {
  return {
    ...orderQueries(db),
    /** `work` gets queries bound to the transaction: everything inside must use them, never this repository. */
    transaction: <T>(work: (tx: OrderQueries) => Promise<T>): Promise<T> => db.transaction((tx) => work(orderQueries(tx))),
  };
}
export type OrdersRepository = ReturnType<typeof createOrdersRepository>;
