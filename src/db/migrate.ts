import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './client';

/** Lock id shared by every process, so api/worker/scheduler starting together migrate once. */
const MIGRATION_LOCK = 42420001;

/** Applies pending drizzle-kit migrations; safe to call from several processes at once. */
export async function migrateDatabase(database: Database, migrationsFolder = migrationsDir()): Promise<void> {
  if (database.driver === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.migrationDb as never, { migrationsFolder });
    return;
  }
  // The advisory lock must be held by one connection for the whole run, so use a dedicated client.
  const { Client } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.end();
  }
}

/** `migrations/` sits at the repository root, reached from `src/db` (ts) and `dist/src/db` (js). */
export function migrationsDir(): string {
  const candidates = [join(__dirname, '..', '..', 'migrations'), join(__dirname, '..', '..', '..', 'migrations')];
  return candidates.find((dir) => existsSync(join(dir, 'meta', '_journal.json'))) ?? candidates[0];
}
