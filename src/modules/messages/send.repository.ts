import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, type MessageStatus } from '../../db/schema';
import { setClauses, statusList, toMessageRow, type MessageRow, type TransitionFields } from './message-rows';
import { createBatchedRecentMarketingCount } from './frequency-cap-batch';
import { createSendBatches, type SendBatchOptions } from './send-batches';

export type ContactRow = typeof contacts.$inferSelect;

export interface Transition {
  from: readonly MessageStatus[];
  to: MessageStatus;
  reason: string | null;
  at: Date;
  fields?: TransitionFields;
  /** Counts a send attempt (the claim). */
  countAttempt?: boolean;
}

/**
 * Concurrent sends share one statement for their hot steps: up to 100 at a time, the first waiting
 * at most 2 ms for the others (a few ms of latency buys one commit per batch instead of per message).
 */
const DEFAULT_BATCHING: SendBatchOptions = { maxSize: 100, maxWaitMs: 2 };

/** Status changes are guarded by the expected current status and write their event in the same statement. */
export function createSendRepository(db: Db, batching: SendBatchOptions = DEFAULT_BATCHING) {
  const batches = createSendBatches(db, batching);
  const recentMarketing = createBatchedRecentMarketingCount(db);
  return {
    /** The claim (queued → sending, +1 attempt, event), micro-batched; null when the row was not `queued`. */
    claim: batches.claim,
    /** sending → sent with the text that went out (+ event), micro-batched; false when the row was no longer `sending`. */
    markSent: batches.markSent,

    transition: async (id: string, change: Transition): Promise<MessageRow | null> => {
      const sets = [
        sql`status = ${change.to}`,
        sql`updated_at = ${change.at}`,
        ...setClauses(change.fields ?? {}),
        ...(change.countAttempt ? [sql`attempts = attempts + 1`] : []),
      ];
      const { rows } = await db.execute(sql`
        with changed as (
          update messages set ${sql.join(sets, sql`, `)}
          where id = ${id} and status in (${statusList(change.from)})
          returning *
        ), logged as (
          insert into message_events (message_id, status, reason, at)
          select id, status, ${change.reason}, ${change.at} from changed
        )
        select * from changed`);
      return rows[0] ? toMessageRow(rows[0] as Record<string, unknown>) : null;
    },

    /** Micro-batched: the send-time checks of a batch of claims read their contacts in one query. */
    findContact: batches.findContact,

    /** Marketing messages that went out (or may have) to this contact since `since`, excluding `exceptId` (micro-batched). */
    countRecentMarketing: (contactId: string, since: Date, exceptId: string): Promise<number> => recentMarketing({ contactId, since, exceptId }),
  };
}
export type SendRepository = ReturnType<typeof createSendRepository>;
