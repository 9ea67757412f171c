import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { campaignRuns } from '../../db/schema';
import type { CampaignRunRow } from './campaigns.repository';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface RunProgress {
  cursor: string;
  created: number;
  missed: number;
  skipped: number;
}

const runKey = (campaignId: string, occurrence: Date) =>
  and(eq(campaignRuns.campaignId, campaignId), eq(campaignRuns.occurrence, occurrence));

/** Fan-out bookkeeping: one row per campaign occurrence, its keyset cursor and counters. */
export function createCampaignRunsRepository(db: Db) {
  return {
    /** Insert-or-ignore: the first to start an occurrence creates its run; the others find it. */
    ensure: async (campaignId: string, occurrence: Date, now: Date): Promise<void> => {
      await db.insert(campaignRuns).values({ campaignId, occurrence, status: 'fanning-out', startedAt: now }).onConflictDoNothing();
    },

    /**
     * Runs `step` holding the run's row lock, so concurrent fan-outs of one occurrence take turns
     * chunk by chunk and each reads the cursor the other left (the dedupe keys are the real guard).
     */
    withLockedRun: async <T>(campaignId: string, occurrence: Date, step: (run: CampaignRunRow, tx: Tx) => Promise<T>): Promise<T | undefined> =>
      db.transaction(async (tx) => {
        const run = (await tx.select().from(campaignRuns).where(runKey(campaignId, occurrence)).for('update'))[0];
        return run ? step(run, tx) : undefined;
      }),

    advance: async (tx: Tx, campaignId: string, occurrence: Date, progress: RunProgress): Promise<void> => {
      await tx.update(campaignRuns).set({
        cursor: progress.cursor,
        created: sql`${campaignRuns.created} + ${progress.created}`,
        missed: sql`${campaignRuns.missed} + ${progress.missed}`,
        skipped: sql`${campaignRuns.skipped} + ${progress.skipped}`,
      }).where(runKey(campaignId, occurrence));
    },

    finish: async (tx: Tx, campaignId: string, occurrence: Date, now: Date): Promise<void> => {
      await tx.update(campaignRuns).set({ status: 'done', finishedAt: now }).where(runKey(campaignId, occurrence));
    },

    listFor: async (campaignId: string): Promise<CampaignRunRow[]> =>
      db.select().from(campaignRuns).where(eq(campaignRuns.campaignId, campaignId)).orderBy(campaignRuns.occurrence),
  };
}
export type CampaignRunsRepository = ReturnType<typeof createCampaignRunsRepository>;
