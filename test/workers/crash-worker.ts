import { appendFileSync } from 'node:fs';
import { loadConfig } from '../../src/config';
import { createServices } from '../../src/container';
import { openPostgres } from '../../src/db/client';
import type { OutboundEmail, OutboundSms, Providers } from '../../src/providers/types';
import { createQueues } from '../../src/queue/queues';
import { createLogger } from '../../src/shared/logger';
import { createMetrics } from '../../src/shared/metrics';
import { FixedClock } from '../../src/time/clock';
import { startWorkers } from '../../workers';

/**
 * A send-worker process for the crash drill. Its provider appends each message id to a file
 * *before* answering, like a gateway that accepted the message: the file is the provider's
 * side of the truth, and survives the SIGKILL the test sends.
 */
async function main(): Promise<void> {
  const env = process.env;
  const config = loadConfig({
    NODE_ENV: 'test', LOG_LEVEL: 'silent', QUIET_HOURS: 'off',
    DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL, QUEUE_PREFIX: env.QUEUE_PREFIX,
    WORKER_CONCURRENCY: '5', SMS_RATE_PER_SECOND: '100', SEND_LOCK_MS: '1000',
  });
  const record = async (message: OutboundSms | OutboundEmail) => {
    appendFileSync(env.SEND_LOG!, `${message.messageId}\n`);
    await new Promise((resolve) => setTimeout(resolve, 15)); // the window in which a kill leaves a row `sending`
    return { providerMessageId: `rec-${message.messageId}` };
  };
  const providers: Providers = { sms: { id: 'recording', send: record }, email: { id: 'recording', send: record }, close: async () => undefined };
  const database = await openPostgres(config.DATABASE_URL!, 8);
  const clock = new FixedClock(env.NOW!);
  const logger = createLogger(config);
  const queues = createQueues(config, { logger, clock });
  const infra = { config, db: database.db, queues, clock, logger, metrics: createMetrics(), providers };
  const workers = await startWorkers(infra, createServices(infra));
  // Like main.ts: a SIGTERM lets in-flight sends finish, so only the SIGKILLed process leaves rows `sending`.
  process.once('SIGTERM', () => void workers.close().finally(() => process.exit(0)));
  process.stdout.write('ready\n');
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
