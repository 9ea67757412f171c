import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { isSerializationFailure } from '../../db/pg-errors';
import { campaignRuns } from '../../db/schema';
import type { CampaignRunRow } from './campaigns.repository';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i;
/** Each retry means the other fan-out made progress, so a handful always suffices. */
const MAX_ATTEMPTS = 20;

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
     * REPEATABLE READ, so a chunk's reads and its INSERT … SELECT see the same contacts; a turn whose
     * snapshot predates the other fan-out's last chunk fails to serialize and is simply taken again.
     * `step` works on `tx`; the only other connections it may use are `inSnapshot`'s, which never wait
     * for `tx` (disjoint rows) and are used only with more than one lane — never on PGlite, whose
     * fan-out has one lane because it has one connection (see src/container/campaigns.ts).
     */
    withLockedRun: async <T>(campaignId: string, occurrence: Date, step: (run: CampaignRunRow, tx: Tx) => Promise<T>): Promise<T | undefined> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction(async (tx) => {
            const run = (await tx.select().from(campaignRuns).where(runKey(campaignId, occurrence)).for('update'))[0];
            return run ? step(run, tx) : undefined;
          }, { isolationLevel: 'repeatable read' });
        } catch (error) {
          if (!isSerializationFailure(error) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    },

    /** Names the transaction's snapshot, so other connections can read exactly what it reads. */
    exportSnapshot: async (tx: Tx): Promise<string> => {
      const { rows } = await tx.execute<{ id: string }>(sql`select pg_export_snapshot() as id`);
      return rows[0].id;
    },

    /**
     * Runs `work` in its own transaction on another connection, seeing `snapshot` (the exporter must still be open).
     * pg only: on the single embedded connection this would wait for the exporter, and the gate refuses it.
     */
    inSnapshot: async <T>(snapshot: string, work: (tx: Tx) => Promise<T>): Promise<T> => {
      if (!SNAPSHOT_ID.test(snapshot)) throw new Error(`not a snapshot id: ${snapshot}`);
      return db.transaction(async (tx) => {
        await tx.execute(sql.raw(`set transaction snapshot '${snapshot}'`)); // a utility statement: no parameters
        return work(tx);
      }, { isolationLevel: 'repeatable read' });
    },

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
