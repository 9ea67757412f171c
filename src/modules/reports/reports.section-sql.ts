import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';

/**
 * One section statement (coupons, surveys) in a read-only transaction with JIT off, as the
 * reports' own statements run (reports.repository.ts: JIT compiling cost more than these
 * aggregates of index probes).
 */
export async function runSectionStatement<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return (await tx.execute<T>(query)).rows as T[];
  });
}

/** `part / whole` to four places; null when there is no whole (a rate of nothing is not 0 %). */
export const sectionRate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
