import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { createServices } from '../../src/container';
import type { AppDeps, Infrastructure, Services } from '../../src/container/types';
import { createQueues } from '../../src/queue/queues';
import { createLogger } from '../../src/shared/logger';
import { createMetrics } from '../../src/shared/metrics';
import { FixedClock } from '../../src/time/clock';
import type { Role } from '../../src/modules/auth/auth.service';
import { createTestDatabase, type TestDatabase } from './database';
import { TEST_REDIS_URL } from './test-env';

export interface TestContext extends Infrastructure {
  clock: FixedClock;
  database: TestDatabase;
  services: Services;
  app: FastifyInstance;
  /** `Authorization` headers for a fresh key of the given role. */
  auth(role?: Role): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export interface TestContextOptions {
  now?: string;
  env?: Record<string, string>;
  /** What `/healthz` asks (main.ts passes its monitor); without it the process counts as alive. */
  liveness?: AppDeps['liveness'];
}

/**
 * A whole Carebeat for one suite: its own database, its own BullMQ prefix, a pinned clock and
 * the real app. Nothing is shared with other suites, so they run side by side.
 */
export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `cbt-${randomBytes(4).toString('hex')}`,
    QUIET_HOURS: 'off',
    ...options.env,
  });
  const clock = new FixedClock(options.now ?? '2027-03-10T02:00:00Z');
  const logger = createLogger(config);
  const queues = createQueues(config, { logger, clock });
  const infra: Infrastructure = { config, db: database.db, queues, clock, logger, metrics: createMetrics() };
  const services = createServices(infra);
  const app = await buildApp({ ...infra, services, pingDatabase: database.ping, liveness: options.liveness });
  await app.ready();
  const keys = new Map<Role, string>();
  return {
    ...infra,
    clock,
    database,
    services,
    app,
    async auth(role: Role = 'admin') {
      let key = keys.get(role);
      if (!key) {
        key = (await services.auth.create({ name: `test ${role}`, role })).key;
        keys.set(role, key);
      }
      return { authorization: `Bearer ${key}` };
    },
    async close() {
      await app.close();
      await deleteQueueKeys(queues.connection, config.QUEUE_PREFIX);
      await queues.close();
      await database.drop();
    },
  };
}

/** Leaves nothing behind in the shared Redis. */
export async function deleteQueueKeys(redis: import('ioredis').Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
