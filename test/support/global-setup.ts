import { Client } from 'pg';
import { openPostgres } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { TEST_DATABASE_URL, databaseUrl, templateDatabaseName } from './test-env';

/** Migrates one template database per migration set; every suite then clones it (fast). */
export default async function globalSetup(): Promise<void> {
  const name = templateDatabaseName();
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(42420002)'); // parallel jest runs build it once
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      await admin.query(`create database "${name}_building"`).catch(() => undefined);
      const database = await openPostgres(databaseUrl(`${name}_building`), 1);
      await migrateDatabase(database);
      await database.close();
      await admin.query(`alter database "${name}_building" rename to "${name}"`);
    }
  } finally {
    await admin.end();
  }
}
