import { buildApp } from './app';
import { bootstrap } from './bootstrap';
import { ConfigError, loadConfig } from './config';
import { createServices } from './container';
import type { Infrastructure } from './container/types';
import { openDatabase } from './db/client';
import { migrateDatabase } from './db/migrate';
import { createQueues } from './queue/queues';
import { createLogger } from './shared/logger';
import { createMetrics } from './shared/metrics';
import { createLivenessMonitor } from './shared/liveness';
import { systemClock } from './time/clock';
import { startScheduler, startWorkers } from '../workers';

const ROLES = ['all', 'api', 'worker', 'scheduler', 'migrate'] as const;
type Role = (typeof ROLES)[number];

/** Process entry: `node dist/src/main.js <all|api|worker|scheduler|migrate>`. */
async function main(): Promise<void> {
  const role = (process.argv[2] ?? 'all') as Role;
  if (!ROLES.includes(role)) throw new ConfigError(`unknown role "${role}"; expected one of ${ROLES.join(', ')}`);
  const config = loadConfig();
  const logger = createLogger(config);
  if (!config.DATABASE_URL && role !== 'all' && role !== 'migrate') {
    logger.warn('PGlite is single-process: run split roles against a real PostgreSQL (DATABASE_URL)');
  }
  const database = await openDatabase(config, {
    onTimeout: (statement, ms) => logger.error({ statement, ms }, 'database statement cancelled: it ran or waited too long'),
    onSlow: (statement, ms) => logger.warn({ statement, ms }, 'embedded database held by one unit of work longer than DB_STATEMENT_TIMEOUT_MS'),
  });
  await migrateDatabase(database);
  if (role === 'migrate') {
    logger.info('migrations applied');
    await database.close();
    return;
  }

  const queues = createQueues(config, { logger, clock: systemClock });
  const infra: Infrastructure = { config, db: database.db, queues, clock: systemClock, logger, metrics: createMetrics() };
  const services = createServices(infra);
  const { generatedAdminKey } = await bootstrap(infra, services);

  const liveness = createLivenessMonitor({
    timeoutMs: config.LIVENESS_TIMEOUT_MS,
    ...(database.driver === 'pglite' ? { pingEmbedded: database.ping, embeddedBusy: database.busy } : {}),
  });
  liveness.start();

  const closers: Array<() => Promise<void>> = [];
  if (role === 'all' || role === 'worker') closers.push((await startWorkers(infra, services)).close);
  if (role === 'all' || role === 'scheduler') closers.push((await startScheduler(infra, services)).close);
  if (role === 'all' || role === 'api') {
    const app = await buildApp({ ...infra, services, pingDatabase: database.ping, liveness });
    await app.listen({ port: config.PORT, host: config.HOST });
    announce(`http://${config.HOST}:${config.PORT}`, generatedAdminKey);
    logger.info({ url: `http://${config.HOST}:${config.PORT}` }, 'API listening');
    closers.unshift(() => app.close());
  }
  else if (generatedAdminKey) announce(null, generatedAdminKey);
  logger.info({ role, database: database.driver }, 'carebeat started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A unit of work that hangs must not keep the process: after the grace period it exits anyway.
    setTimeout(() => {
      const busy = database.busy?.();
      logger.error({ busy }, `shutdown did not finish within ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    liveness.stop();
    for (const close of closers) await close().catch((err) => logger.error({ err }, 'error while closing'));
    await services.providers.close().catch((err) => logger.error({ err }, 'error while closing providers'));
    await queues.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * The boot banner, on stdout beside the logs: where the console, the API and its docs are, and the
 * admin key the one time it is generated (never stored in clear, so never shown again).
 */
function announce(base: string | null, generatedAdminKey: string | undefined): void {
  const lines = ['', '  Carebeat is running.'];
  if (base) lines.push(`    console  ${base}/console/`, `    API      ${base}/v1`, `    docs     ${base}/docs`);
  if (generatedAdminKey) lines.push('', '  Generated admin API key (shown once, keep it safe):', `    ${generatedAdminKey}`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`carebeat failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
