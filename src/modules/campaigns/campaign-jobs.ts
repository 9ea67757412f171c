import { QueueName, sendJobId, sendQueueFor } from '../../queue/jobs';
import type { Queues } from '../../queue/queues';

/** Cancelled queued messages whose jobs are removed right away; beyond this the send worker skips them (status check). */
const DROP_JOBS_MAX = 10_000;

/** What campaigns ask of the queues: start an occurrence's fan-out, and drop a cancelled campaign's send jobs. */
export function createCampaignJobs(queues: Pick<Queues, 'add' | 'get'>) {
  const enqueueFanout = (campaignId: string, occurrence: Date) =>
    queues.add(QueueName.Fanout, { campaignId, occurrence: occurrence.toISOString() }, {
      // One job per occurrence: re-adding while it waits or runs is a no-op.
      jobId: `fanout:${campaignId}:${occurrence.getTime()}`,
      removeOnComplete: true,
      removeOnFail: true,
      attempts: 3,
      backoff: { type: 'exponential', delay: 5000 },
    });

  const dropSendJobs = async (messages: { id: string; channel: 'sms' | 'email' }[]) => {
    const capped = messages.slice(0, DROP_JOBS_MAX);
    for (let i = 0; i < capped.length; i += 1000) {
      await Promise.all(capped.slice(i, i + 1000).map((message) =>
        queues.get(sendQueueFor(message.channel)).remove(sendJobId(message.id)).catch(() => 0))); // a locked job is already sending
    }
  };

  return { enqueueFanout, dropSendJobs };
}
