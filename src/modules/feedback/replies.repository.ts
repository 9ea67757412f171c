import { and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, replies, tickets } from '../../db/schema';

export type ReplyRow = typeof replies.$inferSelect;
export type NewReply = typeof replies.$inferInsert;

export type ReplyStatusFilter = 'open' | 'overdue' | 'resolved' | 'none';

export interface ReplyListQuery {
  contactId?: string;
  status?: ReplyStatusFilter;
  now: Date;
  after?: { receivedAt: string; id: string };
  limit: number;
}

/** Inbound SMS: who wrote (from our own outbound log) and the stored replies. */
export function createRepliesRepository(db: Db) {
  return {
    /**
     * The message we last sent to this number and its contact: several contacts may share a number
     * (a family phone), and the reply answers whatever reached it last. Read through the contacts
     * holding the number (indexed) and their messages (by contact), never a scan of all messages.
     */
    async lastSentTo(phone: string): Promise<{ messageId: string; contactId: string } | undefined> {
      const { rows } = await db.execute<{ id: string; contact_id: string }>(sql`
        select m.id, m.contact_id from messages m
        where m.contact_id in (select c.id from contacts c where c.phone = ${phone} and c.erased_at is null)
          and m.channel = 'sms' and m.to_address = ${phone} and m.sent_at is not null
        order by m.sent_at desc, m.id desc limit 1`);
      return rows[0] ? { messageId: rows[0].id, contactId: rows[0].contact_id } : undefined;
    },

    /** A contact holding the number when none was ever messaged there (the most recently changed one). */
    async contactWithPhone(phone: string): Promise<string | undefined> {
      return (await db.select({ id: contacts.id }).from(contacts)
        .where(and(eq(contacts.phone, phone), isNull(contacts.erasedAt)))
        .orderBy(desc(contacts.updatedAt)).limit(1))[0]?.id;
    },

    /** Insert-or-ignore on the provider's message id: a replayed webhook answers undefined. */
    async insert(reply: NewReply): Promise<ReplyRow | undefined> {
      return (await db.insert(replies).values(reply).onConflictDoNothing().returning())[0];
    },

    async setTicket(id: string, ticketId: string): Promise<void> {
      await db.update(replies).set({ ticketId }).where(eq(replies.id, id));
    },

    async ofTickets(ticketIds: string[]): Promise<ReplyRow[]> {
      if (!ticketIds.length) return [];
      return db.select().from(replies).where(inArray(replies.ticketId, ticketIds)).orderBy(replies.receivedAt, replies.id);
    },

    /** Newest first, keyset on (received_at, id). */
    async list(query: ReplyListQuery): Promise<ReplyRow[]> {
      const conditions: (SQL | undefined)[] = [];
      if (query.contactId) conditions.push(eq(replies.contactId, query.contactId));
      if (query.status === 'none') conditions.push(isNull(replies.ticketId));
      else if (query.status) {
        const ticketFilter = query.status === 'resolved' ? sql`t.status = 'resolved'`
          : query.status === 'open' ? sql`t.status = 'open'`
            : sql`t.status = 'open' and t.answered_at is null and t.due_at <= ${query.now}`;
        conditions.push(sql`${replies.ticketId} in (select t.id from ${tickets} t where ${ticketFilter})`);
      }
      if (query.after) {
        const at = new Date(query.after.receivedAt);
        conditions.push(or(lt(replies.receivedAt, at), and(eq(replies.receivedAt, at), lt(replies.id, query.after.id))));
      }
      return db.select().from(replies).where(and(...conditions))
        .orderBy(desc(replies.receivedAt), desc(replies.id)).limit(query.limit + 1);
    },
  };
}
export type RepliesRepository = ReturnType<typeof createRepliesRepository>;
