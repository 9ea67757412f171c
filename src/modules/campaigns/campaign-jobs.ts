import type { Job } from 'bullmq';
import { messageIdsOf, QueueName, sendJobIdOf, sendQueueFor, type SendJob } from '../../queue/jobs';
import type { Queues } from '../../queue/queues';

/** Send jobs of cancelled messages removed right away; beyond this the send worker skips them (the claim's status check). */
const DROP_JOBS_MAX = 1_000;

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

  /**
   * Removes the send jobs that hold only these (cancelled) messages. A batch that also holds other
   * messages stays: it sends those, and finds nothing to claim for the cancelled ones.
   */
  const dropSendJobs = async (messages: { id: string; channel: 'sms' | 'email'; jobKey: string | null }[]) => {
    const cancelled = new Set(messages.map((message) => message.id));
    const jobs = new Map(messages.map((message) => [sendJobIdOf(message), sendQueueFor(message.channel)]));
    const capped = [...jobs].slice(0, DROP_JOBS_MAX);
    await Promise.all(capped.map(async ([jobId, queueName]) => {
      const job = (await queues.get(queueName).getJob(jobId)) as Job<SendJob> | undefined;
      if (job && messageIdsOf(job.data).every((id) => cancelled.has(id))) await job.remove().catch(() => 0); // a locked job is already sending
    }));
  };

  return { enqueueFanout, dropSendJobs };
}
