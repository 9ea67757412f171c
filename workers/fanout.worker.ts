import type { Campaigns } from '../src/container/campaigns';
import type { QueueName } from '../src/queue/jobs';
import type { JobHandler } from './job-handler';

/**
 * Processes `campaign-fanout` jobs. A fan-out walks thousands of contacts, so few run at once;
 * a crash mid-way leaves the cursor in `campaign_runs` and the next attempt (or tick) resumes there.
 */
export function fanoutJobHandler({ campaigns }: { campaigns: Pick<Campaigns, 'processFanout'> }): JobHandler<typeof QueueName.Fanout> {
  return {
    process: async (job) => campaigns.processFanout(job.data),
    options: { concurrency: 2, lockDuration: 120_000 },
  };
}
