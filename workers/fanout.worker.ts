import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Campaigns } from '../src/container/campaigns';
import type { FanoutOutcome } from '../src/modules/campaigns/campaign-fanout.service';
import { QueueName, type FanoutJob } from '../src/queue/jobs';
import type { Queues } from '../src/queue/queues';

interface FanoutWorkerDeps {
  campaigns: Pick<Campaigns, 'processFanout'>;
  queues: Pick<Queues, 'connection' | 'prefix'>;
}

/**
 * Processes `campaign-fanout` jobs. A fan-out walks thousands of contacts, so few run at once;
 * a crash mid-way leaves the cursor in `campaign_runs` and the next attempt (or tick) resumes there.
 */
export function createFanoutWorker({ campaigns, queues }: FanoutWorkerDeps): Worker<FanoutJob, FanoutOutcome> {
  const worker = new Worker<FanoutJob, FanoutOutcome>(
    QueueName.Fanout,
    async (job: Job<FanoutJob, FanoutOutcome>) => campaigns.processFanout(job.data),
    { connection: queues.connection as ConnectionOptions, prefix: queues.prefix, concurrency: 2, lockDuration: 120_000 },
  );
  worker.on('error', () => undefined); // connection trouble: BullMQ reconnects by itself
  return worker;
}
