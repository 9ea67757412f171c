import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsDir } from '../../src/db/migrate';

/** Tests read their own environment here (the product reads it only in src/config.ts). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * Which database the suites run on: the real PostgreSQL server (default), or embedded PGlite in
 * memory — the zero-setup default — set by jest.config.js's `pglite` project for the parity suites.
 */
export const TEST_DB: 'pg' | 'pglite' = process.env.CAREBEAT_TEST_DB === 'pglite' ? 'pglite' : 'pg';

/** The migrated template database is named after the migrations' content, so a change makes a new one. */
export function templateDatabaseName(): string {
  const dir = migrationsDir();
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) hash.update(readFileSync(join(dir, file)));
  return `carebeat_tpl_${hash.digest('hex').slice(0, 12)}`;
}

export function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
