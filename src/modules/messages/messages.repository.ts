import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { campaigns, contacts, messages, providerEvents, type Channel, type MessageKind, type MessageStatus } from '../../db/schema';
import type { HistoryEntry } from './message-history';
import { toMessageRow, type MessageRow } from './message-rows';

export interface MessageFilter {
  contactId?: string;
  campaignId?: string;
  status?: MessageStatus;
  kind?: MessageKind;
  channel?: Channel;
  /** Creation time range [from, to). */
  from?: Date;
  to?: Date;
}

export interface ListCursor {
  createdAt: string;
  id: string;
}

/** Read side of the message log, plus the provider-callback bookkeeping. */
export function createMessagesRepository(db: Db) {
  return {
    /** Contact and campaign names for a page of the log (two small lookups, not a join on the log). */
    async namesOf(contactIds: string[], campaignIds: string[]): Promise<{ contacts: Map<string, string | null>; campaigns: Map<string, string> }> {
      const people = contactIds.length
        ? await db.select({ id: contacts.id, name: contacts.name }).from(contacts).where(inArray(contacts.id, contactIds)) : [];
      const blasts = campaignIds.length
        ? await db.select({ id: campaigns.id, name: campaigns.name }).from(campaigns).where(inArray(campaigns.id, campaignIds)) : [];
      return { contacts: new Map(people.map((p) => [p.id, p.name])), campaigns: new Map(blasts.map((c) => [c.id, c.name])) };
    },

    findById: async (id: string): Promise<MessageRow | undefined> =>
      (await db.select().from(messages).where(eq(messages.id, id)).limit(1))[0],

    /**
     * A message and its logged events as of one instant: one statement, so one snapshot. Read apart,
     * a hold or retry committing in between shows its attempt twice — once from the row's
     * `sending_at` (still set when the row was read), once from the `sending` event it logs.
     */
    findWithEvents: async (id: string): Promise<{ row: MessageRow; events: HistoryEntry[] } | undefined> => {
      const { rows } = await db.execute(sql`
        select m.*, coalesce((
          select jsonb_agg(jsonb_build_object('status', e.status, 'at', e.at, 'reason', e.reason) order by e.id)
          from message_events e where e.message_id = m.id
        ), '[]'::jsonb) as logged_events
        from messages m where m.id = ${id}`);
      if (!rows.length) return undefined;
      const raw = rows[0] as Record<string, unknown>;
      const logged = raw.logged_events as { status: string; at: string; reason: string | null }[];
      return { row: toMessageRow(raw), events: logged.map((event) => ({ ...event, at: new Date(event.at) })) };
    },

    findByProviderId: async (providerMessageId: string): Promise<MessageRow | undefined> =>
      (await db.select().from(messages).where(eq(messages.providerMessageId, providerMessageId)).limit(1))[0],

    contactExists: async (id: string): Promise<boolean> =>
      (await db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, id)).limit(1)).length > 0,

    /** Newest first; `limit + 1` rows so the caller can tell whether more exist. */
    list: async (filter: MessageFilter, limit: number, after?: ListCursor): Promise<MessageRow[]> => {
      const conditions: (SQL | undefined)[] = [
        filter.contactId ? eq(messages.contactId, filter.contactId) : undefined,
        filter.campaignId ? eq(messages.campaignId, filter.campaignId) : undefined,
        filter.status ? eq(messages.status, filter.status) : undefined,
        filter.kind ? eq(messages.kind, filter.kind) : undefined,
        filter.channel ? eq(messages.channel, filter.channel) : undefined,
        filter.from ? gte(messages.createdAt, filter.from) : undefined,
        filter.to ? lt(messages.createdAt, filter.to) : undefined,
        after
          ? or(lt(messages.createdAt, new Date(after.createdAt)), and(eq(messages.createdAt, new Date(after.createdAt)), lt(messages.id, after.id)))
          : undefined,
      ];
      return db.select().from(messages).where(and(...conditions))
        .orderBy(desc(messages.createdAt), desc(messages.id)).limit(limit + 1);
    },

    /** The messages with these provider ids (a batch of delivery reports). */
    findManyByProviderIds: async (providerMessageIds: string[]): Promise<MessageRow[]> =>
      providerMessageIds.length ? db.select().from(messages).where(inArray(messages.providerMessageId, providerMessageIds)) : [],

    /** `recordProviderEvent` for many: answers the pairs seen for the first time (`id status`). */
    recordProviderEvents: async (events: { providerMessageId: string; status: string }[], at: Date): Promise<Set<string>> => {
      if (!events.length) return new Set();
      const rows = await db.insert(providerEvents).values(events.map((event) => ({ ...event, receivedAt: at })))
        .onConflictDoNothing().returning({ providerMessageId: providerEvents.providerMessageId, status: providerEvents.status });
      return new Set(rows.map((row) => `${row.providerMessageId} ${row.status}`));
    },

    /** True the first time this (provider id, status) pair is seen; a replayed callback answers false. */
    recordProviderEvent: async (providerMessageId: string, status: string, at: Date): Promise<boolean> =>
      (await db.insert(providerEvents).values({ providerMessageId, status, receivedAt: at })
        .onConflictDoNothing().returning({ status: providerEvents.status })).length > 0,

    countByDayChannelStatus: async (since: Date, zone: string) => {
      const { rows } = await db.execute<{ day: string; channel: Channel; status: MessageStatus; n: string }>(sql`
        select to_char(created_at at time zone ${zone}, 'YYYY-MM-DD') as day, channel, status, count(*) as n
        from messages where created_at >= ${since}
        group by 1, 2, 3 order by 1, 2, 3`);
      return rows.map((row) => ({ day: row.day, channel: row.channel, status: row.status, count: Number(row.n) }));
    },
  };
}
export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
