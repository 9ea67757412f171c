import { and, asc, count, eq, gte, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { campaigns, contacts, messages } from '../../db/schema';

/** The dashboard's counting queries (the per-day message counts live in the messages repository). */
export function createStatsRepository(db: Db) {
  return {
    /** Contacts not erased whose next birthday greeting falls in [from, to) (`contacts_next_birthday_at_idx`). */
    countBirthdaysBetween: async (from: Date, to: Date): Promise<number> =>
      (await db.select({ n: count() }).from(contacts).where(and(
        gte(contacts.nextBirthdayAt, from), lt(contacts.nextBirthdayAt, to), isNull(contacts.erasedAt),
      )))[0].n,

    /** First-order follow-ups not yet sent that are due before `before` (overdue ones included). */
    countFollowUpsDueBefore: async (before: Date): Promise<number> =>
      (await db.select({ n: count() }).from(messages).where(and(
        eq(messages.kind, 'first-order'), inArray(messages.status, ['scheduled', 'queued']), lt(messages.scheduledAt, before),
      )))[0].n,

    /** Messages whose status last changed at or after `since`, by that status. */
    countByStatusChangedSince: async (since: Date) =>
      db.select({ status: messages.status, count: count() }).from(messages)
        .where(gte(messages.updatedAt, since)).groupBy(messages.status),

    /** Scheduled campaigns, soonest first (`campaigns_status_next_run_idx`). */
    nextScheduledCampaigns: async (limit: number) =>
      db.select({
        id: campaigns.id, name: campaigns.name, kind: campaigns.kind, holidayKey: campaigns.holidayKey, sendLocal: campaigns.sendLocal, nextRunAt: campaigns.nextRunAt,
      }).from(campaigns)
        .where(and(eq(campaigns.status, 'scheduled'), isNotNull(campaigns.nextRunAt)))
        .orderBy(asc(campaigns.nextRunAt), asc(campaigns.id)).limit(limit),
  };
}
export type StatsRepository = ReturnType<typeof createStatsRepository>;
