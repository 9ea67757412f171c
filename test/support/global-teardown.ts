import { Client } from 'pg';
import { TEST_DATABASE_URL } from './test-env';

const STALE_MS = 60 * 60 * 1000;

/** Suites drop their own databases; this sweeps those left by a run that was killed long ago. */
export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'carebeat_t_%'");
    for (const { datname } of rows) {
      const createdAt = Number(datname.split('_')[2]);
      if (Number.isFinite(createdAt) && Date.now() - createdAt > STALE_MS) {
        await admin.query(`drop database if exists "${datname}" with (force)`).catch(() => undefined);
      }
    }
  } finally {
    await admin.end();
  }
}
