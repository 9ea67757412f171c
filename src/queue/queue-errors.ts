import type { Logger } from '../shared/logger';
import type { Clock } from '../time/clock';

/** Where an error came from: a queue (enqueueing side), a worker, or the shared Redis connection. */
export interface QueueErrorSource {
  /** The queue's name; `all` for the Redis connection every queue shares. */
  queue: string;
  source: 'queue' | 'worker' | 'connection';
}

export interface QueueErrorLog {
  /** An `error` event of a queue, a worker or the connection. */
  report(from: QueueErrorSource, error: unknown): void;
  /** Redis answers again: every error still held ends here, with a line saying how many were held. */
  recovered(): void;
}

/** While the same error keeps coming, a reminder with the count is logged at most this often. */
const REMIND_EVERY_MS = 60_000;

interface Held {
  from: QueueErrorSource;
  firstAt: Date;
  lastLoggedAt: number;
  held: number;
}

const subjectOf = (from: QueueErrorSource) =>
  (from.source === 'connection' ? 'Redis connection' : `${from.source} of queue "${from.queue}"`);

/** Not `instanceof Error`: ioredis' errors may come from another realm (Jest's vm, worker threads). */
const messageOf = (error: unknown): string => {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
};

/**
 * Logs queue, worker and connection errors with their queue name, never swallowing one, but not
 * once per event. Why: during a Redis outage ioredis retries every 50 ms to 2 s and every queue and
 * worker (each with its own connection) reports every failed attempt, hundreds of identical lines a
 * minute that bury the lines that matter and can fill a disk. So each distinct error of each queue is
 * logged when it first appears, repeats are counted, a reminder is logged at most once a minute while
 * it lasts, and the recovery is logged with the count. A different error on the same queue is a
 * transition and is logged at once.
 */
export function createQueueErrorLog({ logger, clock }: { logger: Pick<Logger, 'error' | 'info'>; clock: Clock }): QueueErrorLog {
  const held = new Map<string, Held>();

  return {
    report(from, error) {
      const message = messageOf(error);
      const key = `${from.source}\u0000${from.queue}\u0000${message}`;
      const now = clock.now();
      const known = held.get(key);
      if (!known) {
        held.set(key, { from, firstAt: now, lastLoggedAt: now.getTime(), held: 0 });
        logger.error({ ...from, err: error }, `${subjectOf(from)} failed: ${message}`);
        return;
      }
      known.held += 1;
      if (now.getTime() - known.lastLoggedAt >= REMIND_EVERY_MS) {
        logger.error({ ...from, err: error, repeated: known.held, since: known.firstAt },
          `${subjectOf(from)} still failing: ${message}`);
        known.lastLoggedAt = now.getTime();
        known.held = 0;
      }
    },
    recovered() {
      if (held.size === 0) return;
      const now = clock.now();
      for (const { from, firstAt, held: count } of held.values()) {
        logger.info({ ...from, heldBack: count, downMs: now.getTime() - firstAt.getTime() }, `${subjectOf(from)} recovered`);
      }
      held.clear();
    },
  };
}
