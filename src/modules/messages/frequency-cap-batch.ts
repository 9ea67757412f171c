import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { createMicroBatcher } from '../../shared/micro-batcher';

export interface RecentMarketingQuery {
  contactId: string;
  since: Date;
  /** The message being checked, which is itself `sending` and must not count. */
  exceptId: string;
}

/**
 * The frequency cap's count — marketing messages that went out (or may have) to a contact since
 * `since` — for a batch of concurrent sends in one statement: every message of a holiday blast asks
 * it, and one indexed count per message was a round trip per send.
 */
export function createBatchedRecentMarketingCount(db: Db, options = { maxSize: 100, maxWaitMs: 0 }) {
  return createMicroBatcher<RecentMarketingQuery, number>({
    ...options,
    run: async (items) => {
      const input = JSON.stringify(items.map((item, ord) => ({ ord, contact_id: item.contactId, since: item.since, except_id: item.exceptId })));
      const { rows } = await db.execute<{ ord: number; n: string }>(sql`
        select i.ord, (
          select count(*) from messages m
          where m.contact_id = i.contact_id and m.id <> i.except_id
            and m.kind in ('holiday', 'promo')
            and m.status in ('sending', 'sent', 'delivered', 'undelivered', 'unknown')
            and coalesce(m.sent_at, m.updated_at) >= i.since
        ) as n
        from jsonb_to_recordset(${input}::jsonb) as i(ord int, contact_id uuid, since timestamptz, except_id uuid)`);
      const counts = new Map(rows.map((row) => [Number(row.ord), Number(row.n)]));
      return items.map((_, ord) => counts.get(ord) ?? 0);
    },
  });
}
