import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Config } from '../config';
import * as schema from './schema';

export type Schema = typeof schema;
/**
 * The drizzle database, whichever driver is underneath. Typed as node-postgres; PGlite's driver
 * has the same query API and also answers `execute` with `{ rows }`.
 */
export type Db = NodePgDatabase<Schema>;

export interface Database {
  db: Db;
  driver: 'pg' | 'pglite';
  /** Connection string (pg only), for tools that need their own connection. */
  url?: string;
  /** Answers true when the database responds (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens PostgreSQL when DATABASE_URL is set, else the embedded PGlite under DATA_DIR. */
export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_POOL_MAX'>): Promise<Database> {
  if (config.DATABASE_URL) return openPostgres(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  return openPglite(join(config.DATA_DIR, 'pglite'));
}

export async function openPostgres(url: string, poolMax: number): Promise<Database> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new Pool({ connectionString: url, max: poolMax, idleTimeoutMillis: 10_000 });
  // A restarted server kills idle clients; the pool replaces them, so an idle error must not crash us.
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pg',
    url,
    ping: async () => pool.query('select 1').then(() => true, () => false),
    close: () => pool.end(),
  };
}

export async function openPglite(dir: string): Promise<Database> {
  mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = new PGlite(dir);
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    ping: async () => client.query('select 1').then(() => true, () => false),
    close: () => client.close(),
  };
}
