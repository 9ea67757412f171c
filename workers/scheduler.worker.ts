import { Worker, type ConnectionOptions } from 'bullmq';
import type { Config } from '../src/config';
import type { TickService } from '../src/modules/messages/tick.service';
import { QueueName } from '../src/queue/jobs';
import type { Queues } from '../src/queue/queues';
import type { Clock } from '../src/time/clock';

export const TICK_SCHEDULER_ID = 'tick';

interface SchedulerDeps {
  tick: Pick<TickService, 'run'>;
  queues: Queues;
  clock: Clock;
  config: Pick<Config, 'SCHEDULER_TICK_MS'>;
}

/**
 * The tick is a BullMQ job scheduler, so however many scheduler processes run, each tick is
 * one job processed by one of them. Upserting on every start keeps the interval in step with config.
 */
export async function createSchedulerWorker({ tick, queues, clock, config }: SchedulerDeps): Promise<Worker> {
  await queues.get(QueueName.Scheduler).upsertJobScheduler(
    TICK_SCHEDULER_ID,
    { every: config.SCHEDULER_TICK_MS },
    { name: TICK_SCHEDULER_ID, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  const worker = new Worker(QueueName.Scheduler, async (job) => {
    if (job.name !== TICK_SCHEDULER_ID) throw new Error(`no handler for scheduler job "${job.name}"`);
    return tick.run(clock.now());
  }, { connection: queues.connection as ConnectionOptions, prefix: queues.prefix, concurrency: 1 });
  worker.on('error', () => undefined);
  return worker;
}
