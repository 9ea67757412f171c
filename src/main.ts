import { buildApp } from './app';
import { bootstrap } from './bootstrap';
import { ConfigError, loadConfig, type Config } from './config';
import { createServices, type Infrastructure } from './container';
import { openDatabase } from './db/client';
import { migrateDatabase } from './db/migrate';
import { createQueues } from './queue/queues';
import { createLogger } from './shared/logger';
import { createMetrics } from './shared/metrics';
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
  const database = await openDatabase(config);
  await migrateDatabase(database);
  if (role === 'migrate') {
    logger.info('migrations applied');
    await database.close();
    return;
  }

  const queues = createQueues(config);
  const infra: Infrastructure = { config, db: database.db, queues, clock: systemClock, logger, metrics: createMetrics() };
  const services = createServices(infra);
  const { generatedAdminKey } = await bootstrap(infra, services);
  if (generatedAdminKey) announceAdminKey(generatedAdminKey);
  warnAboutProductionSettings(config, logger);

  const closers: Array<() => Promise<void>> = [];
  if (role === 'all' || role === 'worker') closers.push((await startWorkers(infra, services)).close);
  if (role === 'all' || role === 'scheduler') closers.push((await startScheduler(infra, services)).close);
  if (role === 'all' || role === 'api') {
    const app = await buildApp({ ...infra, services, pingDatabase: database.ping });
    await app.listen({ port: config.PORT, host: config.HOST });
    const base = `http://${config.HOST}:${config.PORT}`;
    logger.info(`Carebeat API on ${base} — docs at ${base}/docs`);
    closers.unshift(() => app.close());
  }
  logger.info({ role, database: database.driver }, 'carebeat started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const close of closers) await close().catch((err) => logger.error({ err }, 'error while closing'));
    await services.providers.close().catch((err) => logger.error({ err }, 'error while closing providers'));
    await queues.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

function announceAdminKey(key: string): void {
  // Printed to stdout on purpose, not logged: it is shown this one time and never stored in clear.
  process.stdout.write(`\n  Generated admin API key (shown once, keep it safe):\n    ${key}\n\n`);
}

function warnAboutProductionSettings(config: Config, logger: ReturnType<typeof createLogger>): void {
  if (config.NODE_ENV === 'production' && !config.PUBLIC_BASE_URL.startsWith('https://')) {
    logger.warn('PUBLIC_BASE_URL is not https: RFC 8058 one-click unsubscribe requires https links');
  }
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`carebeat failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
