import { createHash } from 'node:crypto';
import type { Config } from '../../config';
import type { MessageStatus } from '../../db/schema';
import type { Clock } from '../../time/clock';
import type { MessageRow, TransitionFields } from '../messages/message-rows';
import type { SendOutcome, SendRequest } from './send.types';

/** The job key of the messages of one run re-queued for the same reason (`tag`), see SendRequest.runId. */
const requeueKey = (runId: string, tag: string): string => createHash('sha1').update(`${runId}|${tag}`).digest('hex').slice(0, 32);

type Move = (message: MessageRow, from: MessageStatus[], to: MessageStatus, reason: string | null, fields?: TransitionFields, refundAttempt?: boolean) => Promise<unknown>;

interface RequeueDeps {
  /** The send service's guarded transition (with its metrics). */
  move: Move;
  clock: Clock;
  config: Pick<Config, 'SEND_ATTEMPTS' | 'SEND_BACKOFF_MS'>;
}

/**
 * The two ways a claimed message goes back to `queued`: a hold (quiet hours, a paused campaign) and a
 * retry. Either way it alone moves to a new job key, which the transition writes, and the outcome
 * carries what the job runner (send-batch.ts) enqueues: a job of its own, due when it may go again.
 */
export function createRequeue({ move, clock, config }: RequeueDeps) {
  /** Holds a claimed message until `until` in a job of its own; the hold does not count as an attempt. */
  async function hold(message: MessageRow, request: SendRequest, until: Date, reason: string): Promise<SendOutcome> {
    const jobKey = requeueKey(request.runId, `until:${Math.ceil(until.getTime() / 1000)}`);
    await move(message, ['sending'], 'queued', reason, { scheduledAt: until, jobKey }, true);
    return { outcome: 'deferred', reason, requeue: { id: message.id, channel: message.channel, scheduledAt: until, jobKey } };
  }

  /**
   * A failure that provably did not reach the recipient: queued again after the message's own
   * exponential backoff (SEND_BACKOFF_MS × 2^(attempt−1)), or failed once SEND_ATTEMPTS are spent.
   */
  async function retryOrFail(message: MessageRow, request: SendRequest, reason: string, fields?: TransitionFields): Promise<SendOutcome> {
    const attempt = message.attempts;
    if (attempt >= config.SEND_ATTEMPTS) {
      await move(message, ['sending'], 'failed', `attempts exhausted: ${reason}`, { ...fields, error: reason });
      return { outcome: 'failed', reason };
    }
    const jobKey = requeueKey(request.runId, `retry:${attempt}`);
    const at = new Date(clock.now().getTime() + config.SEND_BACKOFF_MS * 2 ** (attempt - 1));
    await move(message, ['sending'], 'queued', `retry ${attempt + 1}/${config.SEND_ATTEMPTS} after: ${reason}`, { ...fields, error: reason, jobKey });
    // The row keeps its scheduled time; only the job waits out the backoff.
    return { outcome: 'retry', reason, requeue: { id: message.id, channel: message.channel, scheduledAt: at, jobKey } };
  }

  return { hold, retryOrFail };
}
