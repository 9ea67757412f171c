import type { Config } from './config';
import type { Db } from './db/client';
import { createAuthRepository } from './modules/auth/auth.repository';
import { createAuthService } from './modules/auth/auth.service';
import { createIdempotencyRepository } from './modules/idempotency/idempotency.repository';
import { createIdempotencyService } from './modules/idempotency/idempotency.service';
import type { Queues } from './queue/queues';
import type { Logger } from './shared/logger';
import type { Metrics } from './shared/metrics';
import type { Clock } from './time/clock';

/** What every role of the process shares: built once in main.ts, or per suite in tests. */
export interface Infrastructure {
  config: Config;
  db: Db;
  queues: Queues;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Wires every service from its repositories and collaborators, explicitly (no globals).
 * The API routes and the workers call these same services, so each rule lives in one place.
 */
export function createServices(infra: Infrastructure) {
  const { db, clock } = infra;
  const auth = createAuthService({ repository: createAuthRepository(db) });
  const idempotency = createIdempotencyService({ repository: createIdempotencyRepository(db), clock });
  return { auth, idempotency };
}

export type Services = ReturnType<typeof createServices>;
