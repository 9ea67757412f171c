import { and, asc, count, desc, eq, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { messages, ticketResponses, tickets, type Channel } from '../../db/schema';

export type TicketRow = typeof tickets.$inferSelect;
export type TicketResponseRow = typeof ticketResponses.$inferSelect;
export type TicketStatusFilter = 'open' | 'overdue' | 'resolved';

/** Open, unanswered and past its due time. */
const overdue = (now: Date) => and(eq(tickets.status, 'open'), isNull(tickets.answeredAt), lte(tickets.dueAt, now));

export function createTicketsRepository(db: Db) {
  return {
    /**
     * The contact's open ticket, opened now if there is none (one open ticket per contact: a partial
     * unique index, so two replies arriving together still share one).
     */
    async openFor(input: { contactId: string; channel: Channel; reason: TicketRow['reason']; surveyId: string | null; at: Date; dueAt: Date }) {
      const { rows } = await db.execute<{ id: string }>(sql`
        insert into tickets (contact_id, channel, status, reason, survey_id, opened_at, due_at, updated_at)
        values (${input.contactId}, ${input.channel}, 'open', ${input.reason}, ${input.surveyId}, ${input.at}, ${input.dueAt}, ${input.at})
        on conflict (contact_id) where status = 'open' do nothing returning id`);
      const created = rows[0]?.id;
      const ticket = (await db.select().from(tickets)
        .where(created ? eq(tickets.id, created) : and(eq(tickets.contactId, input.contactId), eq(tickets.status, 'open'))).limit(1))[0];
      return { ticket, created: Boolean(created) };
    },

    /**
     * The customer wrote again into an open ticket: answers go on the channel they used last, and a
     * ticket the operator had answered is due again (an unanswered one keeps its earlier due time).
     */
    async customerWrote(id: string, channel: Channel, at: Date, dueAt: Date): Promise<void> {
      await db.update(tickets).set({
        channel, updatedAt: at,
        answeredAt: null,
        dueAt: sql`case when ${tickets.answeredAt} is null then ${tickets.dueAt} else ${dueAt} end`,
      }).where(eq(tickets.id, id));
    },

    find: async (id: string): Promise<TicketRow | undefined> => (await db.select().from(tickets).where(eq(tickets.id, id)).limit(1))[0],

    /** Newest first, keyset on (opened_at, id). `open` includes the overdue ones. */
    async list(query: { status?: TicketStatusFilter; contactId?: string; now: Date; after?: { openedAt: string; id: string }; limit: number }) {
      const conditions: (SQL | undefined)[] = [];
      if (query.status === 'overdue') conditions.push(overdue(query.now));
      else if (query.status) conditions.push(eq(tickets.status, query.status));
      if (query.contactId) conditions.push(eq(tickets.contactId, query.contactId));
      if (query.after) {
        const at = new Date(query.after.openedAt);
        conditions.push(or(lt(tickets.openedAt, at), and(eq(tickets.openedAt, at), lt(tickets.id, query.after.id))));
      }
      return db.select().from(tickets).where(and(...conditions)).orderBy(desc(tickets.openedAt), desc(tickets.id)).limit(query.limit + 1);
    },

    async addResponse(ticketId: string, response: { messageId: string; body: string; at: Date }): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.insert(ticketResponses).values({ ticketId, ...response });
        await tx.update(tickets).set({ answeredAt: response.at, updatedAt: response.at }).where(eq(tickets.id, ticketId));
      });
    },

    /** The operator's answers with where their message stands now (sent, delivered, failed…). */
    async responsesOf(ticketIds: string[]): Promise<(TicketResponseRow & { status: string | null })[]> {
      if (!ticketIds.length) return [];
      const rows = await db.select({ response: ticketResponses, status: messages.status }).from(ticketResponses)
        .leftJoin(messages, eq(messages.id, ticketResponses.messageId))
        .where(inArray(ticketResponses.ticketId, ticketIds)).orderBy(asc(ticketResponses.at), asc(ticketResponses.id));
      return rows.map((row) => ({ ...row.response, status: row.status }));
    },

    /** Resolves an open ticket; answers false when it was already resolved. */
    async resolve(id: string, note: string | null, at: Date): Promise<boolean> {
      const rows = await db.update(tickets).set({ status: 'resolved', resolvedAt: at, resolutionNote: note, updatedAt: at })
        .where(and(eq(tickets.id, id), eq(tickets.status, 'open'))).returning({ id: tickets.id });
      return rows.length > 0;
    },

    /** Through the (status, due_at) index. */
    countOverdue: async (now: Date): Promise<number> =>
      (await db.select({ n: count() }).from(tickets).where(overdue(now)))[0]?.n ?? 0,
  };
}
export type TicketsRepository = ReturnType<typeof createTicketsRepository>;
