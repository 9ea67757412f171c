import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, type MessageStatus } from '../../db/schema';
import { setClauses, statusList, toMessageRow, type MessageRow, type TransitionFields } from './message-rows';

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

/** Status changes are guarded by the expected current status and write their event in the same statement. */
export function createSendRepository(db: Db) {
  return {
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

    /** Writes what is about to be sent, so even a crash mid-send leaves a readable log. */
    recordOutgoing: async (id: string, fields: TransitionFields): Promise<void> => {
      const sets = setClauses(fields);
      if (sets.length) await db.execute(sql`update messages set ${sql.join(sets, sql`, `)} where id = ${id}`);
    },

    findContact: async (id: string): Promise<ContactRow | undefined> =>
      (await db.select().from(contacts).where(eq(contacts.id, id)).limit(1))[0],

    /** Marketing messages that went out (or may have) to this contact since `since`, excluding `exceptId`. */
    countRecentMarketing: async (contactId: string, since: Date, exceptId: string): Promise<number> => {
      const { rows } = await db.execute<{ n: string }>(sql`
        select count(*) as n from messages
        where contact_id = ${contactId} and id <> ${exceptId}
          and kind in ('holiday', 'promo')
          and status in ('sending', 'sent', 'delivered', 'undelivered', 'unknown')
          and coalesce(sent_at, updated_at) >= ${since}`);
      return Number(rows[0].n);
    },
  };
}
export type SendRepository = ReturnType<typeof createSendRepository>;
