import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Config } from '../config';
import { EmbeddedGate, statementName } from './embedded-gate';
import { isStatementTimeout } from './pg-errors';
import * as schema from './schema';

export type Schema = typeof schema;
/**
 * The drizzle database, whichever driver is underneath. Typed as node-postgres; PGlite's driver
 * has the same query API and also answers `execute` with `{ rows }`.
 */
export type Db = NodePgDatabase<Schema>;

export interface Database {
  db: Db;
  /**
   * For migrations only: on PGlite the same connection without the embedded gate, so a long
   * migration is neither timed out nor reported as a stuck statement. On pg, `db` itself.
   */
  migrationDb: Db;
  driver: 'pg' | 'pglite';
  /** Connection string (pg only), for tools that need their own connection. */
  url?: string;
  /** Answers true when the database responds (readiness, and liveness on PGlite). */
  ping(): Promise<boolean>;
  /** What holds the single embedded connection now (PGlite only): the liveness check reports it. */
  busy?(): { name: string; forMs: number } | null;
  close(): Promise<void>;
}

/** How the database reports statements that ran out of time; main.ts passes the logger's. */
export interface StatementReports {
  onTimeout(statement: string, ms: number): void;
  onSlow(statement: string, ms: number): void;
}

export type DatabaseOptions = Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_POOL_MAX' | 'DB_STATEMENT_TIMEOUT_MS'>;

const silent: StatementReports = { onTimeout: () => undefined, onSlow: () => undefined };

/** Opens PostgreSQL when DATABASE_URL is set, else the embedded PGlite under DATA_DIR. */
export async function openDatabase(config: DatabaseOptions, reports: StatementReports = silent): Promise<Database> {
  if (config.DATABASE_URL) return openPostgres(config.DATABASE_URL, config.DATABASE_POOL_MAX, config.DB_STATEMENT_TIMEOUT_MS, reports);
  return openPglite(join(config.DATA_DIR, 'pglite'), config.DB_STATEMENT_TIMEOUT_MS, reports);
}

/**
 * A pool whose connections carry `statement_timeout`: PostgreSQL itself cancels a statement that runs
 * too long (SQLSTATE 57014), and the statement is reported by name. Migrations use their own client
 * (see migrate.ts), so they are never cut short.
 */
export async function openPostgres(url: string, poolMax: number, statementTimeoutMs = 0, reports: StatementReports = silent): Promise<Database> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new Pool({ connectionString: url, max: poolMax, idleTimeoutMillis: 10_000, statement_timeout: statementTimeoutMs || undefined });
  // A restarted server kills idle clients; the pool replaces them, so an idle error must not crash us.
  pool.on('error', () => undefined);
  const report = (text: unknown) => (error: unknown) => {
    if (isStatementTimeout(error)) reports.onTimeout(statementName(queryText(text)), statementTimeoutMs);
  };
  // Only promise-style calls are watched: drizzle makes those, and the pool's own callback-style
  // calls on a connection are already watched through `pool.query`.
  const watch = <T extends { query: unknown }>(target: T) => {
    const query = (target.query as (...args: unknown[]) => { catch?: (onError: (error: unknown) => void) => unknown } | undefined).bind(target);
    target.query = ((...args: unknown[]) => {
      const result = query(...args);
      if (typeof args[args.length - 1] !== 'function' && result?.catch) result.catch(report(args[0]));
      return result;
    }) as T['query'];
  };
  watch(pool);
  pool.on('connect', (client) => watch(client));
  const db = drizzle(pool, { schema }) as unknown as Db;
  return {
    db,
    migrationDb: db,
    driver: 'pg',
    url,
    ping: async () => pool.query('select 1').then(() => true, () => false),
    close: () => pool.end(),
  };
}

const queryText = (query: unknown): string => (typeof query === 'string' ? query : String((query as { text?: string })?.text ?? ''));

/**
 * The embedded database, behind the `EmbeddedGate`: statements and transactions on the main handle
 * take turns in one queue that refuses a self-wait and cancels work that waited too long.
 * `dir` undefined → in memory (the test harness's PGlite runs).
 */
export async function openPglite(
  dir: string | undefined, statementTimeoutMs = 30_000, reports: StatementReports = silent,
  /** An in-memory instance can start from a `dumpDataDir()` snapshot instead of a fresh initdb (tests: seconds saved per suite). */
  options: { loadDataDir?: Blob } = {},
): Promise<Database> {
  if (dir) mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = options.loadDataDir ? new PGlite({ loadDataDir: options.loadDataDir }) : new PGlite(dir);
  await client.waitReady;
  const migrationDb = drizzle(client, { schema }) as unknown as Db;
  const gate = new EmbeddedGate(statementTimeoutMs, { onCancelled: reports.onTimeout, onSlow: reports.onSlow });
  const gated = gatedClient(client, gate);
  const db = drizzle(gated, { schema }) as unknown as Db;
  return {
    db,
    migrationDb,
    driver: 'pglite',
    ping: async () => gated.query('select 1').then(() => true, () => false),
    busy: () => gate.busy(),
    close: () => client.close(),
  };
}

/**
 * The PGlite instance drizzle talks to, with its main-handle entry points routed through the gate.
 * A transaction's own handle (`tx.query`) is PGlite's and bypasses the gate: it already holds the turn.
 */
function gatedClient(client: PGlite, gate: EmbeddedGate): PGlite {
  const gated = Object.create(client) as PGlite;
  gated.query = ((text: string, ...rest: unknown[]) =>
    gate.run(statementName(text), () => (client.query as (...a: unknown[]) => Promise<unknown>)(text, ...rest))) as PGlite['query'];
  gated.exec = ((text: string, ...rest: unknown[]) =>
    gate.run(statementName(text), () => (client.exec as (...a: unknown[]) => Promise<unknown>)(text, ...rest))) as PGlite['exec'];
  gated.transaction = (<T>(work: Parameters<PGlite['transaction']>[0]) =>
    gate.run(transactionName(), () => client.transaction(work) as Promise<T>)) as PGlite['transaction'];
  return gated;
}

/** A transaction has no SQL text to name it by: the first frame outside the database layer does. */
function transactionName(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  const caller = frames.find((frame) => !/[\\/](db[\\/]client|drizzle-orm|node:internal)/.test(frame));
  return `transaction ${caller?.trim().replace(/^at /, '') ?? '(unknown caller)'}`;
}
