import { sql } from 'drizzle-orm';
import type { Channel } from '../../db/schema';
import type { SqlExecutor } from '../messages/outbox.repository';

/** Statuses in which a follow-up has not gone to a provider yet, so it may still be moved or dropped. */
const PENDING = sql`('scheduled', 'queued')`;

export interface FollowUpMessage {
  id: string;
  dedupeKey: string;
  channel: Channel;
  status: string;
  scheduledAt: Date;
  expiresAt: Date | null;
  data: Record<string, unknown>;
  error: string | null;
}

/**
 * The follow-up's few writes to the outbox table beyond creating rows (which only the outbox
 * does): re-pointing a still-pending thank-you at a back-filled earlier order, expiring it, or
 * cancelling it with its order. All conditional updates (safe against the send worker), all run
 * through the caller's executor: the order's transaction, which holds the contact's lock.
 */
export function createFirstOrderFollowUpRepository() {
  return {
    /**
     * Every thank-you of a contact (`first-order:<contact>:<channel>[:<order>]`). Looked up through
     * `messages_contact_idx` rather than a key range: a range on `dedupe_key` is only a prefix range
     * under the C collation (under en-US ICU, `'first-order:x:sms' < 'first-order:x;'` is false).
     */
    async findForContact(contactId: string, executor: SqlExecutor): Promise<FollowUpMessage[]> {
      const { rows } = await executor.execute<Record<string, unknown>>(sql`
        select id, dedupe_key, channel, status, scheduled_at, expires_at, data, error from messages
        where contact_id = ${contactId} and starts_with(dedupe_key, ${`first-order:${contactId}:`})
        order by created_at, id`);
      return rows.map((row) => ({
        id: String(row.id), dedupeKey: String(row.dedupe_key), channel: row.channel as Channel, status: String(row.status),
        scheduledAt: new Date(row.scheduled_at as string), expiresAt: row.expires_at ? new Date(row.expires_at as string) : null,
        data: row.data as Record<string, unknown>, error: (row.error as string | null) ?? null,
      }));
    },

    /** Moves pending follow-ups that thank for an order placed later than `order.placedAt`. */
    async moveToEarlierOrder(
      ids: string[],
      change: { scheduledAt: Date; expiresAt: Date; order: Record<string, unknown>; placedAt: Date; at: Date },
      executor: SqlExecutor,
    ): Promise<string[]> {
      if (ids.length === 0) return [];
      const { rows } = await executor.execute<{ id: string }>(sql`
        update messages set scheduled_at = ${change.scheduledAt}, expires_at = ${change.expiresAt},
          data = jsonb_set(data, '{order}', ${JSON.stringify(change.order)}::jsonb), updated_at = ${change.at}
        where id in ${inList(ids)} and status in ${PENDING}
          and (data->'order'->>'placedAt')::timestamptz > ${change.placedAt}
        returning id`);
      await insertEvents(executor, rows.map((r) => r.id), 'scheduled', 'moved to the earlier first order', change.at);
      return rows.map((r) => r.id);
    },

    /** Ends pending follow-ups as `status` (expired, cancelled) with the reason logged as their event. */
    async endPending(ids: string[], status: 'expired' | 'cancelled', reason: string, at: Date, executor: SqlExecutor): Promise<string[]> {
      if (ids.length === 0) return [];
      const { rows } = await executor.execute<{ id: string }>(sql`
        update messages set status = ${status}, error = ${reason}, updated_at = ${at}
        where id in ${inList(ids)} and status in ${PENDING}
        returning id`);
      await insertEvents(executor, rows.map((r) => r.id), status, reason, at);
      return rows.map((r) => r.id);
    },
  };
}
export type FirstOrderFollowUpRepository = ReturnType<typeof createFirstOrderFollowUpRepository>;

const inList = (ids: string[]) => sql`(${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`;

async function insertEvents(executor: SqlExecutor, ids: string[], status: string, reason: string, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await executor.execute(sql`
    insert into message_events (message_id, status, reason, at)
    select id, ${status}, ${reason}, ${at}::timestamptz from unnest(${`{${ids.join(',')}}`}::uuid[]) as id`);
}
