import { Worker, type ConnectionOptions } from 'bullmq';
import type { Infrastructure, Services } from '../src/container/types';
import type { QueueName } from '../src/queue/jobs';
import type { Queues } from '../src/queue/queues';
import type { JobHandler } from './job-handler';
import { createJobRegistry, queuesOf, type JobRegistry, type WorkerRole } from './job-registry';

export interface RunningWorkers {
  close(): Promise<void>;
}

/** Starts the BullMQ processors of the `worker` role: one send worker per channel, and the fan-out. */
export function startWorkers(infra: Infrastructure, services: Services): Promise<RunningWorkers> {
  return startRole('worker', createJobRegistry({ ...infra, services }), infra.queues);
}

/** Starts the `scheduler` role: the repeatable tick job and its processor. */
export function startScheduler(infra: Infrastructure, services: Services): Promise<RunningWorkers> {
  return startRole('scheduler', createJobRegistry({ ...infra, services }), infra.queues);
}

/** Starts every queue of a role from the registry. */
export function startRole(role: WorkerRole, registry: JobRegistry, queues: Queues): Promise<RunningWorkers> {
  return startQueueWorkers(queuesOf(role), registry, queues, `the ${role} role`);
}

/**
 * Starts one worker per queue and waits until each is connected. Refuses to start any if one of
 * the queues has no processor: a role that silently left a queue unworked would look healthy.
 */
export async function startQueueWorkers(names: QueueName[], registry: JobRegistry, queues: Queues, what = 'the workers'): Promise<RunningWorkers> {
  const missing = names.filter((name) => !registry[name]);
  if (missing.length) {
    throw new Error(`${what} cannot start: no processor registered for queue ${missing.map((name) => `"${name}"`).join(', ')}; ` +
      'add one to the job registry (workers/job-registry.ts)');
  }
  const handlers: [QueueName, JobHandler][] = names.map((name) => [name, registry[name]]);
  for (const [, handler] of handlers) await handler.prepare?.();
  const workers = handlers.map(([name, handler]) => createQueueWorker(name, handler, queues));
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  // close() lets in-flight jobs finish, so a SIGTERM never leaves a row `sending`.
  return { close: async () => void (await Promise.all(workers.map((worker) => worker.close()))) };
}

function createQueueWorker(name: QueueName, handler: JobHandler, queues: Queues): Worker {
  const worker = new Worker(name, handler.process, {
    ...handler.options, connection: queues.connection as ConnectionOptions, prefix: queues.prefix,
  });
  // BullMQ reconnects by itself; the log says when trouble began and ended, once per outage.
  worker.on('error', (error) => queues.errors.report({ queue: name, source: 'worker' }, error));
  return worker;
}
