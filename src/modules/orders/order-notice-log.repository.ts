import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { OrderNoticeView } from './orders.schemas';

/**
 * The messages of an order's journey, for its page in the console: dedupe key
 * `order:<order>:<notice>:<channel>` (API.md wave 2), each with the reason it ended as it did.
 *
 * Looked up through `messages_contact_idx` (the order's contact) plus a prefix test, not through a
 * `dedupe_key` range on the unique index: that range is a prefix range only under the C collation
 * (under en-US ICU, `'order:x:shipped:sms' < 'order:x;'` is false, so a range would miss rows).
 */
export function createOrderNoticeLogRepository(db: Db) {
  return {
    async noticesOf(order: { id: string; contactId: string }): Promise<OrderNoticeView[]> {
      const prefix = `order:${order.id}:`;
      const { rows } = await db.execute<{
        id: string; dedupe_key: string; channel: string; status: string; scheduled_at: string | Date; error: string | null; last_reason: string | null;
      }>(sql`
        select m.id, m.dedupe_key, m.channel, m.status, m.scheduled_at, m.error,
          (select e.reason from message_events e where e.message_id = m.id and e.reason is not null order by e.id desc limit 1) as last_reason
        from messages m
        where m.contact_id = ${order.contactId} and starts_with(m.dedupe_key, ${prefix})
        order by m.scheduled_at, m.id`);
      return rows.map((row) => ({
        messageId: row.id,
        notice: row.dedupe_key.slice(prefix.length).split(':')[0],
        channel: row.channel,
        status: row.status,
        reason: row.last_reason ?? row.error,
        scheduledAt: new Date(row.scheduled_at).toISOString(),
      }));
    },
  };
}
export type OrderNoticeLogRepository = ReturnType<typeof createOrderNoticeLogRepository>;
