import { eq, sql } from 'drizzle-orm';
import { performance } from 'node:perf_hooks';
import type { Db } from '../../db/client';
import type { SqlExecutor } from '../messages/outbox.repository';
import { settings } from '../../db/schema';
import { DEFAULT_AUTOMATIONS, type AutomationSettings } from './automations.types';

const settingKey = (name: keyof AutomationSettings) => `automation:${name}`;

/**
 * How long a process reuses the settings it read. Every contact upsert reads the birthday
 * settings, so this saves a query per API write; a PUT through this process shows at once,
 * through another process within this (monotonic timer: freshness, not domain time).
 */
const SETTINGS_CACHE_MS = 5000;

type CachedSettings = Map<string, { value: Promise<unknown>; until: number }>;
/** One cache per database, shared by every repository built on it (the container builds several). */
const caches = new WeakMap<Db, CachedSettings>();

/** Automation settings live in the `settings` table; absent means the shipped defaults. */
export function createAutomationsRepository(db: Db) {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const cached: CachedSettings = cache;

  async function read<K extends keyof AutomationSettings>(name: K, executor?: SqlExecutor): Promise<AutomationSettings[K]> {
    const stored = executor
      ? (await executor.execute<{ value: unknown }>(sql`select value from settings where key = ${settingKey(name)}`)).rows[0]
      : (await db.select().from(settings).where(eq(settings.key, settingKey(name))).limit(1))[0];
    return { ...DEFAULT_AUTOMATIONS[name], ...((stored?.value as Partial<AutomationSettings[K]>) ?? {}) };
  }

  return {
    /**
     * `executor`: read inside the caller's transaction on a cache miss (an order change's listener:
     * on the single embedded connection the pool would wait for that very transaction).
     */
    async get<K extends keyof AutomationSettings>(name: K, executor?: SqlExecutor): Promise<AutomationSettings[K]> {
      const now = performance.now();
      const hit = cached.get(name);
      if (hit && hit.until > now) return structuredClone(await (hit.value as Promise<AutomationSettings[K]>));
      const value = read(name, executor);
      cached.set(name, { value, until: now + SETTINGS_CACHE_MS });
      value.catch(() => cached.get(name)?.value === value && cached.delete(name));
      return structuredClone(await value);
    },
    async put<K extends keyof AutomationSettings>(name: K, value: AutomationSettings[K]): Promise<void> {
      cached.delete(name);
      await db
        .insert(settings)
        .values({ key: settingKey(name), value })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
      cached.delete(name); // a read that raced the write must not keep the old value
    },
  };
}
export type AutomationsRepository = ReturnType<typeof createAutomationsRepository>;
