import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { apiKeys } from '../../db/schema';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export function createAuthRepository(db: Db) {
  return {
    findByHash: async (keyHash: string): Promise<ApiKeyRow | undefined> =>
      (await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).limit(1))[0],
    insert: async (row: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> =>
      (await db.insert(apiKeys).values(row).returning())[0],
    /** Insert unless the same key hash is there (several processes bootstrap the admin key at once). */
    insertIfAbsent: async (row: typeof apiKeys.$inferInsert): Promise<void> => {
      await db.insert(apiKeys).values(row).onConflictDoNothing({ target: apiKeys.keyHash });
    },
    list: async (): Promise<ApiKeyRow[]> => db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt)),
    countAdmins: async (): Promise<number> =>
      Number((await db.select({ n: sql<number>`count(*)` }).from(apiKeys).where(eq(apiKeys.role, 'admin')))[0].n),
    delete: async (id: string): Promise<boolean> =>
      (await db.delete(apiKeys).where(eq(apiKeys.id, id)).returning({ id: apiKeys.id })).length > 0,
  };
}
export type AuthRepository = ReturnType<typeof createAuthRepository>;
