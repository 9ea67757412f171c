import { and, desc, eq, getTableColumns, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, orders } from '../../db/schema';

export type OrderRow = typeof orders.$inferSelect & { isFirstOrder: boolean };
export type NewOrderRow = typeof orders.$inferInsert;
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

/**
 * First = earliest `placed_at` of the contact; orders placed at the same instant are told apart by
 * arrival, then id, so exactly one order of a contact is ever first.
 */
// Qualified by hand: drizzle renders a lone table's columns unqualified, which the subquery would capture.
const isFirstOrder = sql<boolean>`not exists (
  select 1 from orders o2
  where o2.contact_id = "orders"."contact_id"
    and (o2.placed_at, o2.created_at, o2.id) < ("orders"."placed_at", "orders"."created_at", "orders"."id")
)`;

const withFirst = { ...getTableColumns(orders), isFirstOrder };

/** Queries that run alike on the pool or inside a transaction. */
function orderQueries(db: Db | Tx) {
  const byOrder = async (where: SQL | undefined): Promise<OrderRow | undefined> =>
    (await db.select(withFirst).from(orders).where(where).limit(1))[0];

  return {
    /** Locks the contact row so concurrent orders of one contact decide "first" one after another. */
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

    async updateStatus(id: string, status: string, at: Date): Promise<void> {
      await db.update(orders).set({ status, updatedAt: at }).where(eq(orders.id, id));
    },

    async setFollowUpPending(id: string, pending: boolean): Promise<void> {
      await db.update(orders).set({ followUpPending: pending }).where(eq(orders.id, id));
    },

    /** Orders whose follow-up was never handed over (the process died), older than `before`. */
    pendingFollowUps: async (before: Date, limit: number): Promise<OrderRow[]> =>
      db.select(withFirst).from(orders)
        .where(and(eq(orders.followUpPending, true), lt(orders.createdAt, before)))
        .orderBy(orders.createdAt).limit(limit),

    /** Recomputed from the orders themselves (not incremented), so a retry can never skew them. */
    async refreshContactOrderStats(contactId: string, at: Date): Promise<void> {
      await db.execute(sql`
        update contacts c set
          order_count = s.n, first_order_at = s.first_at, last_order_at = s.last_at, updated_at = ${at}
        from (select count(*)::int as n, min(placed_at) as first_at, max(placed_at) as last_at
              from orders where contact_id = ${contactId}) s
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
