import type { JobsOptions } from 'bullmq';
import type { Config } from '../config';
import { sendJobId, sendQueueFor, type QueueName } from './jobs';
import type { Queues } from './queues';

export interface DueSend {
  id: string;
  channel: 'sms' | 'email';
  scheduledAt: Date;
}

type SendJobConfig = Pick<Config, 'SEND_ATTEMPTS' | 'SEND_BACKOFF_MS'>;

/**
 * Options of every send job. The job id is derived from the message id, so adding the same
 * message twice (a tick and the reconciler racing) is a no-op in BullMQ.
 */
export function sendJobOptions(config: SendJobConfig, messageId: string, delayMs: number): JobsOptions {
  return {
    jobId: sendJobId(messageId),
    delay: Math.max(0, Math.round(delayMs)),
    attempts: config.SEND_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.SEND_BACKOFF_MS },
    // PostgreSQL keeps the history; a finished job only has to stop blocking a re-enqueue.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** Enqueues due messages in bulk, one `addBulk` per channel queue. Delays are relative to `now`. */
export async function enqueueSends(queues: Queues, config: SendJobConfig, due: DueSend[], now: Date): Promise<void> {
  const byQueue = new Map<QueueName, DueSend[]>();
  for (const message of due) {
    const name = sendQueueFor(message.channel);
    const list = byQueue.get(name) ?? [];
    list.push(message);
    byQueue.set(name, list);
  }
  for (const [name, list] of byQueue) {
    await queues.addBulk(name as 'send-sms', list.map((message) => ({
      data: { messageId: message.id },
      opts: sendJobOptions(config, message.id, message.scheduledAt.getTime() - now.getTime()),
    })));
  }
}
