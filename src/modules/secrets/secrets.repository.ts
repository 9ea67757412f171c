import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { settings } from '../../db/schema';

/** Generated secrets kept in the `settings` table, so every replica reads the same value. */
export function createSecretsRepository(db: Db) {
  return {
    /** Stores `value` under `key` unless one is already there (first writer wins). */
    insertIfAbsent: async (key: string, value: string): Promise<void> => {
      await db.insert(settings).values({ key, value }).onConflictDoNothing({ target: settings.key });
    },
    find: async (key: string): Promise<string | undefined> => {
      const row = (await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).limit(1))[0];
      return typeof row?.value === 'string' ? row.value : undefined;
    },
  };
}
export type SecretsRepository = ReturnType<typeof createSecretsRepository>;
