import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openPglite, openPostgres, type Database } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { migratedPgliteSnapshot } from './pglite-snapshot';
import { TEST_DATABASE_URL, TEST_DB, databaseUrl, templateDatabaseName } from './test-env';

export interface TestDatabase extends Database {
  name: string;
  /** Unset on PGlite: the suite's config then has no DATABASE_URL, exactly as a new user's. */
  url?: string;
  drop(): Promise<void>;
}

/** Generous: a busy machine must not cancel a test's statement; a self-wait still fails at once. */
const TEST_STATEMENT_TIMEOUT_MS = 60_000;

async function withAdmin<T>(run: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}

/**
 * A private, migrated database for one suite, dropped at the end: a clone of the template on the
 * PostgreSQL server, or a fresh in-memory PGlite when the suite runs in the `pglite` project.
 */
export async function createTestDatabase(poolMax = 4): Promise<TestDatabase> {
  return TEST_DB === 'pglite' ? createPgliteDatabase() : createPostgresDatabase(poolMax);
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  // From the migrated snapshot (pglite-snapshot.ts), then migrate: a no-op that proves the snapshot current.
  const database = await openPglite(undefined, TEST_STATEMENT_TIMEOUT_MS, undefined, { loadDataDir: await migratedPgliteSnapshot() });
  await migrateDatabase(database);
  return { ...database, name: 'pglite (in memory)', drop: () => database.close() };
}

async function createPostgresDatabase(poolMax: number): Promise<TestDatabase> {
  const name = `carebeat_t_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database "${name}" template "${templateDatabaseName()}"`);
        return;
      } catch (error) {
        // Two clones of one template at the same instant can collide; a moment later it works.
        if (attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  const url = databaseUrl(name);
  const database = await openPostgres(url, poolMax, TEST_STATEMENT_TIMEOUT_MS);
  return {
    ...database,
    name,
    url,
    drop: async () => {
      await database.close().catch(() => undefined);
      await withAdmin((admin) => admin.query(`drop database if exists "${name}" with (force)`));
    },
  };
}
