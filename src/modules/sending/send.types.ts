import type { DueSend } from '../../queue/send-jobs';

/**
 * What a send attempt came to. Expected no-ops are results, not exceptions. A message held or to be
 * retried is `queued` again under a job key of its own (`requeue`), which the caller enqueues.
 */
export type SendOutcome =
  | { outcome: 'sent'; providerMessageId: string }
  | { outcome: 'skipped' | 'suppressed' | 'expired' | 'cancelled' | 'failed' | 'unknown'; reason: string }
  /** Quiet hours or a paused campaign: held until `requeue.scheduledAt`, the attempt not counted. */
  | { outcome: 'deferred'; reason: string; requeue: DueSend }
  /** A retryable failure: tried again after its own backoff (`requeue.scheduledAt`). */
  | { outcome: 'retry'; reason: string; requeue: DueSend };

/** One message of a send job. */
export interface SendRequest {
  messageId: string;
  /** The job's key (null: the message's own job); only the job holding the message may claim it. */
  jobKey: string | null;
  /**
   * Unique per run of the job. Messages of one run held until the same second, or retried at the
   * same attempt, share the key it seeds; a key never repeats an older run's, whatever became of that job.
   */
  runId: string;
}
