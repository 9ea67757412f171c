import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { ConsentChannel } from '../consent/consent.repository';
import { createMicroBatcher } from '../../shared/micro-batcher';

/**
 * `isSuppressed` for the send path, micro-batched: a batch of claimed messages checks its
 * addresses against the suppression list in one query, still at send time (a few ms after the
 * claim), never from a cache — an opt-out must win over a queued message (DESIGN principle 6).
 * Same answer as the consent repository's one-address query; wired in its place by the container.
 */
export function createBatchedSuppressionCheck(db: Db, options = { maxSize: 100, maxWaitMs: 2 }) {
  const check = createMicroBatcher<{ channel: ConsentChannel; address: string }, boolean>({
    ...options,
    run: async (items) => {
      const input = JSON.stringify(items);
      const { rows } = await db.execute<{ channel: string; address: string }>(sql`
        select s.channel, s.address from suppressions s
        join jsonb_to_recordset(${input}::jsonb) as x(channel text, address text)
          on s.channel = x.channel and s.address = x.address`);
      const found = new Set(rows.map((row) => `${row.channel}\u0000${row.address}`));
      return items.map((item) => found.has(`${item.channel}\u0000${item.address}`));
    },
  });
  return (channel: ConsentChannel, address: string): Promise<boolean> => check({ channel, address });
}
