import { WorkerProcess } from '../../drills/support/worker-process';
import { QueueName } from '../../src/queue/jobs';
import { startQueueWorkers } from '../../workers';
import { createJobRegistry } from '../../workers/job-registry';
import { waitFor, type BenchEnv } from './bench-env';
import { processCpuMs } from './cpu-meter';

/** The SMS send workers a bench runs: in this process, or as real `worker` role processes. */
export interface BenchSendWorkers {
  /** CPU seconds the worker processes used so far (0 in-process: this process's meter counts it). */
  childCpuSeconds(): Promise<number>;
  close(): Promise<void>;
}

/**
 * `processes` 0 runs one send worker inside the bench process (its CPU shows as the bench's);
 * n > 0 starts n `worker` role processes from the compiled entry point with the bench's config,
 * each with the given concurrency — how a deployment scales out.
 */
export async function startSendWorkers(env: BenchEnv, processes: number, concurrency: number): Promise<BenchSendWorkers> {
  if (processes === 0) {
    const worker = await startQueueWorkers([QueueName.SendSms], createJobRegistry(env), env.queues);
    return { childCpuSeconds: async () => 0, close: () => worker.close() };
  }
  const children = Array.from({ length: processes }, () => new WorkerProcess({
    ...env.vars, WORKER_CONCURRENCY: String(concurrency), SMS_PROVIDER: 'console', EMAIL_PROVIDER: 'console', DATABASE_POOL_MAX: String(Math.min(concurrency + 4, 40)),
  }));
  children.forEach((child) => child.start());
  const queue = env.queues.get('send-sms');
  const ready = await waitFor(async () => (await queue.getWorkers()).length >= processes, 30_000);
  if (!ready) throw new Error(`send worker processes did not start:\n${children.flatMap((child) => child.output).join('')}`);
  return {
    childCpuSeconds: async () => (await Promise.all(children.map((child) => (child.pid ? processCpuMs(child.pid) / 1000 : 0)))).reduce((a, b) => a + b, 0),
    close: async () => {
      await Promise.all(children.map((child) => child.stop()));
    },
  };
}
