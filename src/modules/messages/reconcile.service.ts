import { randomUUID } from 'node:crypto';
import type { Config } from '../../config';
import { sendJobIdOf, sendQueueFor } from '../../queue/jobs';
import type { Queues } from '../../queue/queues';
import { assignJobKeys, enqueueSends, type DueSend } from '../../queue/send-jobs';
import type { Clock } from '../../time/clock';
import type { Metrics } from '../../shared/metrics';
import type { OutboxRepository } from './outbox.repository';

const BATCH = 500;
const MAX_BATCHES = 200;

interface ReconcileDeps {
  repository: OutboxRepository;
  queues: Queues;
  clock: Clock;
  metrics: Pick<Metrics, 'messagesByStatus'>;
  config: Pick<Config, 'STALE_SENDING_MS' | 'SEND_ATTEMPTS' | 'SEND_BACKOFF_MS' | 'SEND_BATCH_SIZE'>;
}

export interface ReconcileReport {
  markedUnknown: number;
  reEnqueued: number;
}

/**
 * PostgreSQL is the truth, Redis only moves work (DESIGN principle 1). This repairs the two ways
 * they drift apart: a worker that died mid-send (the row stays `sending`: it may have gone, so it
 * becomes `unknown`, never re-sent) and a lost job (the row is `queued` but Redis forgot it).
 */
export function createReconcileService({ repository, queues, clock, metrics, config }: ReconcileDeps) {
  async function expireStaleSending(now: Date): Promise<number> {
    const staleBefore = new Date(now.getTime() - config.STALE_SENDING_MS);
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const ids = await repository.expireStaleSending(staleBefore, now, BATCH);
      total += ids.length;
      if (ids.length < BATCH) break;
    }
    if (total) metrics.messagesByStatus.inc({ channel: 'any', status: 'unknown' }, total);
    return total;
  }

  /**
   * A job is there only while BullMQ will still run it (waiting, delayed, active…). Finished or
   * failed for good with its row still `queued` is as good as missing; so is a job hash outside every
   * list (`unknown`): after a Redis flush a worker still finishing a job can write its hash back, and
   * re-adding under the same id would be a no-op while that leftover exists. So both are removed first.
   */
  async function isMissing(message: DueSend): Promise<boolean> {
    const queue = queues.get(sendQueueFor(message.channel));
    const id = sendJobIdOf(message);
    const state = await queue.getJobState(id);
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
    await queue.remove(id).catch(() => 0); // a job that is locked right now is being worked: leave it
    return true;
  }

  /**
   * The messages of this page whose job is missing, moved to new batch jobs: new keys, not the old
   * job's id, because a batch may span pages (a re-add under the old id from this page would hide
   * the rest of the batch on the next) and because only the job holding a message may claim it, a
   * job that turns up late under the old id finds nothing to send.
   */
  async function reEnqueue(lost: DueSend[], now: Date): Promise<number> {
    const oldKeys = new Map(lost.map((message) => [message.id, message.jobKey]));
    const rekeyed = assignJobKeys(lost, config.SEND_BATCH_SIZE).map((message) => ({
      id: message.id, from: oldKeys.get(message.id) ?? null, to: message.jobKey ?? randomUUID(),
    }));
    const moved = await repository.rekeyQueued(rekeyed, now);
    await enqueueSends(queues, config, moved, now);
    return moved.length;
  }

  async function reEnqueueLost(now: Date): Promise<number> {
    let after: { scheduledAt: Date; id: string } | null = null;
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const queued = await repository.queuedAfter(after, BATCH);
      if (!queued.length) break;
      // One look per job, not per message: a batch's messages share theirs.
      const jobs = new Map(queued.map((message) => [sendJobIdOf(message), message]));
      const missingJobs = new Set<string>();
      await Promise.all([...jobs].map(async ([jobId, message]) => {
        if (await isMissing(message)) missingJobs.add(jobId);
      }));
      total += await reEnqueue(queued.filter((message) => missingJobs.has(sendJobIdOf(message))), now);
      after = queued[queued.length - 1];
      if (queued.length < BATCH) break;
    }
    return total;
  }

  return {
    async run(now: Date = clock.now()): Promise<ReconcileReport> {
      const markedUnknown = await expireStaleSending(now);
      const reEnqueued = await reEnqueueLost(now);
      return { markedUnknown, reEnqueued };
    },
  };
}
export type ReconcileService = ReturnType<typeof createReconcileService>;
