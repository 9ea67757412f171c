import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { settings } from '../../db/schema';
import { DEFAULT_AUTOMATIONS, type AutomationSettings } from './automations.types';

const settingKey = (name: keyof AutomationSettings) => `automation:${name}`;

/** Automation settings live in the `settings` table; absent means the shipped defaults. */
export function createAutomationsRepository(db: Db) {
  return {
    async get<K extends keyof AutomationSettings>(name: K): Promise<AutomationSettings[K]> {
      const row = (await db.select().from(settings).where(eq(settings.key, settingKey(name))).limit(1))[0];
      return { ...DEFAULT_AUTOMATIONS[name], ...((row?.value as Partial<AutomationSettings[K]>) ?? {}) };
    },
    async put<K extends keyof AutomationSettings>(name: K, value: AutomationSettings[K]): Promise<void> {
      await db
        .insert(settings)
        .values({ key: settingKey(name), value })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
    },
  };
}
export type AutomationsRepository = ReturnType<typeof createAutomationsRepository>;
