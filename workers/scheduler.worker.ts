import type { Config } from '../src/config';
import type { TickService } from '../src/modules/messages/tick.service';
import { QueueName } from '../src/queue/jobs';
import type { Queues } from '../src/queue/queues';
import type { Clock } from '../src/time/clock';
import type { JobHandler } from './job-handler';

export const TICK_SCHEDULER_ID = 'tick';

interface SchedulerDeps {
  tick: Pick<TickService, 'run'>;
  queues: Pick<Queues, 'get'>;
  clock: Clock;
  config: Pick<Config, 'SCHEDULER_TICK_MS'>;
}

/**
 * The tick is a BullMQ job scheduler, so however many scheduler processes run, each tick is
 * one job processed by one of them. Upserting on every start keeps the interval in step with config.
 */
export function tickJobHandler({ tick, queues, clock, config }: SchedulerDeps): JobHandler<typeof QueueName.Scheduler> {
  return {
    prepare: async () => void (await queues.get(QueueName.Scheduler).upsertJobScheduler(
      TICK_SCHEDULER_ID,
      { every: config.SCHEDULER_TICK_MS },
      { name: TICK_SCHEDULER_ID, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    )),
    process: async (job) => {
      if (job.name !== TICK_SCHEDULER_ID) throw new Error(`no handler for scheduler job "${job.name}"`);
      return tick.run(clock.now());
    },
    options: { concurrency: 1 },
  };
}
