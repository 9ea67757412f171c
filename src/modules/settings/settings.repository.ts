import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { settings } from '../../db/schema';
import type { StoredShopSettings } from './settings.types';

/** The shop's settings row in the key/value `settings` table (automations keep theirs under `automation:*`). */
const SHOP_KEY = 'shop';

export function createSettingsRepository(db: Db) {
  return {
    read: async (): Promise<StoredShopSettings> =>
      ((await db.select().from(settings).where(eq(settings.key, SHOP_KEY)).limit(1))[0]?.value as StoredShopSettings | undefined) ?? {},

    write: async (value: StoredShopSettings, now: Date): Promise<void> => {
      await db.insert(settings).values({ key: SHOP_KEY, value, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } });
    },
  };
}
export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
