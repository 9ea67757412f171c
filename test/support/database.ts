import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openPostgres, type Database } from '../../src/db/client';
import { TEST_DATABASE_URL, databaseUrl, templateDatabaseName } from './test-env';

export interface TestDatabase extends Database {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(run: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}

/** A private, migrated database for one suite (cloned from the template), dropped at the end. */
export async function createTestDatabase(poolMax = 4): Promise<TestDatabase> {
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
  const database = await openPostgres(url, poolMax);
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
