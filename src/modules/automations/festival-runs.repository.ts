import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { isSerializationFailure } from '../../db/pg-errors';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Where one festival occurrence's fan-out stands. `full`: the first pass over every matching
 * contact, keyset on id from `cursor`. `catch-up`: later passes over contacts created since
 * `watermark` (a contact added on the festival day, after the send time, is still greeted).
 */
export interface FestivalRunState {
  phase: 'full' | 'catch-up';
  cursor: string | null;
  /** ISO instant: a catch-up pass looks at contacts created at or after it. */
  watermark: string | null;
  /** ISO instant the pass in progress began (its end moves the watermark there, less a margin). */
  passFrom: string | null;
  created: number;
  missed: number;
  skipped: number;
}

const INITIAL: FestivalRunState = { phase: 'full', cursor: null, watermark: null, passFrom: null, created: 0, missed: 0, skipped: 0 };
/** Each retry means another tick made progress, so a handful always suffices. */
const MAX_ATTEMPTS = 10;

const runKey = (holiday: string, date: string) => `festival-run:${holiday}:${date}`;

/**
 * Festival fan-out bookkeeping, one key per holiday occurrence in the key-value `settings` table
 * (a handful of rows a year: no table of its own).
 */
export function createFestivalRunsRepository(db: Db) {
  return {
    /**
     * Runs `step` holding the occurrence's row lock, in REPEATABLE READ (a chunk's group counts and its
     * INSERT … SELECT see the same contacts), and stores the state it answers. Null when another tick
     * holds the lock: that tick is doing the work, this one skips rather than waits.
     */
    async withLockedRun<T>(holiday: string, date: string, step: (state: FestivalRunState, tx: Tx) => Promise<{ state: FestivalRunState; result: T }>): Promise<T | null> {
      const key = runKey(holiday, date);
      await db.execute(sql`insert into settings (key, value) values (${key}, ${JSON.stringify(INITIAL)}::jsonb) on conflict (key) do nothing`);
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction(async (tx) => {
            const { rows } = await tx.execute<{ value: FestivalRunState }>(sql`select value from settings where key = ${key} for update skip locked`);
            if (!rows[0]) return null;
            const { state, result } = await step({ ...INITIAL, ...rows[0].value }, tx);
            await tx.execute(sql`update settings set value = ${JSON.stringify(state)}::jsonb, updated_at = now() where key = ${key}`);
            return result;
          }, { isolationLevel: 'repeatable read' });
        } catch (error) {
          if (!isSerializationFailure(error) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    },

    /** The database's clock (transaction start), which writes `contacts.created_at`. */
    async databaseNow(tx: Tx): Promise<Date> {
      const { rows } = await tx.execute<{ at: Date | string }>(sql`select now() as at`);
      return new Date(rows[0].at);
    },

    /** The stored state (tests and the console's figures). */
    async stateOf(holiday: string, date: string): Promise<FestivalRunState | null> {
      const { rows } = await db.execute<{ value: FestivalRunState }>(sql`select value from settings where key = ${runKey(holiday, date)}`);
      return rows[0] ? { ...INITIAL, ...rows[0].value } : null;
    },
  };
}
export type FestivalRunsRepository = ReturnType<typeof createFestivalRunsRepository>;
