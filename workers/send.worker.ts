import { DelayedError } from 'bullmq';
import type { Config } from '../src/config';
import type { SendOutcome, SendService } from '../src/modules/sending/send.service';
import type { QueueName } from '../src/queue/jobs';
import type { Clock } from '../src/time/clock';
import type { JobHandler } from './job-handler';

interface SendWorkerDeps {
  channel: 'sms' | 'email';
  send: Pick<SendService, 'send'>;
  clock: Clock;
  config: Pick<Config, 'WORKER_CONCURRENCY' | 'SMS_RATE_PER_SECOND' | 'EMAIL_RATE_PER_SECOND' | 'SEND_LOCK_MS'>;
}

type SendQueue = typeof QueueName.SendSms | typeof QueueName.SendEmail;

/** Thrown so BullMQ retries the job with its exponential backoff; the row is already `queued` again. */
export class RetryableSendError extends Error {}

/**
 * The BullMQ side of sending: the rules live in the send service; this only turns its outcome
 * into what BullMQ understands (re-delay for quiet hours, throw for a retry).
 */
export function sendJobHandler({ channel, send, clock, config }: SendWorkerDeps): JobHandler<SendQueue> {
  const rate = channel === 'sms' ? config.SMS_RATE_PER_SECOND : config.EMAIL_RATE_PER_SECOND;
  return {
    process: async (job, token): Promise<SendOutcome> => {
      const outcome = await send.send(job.data.messageId, { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 });
      switch (outcome.outcome) {
        case 'deferred':
          // BullMQ schedules on its own (real) clock; the wait is measured on ours.
          await job.moveToDelayed(Date.now() + Math.max(0, outcome.until.getTime() - clock.now().getTime()), token);
          throw new DelayedError(outcome.reason);
        case 'retry':
          throw new RetryableSendError(outcome.reason);
        default:
          return outcome;
      }
    },
    options: {
      concurrency: config.WORKER_CONCURRENCY,
      // The limiter's counter lives in Redis, so the rate holds across every worker process.
      limiter: { max: rate, duration: 1000 },
      lockDuration: config.SEND_LOCK_MS,
      stalledInterval: config.SEND_LOCK_MS,
    },
  };
}
