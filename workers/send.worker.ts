import type { Config } from '../src/config';
import type { SendPipeline } from '../src/modules/sending/send-pipeline';
import type { QueueName } from '../src/queue/jobs';
import type { JobHandler } from './job-handler';

interface SendWorkerDeps {
  channel: 'sms' | 'email';
  send: Pick<SendPipeline, 'sendJob'>;
  config: Pick<Config, 'WORKER_CONCURRENCY' | 'SEND_LOCK_MS'>;
}

type SendQueue = typeof QueueName.SendSms | typeof QueueName.SendEmail;

/**
 * The BullMQ side of sending: a job (messages due together, or one alone) goes to the send path's
 * job runner (modules/sending/send-batch.ts), which decides every message's fate, re-enqueues the
 * held and the retried on their own, and bounds the messages in flight and the provider's rate itself.
 * A job throws only when a message could not be handled at all; BullMQ then runs it again.
 */
export function sendJobHandler({ channel, send, config }: SendWorkerDeps): JobHandler<SendQueue> {
  const sendJob = send.sendJob(channel);
  return {
    process: (job) => sendJob(job.data),
    options: {
      // Jobs are taken as fast as messages leave: each job's messages then wait for one of the
      // WORKER_CONCURRENCY in-flight places, shared by all jobs of the process.
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.SEND_LOCK_MS,
      stalledInterval: config.SEND_LOCK_MS,
    },
  };
}
