import { randomUUID } from 'node:crypto';
import { messageIdsOf, type SendJob } from '../../queue/jobs';
import type { DueSend } from '../../queue/send-jobs';
import type { Semaphore } from '../../shared/semaphore';
import type { SendService } from './send.service';
import type { SendOutcome } from './send.types';

export interface BatchSenderDeps {
  send: Pick<SendService, 'send'>;
  /**
   * Bounds the messages this process has in flight (claimed, not yet recorded) to WORKER_CONCURRENCY,
   * whatever the size of the jobs: that, and no more, is what a `kill -9` can leave `unknown`.
   */
  inFlight: Semaphore;
  /** One token of the provider's rate per message, shared by every worker process (queue/send-rate.ts). */
  takeToken: () => Promise<void>;
  /** Enqueues the messages held or to be retried, each under the job key its transition gave it. */
  requeue: (due: DueSend[]) => Promise<void>;
}

export type BatchReport = Partial<Record<SendOutcome['outcome'], number>>;

/**
 * Runs one send job: its messages (a batch due together, or one alone) go through the send service
 * side by side, each with its own outcome. Only the messages concerned move on: one held by quiet
 * hours or a paused campaign, or one to retry, is `queued` again under a job key of its own and
 * enqueued here, with its own delay. If a message could not be handled at all (PostgreSQL gone),
 * the job fails once the others are done and BullMQ runs it again: the re-run claims only the
 * messages still queued under this job's key, so none is sent twice.
 */
export function createBatchSender({ send, inFlight, takeToken, requeue }: BatchSenderDeps) {
  return async function sendJob(job: SendJob): Promise<BatchReport> {
    const ids = messageIdsOf(job);
    const request = { jobKey: job.jobKey ?? null, runId: randomUUID() };
    const settled = await Promise.allSettled(ids.map(async (messageId) => {
      const release = await inFlight.acquire();
      try {
        await takeToken();
        return await send.send({ ...request, messageId });
      } finally {
        release();
      }
    }));
    const outcomes = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    await requeue(outcomes.flatMap((outcome) => ('requeue' in outcome ? [outcome.requeue] : [])));
    const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
    const report: BatchReport = {};
    for (const { outcome } of outcomes) report[outcome] = (report[outcome] ?? 0) + 1;
    return report;
  };
}
export type BatchSender = ReturnType<typeof createBatchSender>;
