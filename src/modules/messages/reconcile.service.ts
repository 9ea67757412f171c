import type { Config } from '../../config';
import { sendJobId, sendQueueFor } from '../../queue/jobs';
import type { Queues } from '../../queue/queues';
import { enqueueSends, type DueSend } from '../../queue/send-jobs';
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
  config: Pick<Config, 'STALE_SENDING_MS' | 'SEND_ATTEMPTS' | 'SEND_BACKOFF_MS'>;
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
    const id = sendJobId(message.id);
    const state = await queue.getJobState(id);
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
    await queue.remove(id).catch(() => 0); // a job that is locked right now is being worked: leave it
    return true;
  }

  async function reEnqueueLost(now: Date): Promise<number> {
    let after: { scheduledAt: Date; id: string } | null = null;
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const queued = await repository.queuedAfter(after, BATCH);
      if (!queued.length) break;
      const missing = await Promise.all(queued.map(isMissing));
      const lost = queued.filter((_, index) => missing[index]);
      // Same job id as before: if a job reappeared in the meantime BullMQ ignores the add.
      await enqueueSends(queues, config, lost, now);
      total += lost.length;
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
