import { sql } from 'drizzle-orm';
import { textArray } from '../../db/array-literals';
import type { SqlExecutor } from '../messages/outbox.repository';
import type { NoticeCancel, NoticeContact } from './order-notices.plan';
import { orderNoticePrefix } from './order-notice-rules';

/**
 * The order notices' reads and writes beyond creating messages (which only the outbox does). Every
 * statement runs through the order transaction's `executor`, never the pool: on the embedded
 * database the pool would wait for that very transaction.
 */
export function createOrderNoticesRepository() {
  return {
    async findContact(id: string, executor: SqlExecutor): Promise<NoticeContact | undefined> {
      const { rows } = await executor.execute<{ time_zone: string; phone: string | null; email: string | null; erased_at: string | Date | null }>(
        sql`select time_zone, phone, email, erased_at from contacts where id = ${id}`);
      const row = rows[0];
      return row && { timeZone: row.time_zone, phone: row.phone, email: row.email, erasedAt: row.erased_at ? new Date(row.erased_at) : null };
    },

    /**
     * Cancels the order's notices still waiting (scheduled/queued) for the given notices, each with its
     * reason logged as an event; `keep` are keys that stay (the trip reminder just staged). A guarded
     * update: a notice the send worker has claimed is left alone (the send gate re-checks it). Found
     * through the contact index: an order's notices are among its contact's few messages. A queued
     * notice's BullMQ job stays; its claim finds the row cancelled and skips it.
     */
    async cancelWaiting(order: { id: string; contactId: string }, cancels: NoticeCancel[], keep: string[], at: Date, executor: SqlExecutor): Promise<string[]> {
      if (cancels.length === 0) return [];
      const { rows } = await executor.execute<{ id: string }>(sql`
        with input as (
          select * from jsonb_to_recordset(${JSON.stringify(cancels)}::jsonb) as x(notice text, reason text)
        ), target as (
          select m.id, i.reason from messages m join input i on split_part(m.dedupe_key, ':', 3) = i.notice
          where m.contact_id = ${order.contactId} and m.status in ('scheduled', 'queued')
            and m.dedupe_key like ${`${orderNoticePrefix(order.id)}%`} and m.dedupe_key <> all(${textArray(keep)}::text[])
          for update of m
        ), moved as (
          update messages m set status = 'cancelled', error = target.reason, updated_at = ${at}
          from target where m.id = target.id and m.status in ('scheduled', 'queued')
          returning m.id, target.reason
        ), logged as (
          insert into message_events (message_id, status, reason, at) select id, 'cancelled', reason, ${at} from moved
        )
        select id from moved`);
      return rows.map((row) => row.id);
    },

    /**
     * A departure moved within the same local day keeps its reminder (same key, same send time), but the
     * time it shows must be the new one: the waiting reminders get the new `order.*` and expiry.
     */
    async refreshWaiting(keys: string[], order: Record<string, unknown>, expiresAt: Date | null, at: Date, executor: SqlExecutor): Promise<void> {
      if (keys.length === 0) return;
      await executor.execute(sql`
        update messages set data = jsonb_set(data, '{order}', ${JSON.stringify(order)}::jsonb), expires_at = ${expiresAt}, updated_at = ${at}
        where dedupe_key = any(${textArray(keys)}::text[]) and status in ('scheduled', 'queued')`);
    },
  };
}
export type OrderNoticesRepository = ReturnType<typeof createOrderNoticesRepository>;
