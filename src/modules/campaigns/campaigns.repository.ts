import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { campaignRuns, campaigns, type Channel } from '../../db/schema';
import type { CampaignStatus } from './campaigns.schemas';

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignRunRow = typeof campaignRuns.$inferSelect;

export function createCampaignsRepository(db: Db) {
  return {
    insert: async (row: typeof campaigns.$inferInsert): Promise<CampaignRow> => (await db.insert(campaigns).values(row).returning())[0],

    findById: async (id: string): Promise<CampaignRow | undefined> =>
      (await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1))[0],

    statusOf: async (id: string): Promise<CampaignStatus | undefined> =>
      (await db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, id)).limit(1))[0]?.status,

    /** Newest first, keyset on (created_at, id). */
    list: async (limit: number, status?: CampaignStatus, after?: { createdAt: string; id: string }): Promise<CampaignRow[]> => {
      const keyset = after
        ? or(lt(campaigns.createdAt, new Date(after.createdAt)), and(eq(campaigns.createdAt, new Date(after.createdAt)), lt(campaigns.id, after.id)))
        : undefined;
      return db.select().from(campaigns).where(and(status ? eq(campaigns.status, status) : undefined, keyset))
        .orderBy(desc(campaigns.createdAt), desc(campaigns.id)).limit(limit + 1);
    },

    /**
     * Moves a campaign between statuses only from the expected ones (compare-and-set), so two
     * racing requests or processes cannot both win. Returns the updated row, or undefined.
     */
    transition: async (id: string, from: readonly CampaignStatus[], set: Partial<typeof campaigns.$inferInsert> & { updatedAt: Date }) =>
      (await db.update(campaigns).set(set)
        .where(and(eq(campaigns.id, id), sql`${campaigns.status} in (${sql.join(from.map((s) => sql`${s}`), sql`, `)})`))
        .returning())[0] as CampaignRow | undefined,

    /** Per-status message counts: one GROUP BY served by the (campaign_id, status) index. */
    stats: async (id: string): Promise<Record<string, number>> => {
      const { rows } = await db.execute<{ status: string; n: string }>(
        sql`select status, count(*) as n from messages where campaign_id = ${id} group by status`);
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
    },

    /** Scheduled campaigns whose next occurrence is due, locked so concurrent ticks split them. */
    claimDue: async (now: Date, limit: number): Promise<CampaignRow[]> =>
      // Only `tx` inside: no second connection to wait for (PGlite has one).
      db.transaction(async (tx) => {
        const due = await tx.select().from(campaigns)
          .where(and(eq(campaigns.status, 'scheduled'), sql`${campaigns.nextRunAt} <= ${now}`))
          .orderBy(campaigns.nextRunAt).limit(limit).for('update', { skipLocked: true });
        for (const campaign of due) {
          // Insert-or-ignore: however many schedulers see this occurrence, it has one run.
          await tx.insert(campaignRuns).values({ campaignId: campaign.id, occurrence: campaign.nextRunAt!, status: 'fanning-out', startedAt: now })
            .onConflictDoNothing();
          await tx.update(campaigns).set({ status: 'running', updatedAt: now }).where(eq(campaigns.id, campaign.id));
        }
        return due;
      }),

    /** Runs still fanning out for campaigns that are running (their job may have been lost). */
    unfinishedRuns: async (limit: number): Promise<Pick<CampaignRunRow, 'campaignId' | 'occurrence'>[]> =>
      db.select({ campaignId: campaignRuns.campaignId, occurrence: campaignRuns.occurrence }).from(campaignRuns)
        .innerJoin(campaigns, eq(campaigns.id, campaignRuns.campaignId))
        .where(and(eq(campaignRuns.status, 'fanning-out'), eq(campaigns.status, 'running'))).limit(limit),

    /** One-off campaigns whose fan-out is done and whose every message is final → completed. */
    completeFinished: async (now: Date): Promise<string[]> => {
      const { rows } = await db.execute<{ id: string }>(sql`
        update campaigns c set status = 'completed', next_run_at = null, updated_at = ${now}
        where c.status = 'running' and c.recurrence is null
          and exists (select 1 from campaign_runs r where r.campaign_id = c.id)
          and not exists (select 1 from campaign_runs r where r.campaign_id = c.id and r.status <> 'done')
          and not exists (select 1 from messages m where m.campaign_id = c.id and m.status in ('scheduled', 'queued', 'sending'))
        returning c.id`);
      return rows.map((row) => row.id);
    },

    /** Recurring campaigns left `running` although their current occurrence's fan-out is done (crash in between). */
    recurringWithDoneRun: async (limit: number): Promise<{ campaign: CampaignRow; occurrence: Date }[]> => {
      const rows = await db.select({ campaign: campaigns, occurrence: campaignRuns.occurrence }).from(campaigns)
        .innerJoin(campaignRuns, and(eq(campaignRuns.campaignId, campaigns.id), eq(campaignRuns.occurrence, campaigns.nextRunAt)))
        .where(and(eq(campaigns.status, 'running'), sql`${campaigns.recurrence} is not null`, eq(campaignRuns.status, 'done'))).limit(limit);
      return rows;
    },

    findRun: async (campaignId: string, occurrence: Date): Promise<CampaignRunRow | undefined> =>
      (await db.select().from(campaignRuns)
        .where(and(eq(campaignRuns.campaignId, campaignId), eq(campaignRuns.occurrence, occurrence))).limit(1))[0],

    /**
     * Cancels every not-yet-sent message of the campaign, with an event each, in one statement.
     * A row being claimed for sending is waited for and re-checked: once `sending`, it is past cancelling.
     */
    cancelUnsent: async (campaignId: string, at: Date, reason: string): Promise<{ id: string; channel: Channel; jobKey: string | null }[]> => {
      const { rows } = await db.execute<{ id: string; channel: Channel; status: string; job_key: string | null }>(sql`
        with target as (
          select id, status, channel, job_key from messages
          where campaign_id = ${campaignId} and status in ('scheduled', 'queued')
          for update
        ), moved as (
          -- A cancelled greeting gives its festival key back (API.md "Care journeys"), so the festival
          -- automation (or another campaign) can still greet those contacts for that festival.
          update messages m set status = 'cancelled', updated_at = ${at},
            dedupe_key = case when m.dedupe_key like 'festival:%' then m.dedupe_key || ':cancelled:' || m.id::text else m.dedupe_key end
          from target
          where m.id = target.id returning m.id, target.status as previous, target.channel, target.job_key
        ), logged as (
          insert into message_events (message_id, status, reason, at) select id, 'cancelled', ${reason}, ${at} from moved
        )
        select id, channel, previous as status, job_key from moved`);
      // Only queued rows have a BullMQ job worth removing.
      return rows.filter((row) => row.status === 'queued').map((row) => ({ id: row.id, channel: row.channel, jobKey: row.job_key }));
    },
  };
}
export type CampaignsRepository = ReturnType<typeof createCampaignsRepository>;
