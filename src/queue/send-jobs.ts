import { randomUUID } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { Config } from '../config';
import { sendJobIdOf, sendQueueFor, type QueueName, type SendJob } from './jobs';
import type { Queues } from './queues';

/** A `queued` message and the job it travels in (`jobKey` null: its own job). */
export interface DueSend {
  id: string;
  channel: 'sms' | 'email';
  scheduledAt: Date;
  jobKey: string | null;
}

type SendJobConfig = Pick<Config, 'SEND_ATTEMPTS' | 'SEND_BACKOFF_MS'>;

/**
 * Options of every send job. The id comes from the batch (or the lone message), so adding the same
 * job twice (a tick and the reconciler racing) is a no-op in BullMQ. A job's own attempts cover a
 * batch that could not run at all (PostgreSQL down); a message's provider retries are its own,
 * each in a job of its own (sending/send-batch.ts).
 */
function sendJobOptions(config: SendJobConfig, jobId: string, delayMs: number): JobsOptions {
  return {
    jobId,
    delay: Math.max(0, Math.round(delayMs)),
    attempts: config.SEND_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.SEND_BACKOFF_MS },
    // PostgreSQL keeps the history; a finished job only has to stop blocking a re-enqueue.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/**
 * Gives the messages due together — same channel, same instant — a job key per `batchSize` of them.
 * One message alone keeps a null key (its own job). Keys are fresh UUIDs: a new batch never shares
 * an id with an older job, whatever state that job is in.
 */
export function assignJobKeys<M extends { channel: 'sms' | 'email'; scheduledAt: Date }>(due: M[], batchSize: number): (M & { jobKey: string | null })[] {
  const groups = new Map<string, M[]>();
  for (const message of due) {
    const key = `${message.channel}|${message.scheduledAt.getTime()}`;
    const group = groups.get(key) ?? [];
    group.push(message);
    groups.set(key, group);
  }
  const keyed: (M & { jobKey: string | null })[] = [];
  for (const group of groups.values()) {
    for (let at = 0; at < group.length; at += batchSize) {
      const batch = group.slice(at, at + batchSize);
      const jobKey = batch.length > 1 ? randomUUID() : null;
      for (const message of batch) keyed.push({ ...message, jobKey });
    }
  }
  return keyed;
}

/**
 * Enqueues due messages: one job per job key (its messages together), one per key-less message,
 * in one `addBulk` per channel queue. A batch waits until its latest member is due. Delays are
 * relative to `now`.
 */
export async function enqueueSends(queues: Pick<Queues, 'addBulk'>, config: SendJobConfig, due: DueSend[], now: Date): Promise<void> {
  const jobs = new Map<string, { queue: QueueName; data: SendJob; dueAt: number }>();
  for (const message of due) {
    const jobId = sendJobIdOf(message);
    const job = jobs.get(jobId) ?? { queue: sendQueueFor(message.channel), data: { messageIds: [], jobKey: message.jobKey }, dueAt: 0 };
    job.data.messageIds.push(message.id);
    job.dueAt = Math.max(job.dueAt, message.scheduledAt.getTime());
    jobs.set(jobId, job);
  }
  const byQueue = new Map<QueueName, { data: SendJob; opts: JobsOptions }[]>();
  for (const [jobId, job] of jobs) {
    const list = byQueue.get(job.queue) ?? [];
    list.push({ data: job.data, opts: sendJobOptions(config, jobId, job.dueAt - now.getTime()) });
    byQueue.set(job.queue, list);
  }
  for (const [name, list] of byQueue) await queues.addBulk(name as 'send-sms', list);
}
