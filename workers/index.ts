import type { Infrastructure, Services } from '../src/container/types';
import { createSchedulerWorker } from './scheduler.worker';
import { createSendWorker } from './send.worker';
import { createFanoutWorker } from './fanout.worker';

export interface RunningWorkers {
  close(): Promise<void>;
}

/** Starts the BullMQ processors of the `worker` role: one send worker per channel. */
export async function startWorkers(infra: Infrastructure, services: Services): Promise<RunningWorkers> {
  const workers: Array<{ waitUntilReady(): Promise<unknown>; close(): Promise<void> }> = (['sms', 'email'] as const).map((channel) =>
    createSendWorker({ channel, send: services.send, queues: infra.queues, clock: infra.clock, config: infra.config }));
  workers.push(createFanoutWorker({ campaigns: services.campaigns, queues: infra.queues }));
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  // close() lets in-flight sends finish, so a SIGTERM never leaves a row `sending`.
  return { close: async () => void (await Promise.all(workers.map((worker) => worker.close()))) };
}

/** Starts the `scheduler` role: the repeatable tick job and its processor. */
export async function startScheduler(infra: Infrastructure, services: Services): Promise<RunningWorkers> {
  const worker = await createSchedulerWorker({ tick: services.tick, queues: infra.queues, clock: infra.clock, config: infra.config });
  return { close: () => worker.close() };
}
