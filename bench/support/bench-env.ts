import { randomBytes } from 'node:crypto';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { loadConfig, type Config } from '../../src/config';
import { createServices } from '../../src/container';
import type { Infrastructure, Services } from '../../src/container/types';
import { createQueues } from '../../src/queue/queues';
import { createLogger } from '../../src/shared/logger';
import { createMetrics } from '../../src/shared/metrics';
import type { Providers } from '../../src/providers/types';
import { systemClock, type Clock } from '../../src/time/clock';
import { deleteQueueKeys } from '../../test/support/context';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import prepareTemplate from '../../test/support/global-setup';
import { TEST_REDIS_URL } from '../../test/support/test-env';

export interface BenchEnv extends Infrastructure {
  database: TestDatabase;
  services: Services;
  /** The environment the config was parsed from: hand it to child worker processes. */
  vars: Record<string, string>;
  close(): Promise<void>;
}

export interface BenchEnvOptions {
  env?: Record<string, string>;
  clock?: Clock;
  providers?: Providers;
  poolMax?: number;
  /** Another database than a clone of the test template (the PostgreSQL-restart drill's private cluster). */
  openDatabase?: () => Promise<TestDatabase>;
}

/**
 * A whole Carebeat for one benchmark or drill: a private database cloned from the migrated
 * template (same helpers as the test suites), a private BullMQ prefix on the shared Redis,
 * and the real services. `close()` drops the database and deletes every queue key.
 */
export async function createBenchEnv(options: BenchEnvOptions = {}): Promise<BenchEnv> {
  if (!options.openDatabase) await prepareTemplate();
  const database = options.openDatabase ? await options.openDatabase() : await createTestDatabase(options.poolMax ?? 16);
  const vars = benchConfigEnv(database.url!, options.env); // benchmarks run on the PostgreSQL server
  const config: Config = loadConfig(vars);
  const clock = options.clock ?? systemClock;
  const logger = createLogger(config);
  const queues = createQueues(config, { logger, clock });
  const infra: Infrastructure = {
    config, db: database.db, queues, clock,
    logger, metrics: createMetrics(), providers: options.providers,
  };
  const services = createServices(infra);
  return {
    ...infra,
    database,
    services,
    vars,
    async close() {
      await deleteQueueKeys(queues.connection, config.QUEUE_PREFIX).catch(() => undefined);
      await queues.close();
      await database.drop();
    },
  };
}

/** The environment a bench or drill process runs with (also handed to child worker processes). */
export function benchConfigEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `cbb-${randomBytes(4).toString('hex')}`,
    QUIET_HOURS: 'off',
    RATE_LIMIT_PER_MINUTE: '100000000',
    FREQUENCY_CAP: '0',
    // The limiter is a provider-side rate; a bench measures our own ceiling, so lift it.
    SMS_RATE_PER_SECOND: '1000000',
    EMAIL_RATE_PER_SECOND: '1000000',
    ...extra,
  };
}

/** One line naming the machine, printed by every bench and drill. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  return `machine: ${availableParallelism()} cores (${cpu.trim()}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`;
}

/** Starts the real HTTP app on a free port (for benches that go over the network). */
export async function listen(env: BenchEnv): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const { buildApp } = await import('../../src/app');
  const app = await buildApp({ ...env, pingDatabase: env.database.ping });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  return { baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** A fresh API key of the role, as request headers. */
export async function authHeaders(env: BenchEnv, role: 'ops' | 'marketer' | 'admin' = 'ops'): Promise<Record<string, string>> {
  const { key } = await env.services.auth.create({ name: `bench ${role}`, role });
  return { authorization: `Bearer ${key}` };
}

export const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw ? Number(raw.replace(/_/g, '')) : NaN;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return check();
}

/** Runs a benchmark's `main` as the process: exit 0 when done, 1 with the error printed otherwise. */
export function runBench(main: () => Promise<void>): void {
  main().then(() => process.exit(0), (error) => {
    console.error(error);
    process.exit(1);
  });
}
