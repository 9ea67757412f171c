import type { ConsoleEmailProvider } from '../../src/providers/email/console.provider';
import type { ConsoleSmsProvider } from '../../src/providers/sms/console.provider';
import { startWorkers, type RunningWorkers } from '../../workers';
import { createTestContext, type TestContext, type TestContextOptions } from '../support/context';

export interface WorkerHarness {
  ctx: TestContext;
  sms: ConsoleSmsProvider;
  email: ConsoleEmailProvider;
  workers: RunningWorkers;
  close(): Promise<void>;
}

/** A test context with the real send workers running against its console providers. */
export async function startWorkerHarness(options: TestContextOptions = {}): Promise<WorkerHarness> {
  const ctx = await createTestContext({
    ...options,
    env: { SEND_ATTEMPTS: '3', SEND_BACKOFF_MS: '20', WORKER_CONCURRENCY: '5', ...options.env },
  });
  const workers = await startWorkers(ctx, ctx.services);
  return {
    ctx,
    workers,
    sms: ctx.services.providers.sms as ConsoleSmsProvider,
    email: ctx.services.providers.email as ConsoleEmailProvider,
    async close() {
      await workers.close();
      await ctx.close();
    },
  };
}
