import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { messages } from '../../db/schema';

/** Statuses in which a follow-up has not gone to a provider yet, so it may still be moved or dropped. */
const PENDING = sql`('scheduled', 'queued')`;

export interface FollowUpMessage {
  id: string;
  status: string;
  scheduledAt: Date;
  expiresAt: Date | null;
  data: Record<string, unknown>;
  error: string | null;
}

/**
 * The follow-up's few writes to the outbox table beyond creating rows (which only the outbox
 * does): re-pointing a still-pending thank-you at a back-filled earlier order, or expiring it.
 * Both are conditional updates, so they are safe against the send worker and concurrent orders.
 */
export function createFirstOrderFollowUpRepository(db: Db) {
  return {
    findByDedupeKeys: async (keys: string[]): Promise<FollowUpMessage[]> =>
      keys.length === 0 ? [] : db
        .select({ id: messages.id, status: messages.status, scheduledAt: messages.scheduledAt, expiresAt: messages.expiresAt, data: messages.data, error: messages.error })
        .from(messages).where(inArray(messages.dedupeKey, keys)).orderBy(messages.channel),

    /** Moves pending follow-ups that thank for an order placed later than `order.placedAt`. */
    async moveToEarlierOrder(
      ids: string[],
      change: { scheduledAt: Date; expiresAt: Date; order: Record<string, unknown>; placedAt: Date; at: Date },
    ): Promise<string[]> {
      if (ids.length === 0) return [];
      const { rows } = await db.execute<{ id: string }>(sql`
        update messages set scheduled_at = ${change.scheduledAt}, expires_at = ${change.expiresAt},
          data = jsonb_set(data, '{order}', ${JSON.stringify(change.order)}::jsonb), updated_at = ${change.at}
        where id in ${inList(ids)} and status in ${PENDING}
          and (data->'order'->>'placedAt')::timestamptz > ${change.placedAt}
        returning id`);
      await insertEvents(db, rows.map((r) => r.id), 'scheduled', 'moved to the earlier first order', change.at);
      return rows.map((r) => r.id);
    },

    /** Expires pending follow-ups; with `placedAfter`, only those thanking for a later order. */
    async expirePending(ids: string[], reason: string, at: Date, placedAfter?: Date): Promise<string[]> {
      if (ids.length === 0) return [];
      const later = placedAfter ? sql`and (data->'order'->>'placedAt')::timestamptz > ${placedAfter}` : sql``;
      const { rows } = await db.execute<{ id: string }>(sql`
        update messages set status = 'expired', error = ${reason}, updated_at = ${at}
        where id in ${inList(ids)} and status in ${PENDING} ${later}
        returning id`);
      await insertEvents(db, rows.map((r) => r.id), 'expired', reason, at);
      return rows.map((r) => r.id);
    },
  };
}
export type FirstOrderFollowUpRepository = ReturnType<typeof createFirstOrderFollowUpRepository>;

const inList = (ids: string[]) => sql`(${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`;

async function insertEvents(db: Db, ids: string[], status: string, reason: string, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    insert into message_events (message_id, status, reason, at)
    select id, ${status}, ${reason}, ${at}::timestamptz from unnest(${`{${ids.join(',')}}`}::uuid[]) as id`);
}
