import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { idempotencyKeys } from '../../db/schema';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

export function createIdempotencyRepository(db: Db) {
  return {
    /** Claims the key; returns false when a row already exists. */
    claim: async (id: string, requestHash: string, createdAt: Date): Promise<boolean> =>
      (await db.insert(idempotencyKeys).values({ id, requestHash, createdAt }).onConflictDoNothing().returning({ id: idempotencyKeys.id })).length > 0,
    find: async (id: string): Promise<IdempotencyRow | undefined> =>
      (await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.id, id)).limit(1))[0],
    /** Stores the answer, and the request's hash when it was only known at the end (a streamed body). */
    complete: async (id: string, statusCode: number, responseBody: string, requestHash?: string): Promise<void> => {
      await db.update(idempotencyKeys).set({ statusCode: String(statusCode), responseBody, ...(requestHash ? { requestHash } : {}) })
        .where(eq(idempotencyKeys.id, id));
    },
    release: async (id: string): Promise<void> => {
      await db.delete(idempotencyKeys).where(eq(idempotencyKeys.id, id));
    },
    deleteIfOlderThan: async (id: string, before: Date): Promise<void> => {
      await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.id, id), lt(idempotencyKeys.createdAt, before)));
    },
  };
}
export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
