/**
 * The send path: one message from its outbox row to the provider call, top to bottom.
 *
 * Before this folder: the outbox writes the rows and enqueues jobs carrying their ids, the messages
 * due together in one job (messages/outbox.service.ts, queue/send-jobs.ts); the BullMQ worker
 * (workers/send.worker.ts) hands each job to `sendJob`. From there, read:
 *
 *   1. send-pipeline.ts   (this file) how the pieces are wired, and with what.
 *   2. send-batch.ts      one job: its messages side by side (in-flight bound, rate), each with its
 *                         own outcome; the held and the retried re-enqueued on their own.
 *   3. send.service.ts    one message: claim → gate → render → provider → record
 *                         (send.types.ts: its request and outcomes; send-requeue.ts: holds and retries).
 *   4. send.repository.ts every read and write the steps make, each micro-batched across the
 *                         sends in flight: claim (the message with its contact), the gate's reads
 *                         (paused campaign, suppression, frequency cap), `sent`, other transitions.
 *   5. send-gate.ts       the send-time checks, in the order their verdicts win.
 *   6. send.statements.ts the SQL behind the repository, one statement per batch.
 *   7. provider-calls.ts  the provider call, one per message or shared (`sendBatch`).
 *   (consent/consent-decision.ts: the consent rule the gate applies, a pure function.)
 *
 * Rendering is the templates module's `renderMessage`; the providers are `src/providers/`.
 *
 * Freshness: nothing on this path is cached between messages. The contact is the one the claim
 * statement read with this message; the suppression list, the campaign's status and the frequency
 * count are read after that claim, in a statement shared only by sends in flight at the same moment.
 * The one cache the path passes through is the templates' (TEMPLATE_CACHE_TTL_MS, see
 * docs/send-path.md); it holds template texts, never consent.
 */
import type { Config } from '../../config';
import type { Db } from '../../db/client';
import type { Channel } from '../../db/schema';
import type { Queues } from '../../queue/queues';
import { enqueueSends } from '../../queue/send-jobs';
import { createSendRate } from '../../queue/send-rate';
import { createSemaphore } from '../../shared/semaphore';
import { createProviderCalls } from './provider-calls';
import { createBatchSender, type BatchSender } from './send-batch';
import { createSendGate, type SendGateDeps } from './send-gate';
import { createSendRepository, type SendBatchOptions } from './send.repository';
import { createSendService, type SendServiceDeps } from './send.service';

export interface SendPipelineDeps extends Pick<SendServiceDeps, 'providers' | 'render' | 'unsubscribeLink' | 'optOut' | 'clock' | 'metrics'> {
  db: Db;
  queues: Pick<Queues, 'addBulk' | 'connection'>;
  config: SendServiceDeps['config'] & Pick<Config, 'QUIET_HOURS' | 'FREQUENCY_CAP' | 'FREQUENCY_CAP_DAYS' | 'DEFAULT_COUNTRY'
    | 'WORKER_CONCURRENCY' | 'SMS_RATE_PER_SECOND' | 'EMAIL_RATE_PER_SECOND' | 'QUEUE_PREFIX'>;
  /** Micro-batch sizes; the defaults are what the send benchmark measured. */
  batching?: SendBatchOptions;
  /** Quiet hours and the frequency cap from the shop's settings (see send-gate); the environment's without it. */
  sendPolicy?: SendGateDeps['policy'];
}

/**
 * Wires the send path. Returns what the workers call (`sendJob`, per channel), the one-message
 * service under it, and the repository, whose guarded `transition` the message log (resend,
 * mark-sent) and provider callbacks use too.
 */
export function createSendPipeline(deps: SendPipelineDeps) {
  const { clock, config, queues } = deps;
  const repository = createSendRepository(deps.db, deps.batching);
  const gate = createSendGate({ repository, clock, config, policy: deps.sendPolicy });
  const calls = createProviderCalls(deps.providers, deps.batching?.maxSize ?? 100);
  const send = createSendService({
    repository, gate, render: deps.render, providers: deps.providers, calls, optOut: deps.optOut,
    unsubscribeLink: deps.unsubscribeLink, clock, metrics: deps.metrics, config,
  });
  const senders = new Map<Channel, BatchSender>();
  /** The job runner of a channel, made on first use: its in-flight bound and rate are per process and channel. */
  const sendJob = (channel: Channel): BatchSender => {
    const existing = senders.get(channel);
    if (existing) return existing;
    const perSecond = channel === 'sms' ? config.SMS_RATE_PER_SECOND : config.EMAIL_RATE_PER_SECOND;
    const sender = createBatchSender({
      send,
      inFlight: createSemaphore(config.WORKER_CONCURRENCY),
      takeToken: createSendRate(queues.connection, `${config.QUEUE_PREFIX}:rate:${channel}`, perSecond),
      requeue: (due) => enqueueSends(queues, config, due, clock.now()),
    });
    senders.set(channel, sender);
    return sender;
  };
  return { send, sendJob, repository };
}
export type SendPipeline = ReturnType<typeof createSendPipeline>;
