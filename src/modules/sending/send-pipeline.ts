/**
 * The send path: one message from its outbox row to the provider call, top to bottom.
 *
 * Before this folder: the outbox writes the row and enqueues a job carrying only its id
 * (messages/outbox.service.ts, queue/send-jobs.ts); the BullMQ worker (workers/send.worker.ts)
 * calls `send(messageId)` and turns the outcome into what BullMQ understands. From there, read:
 *
 *   1. send-pipeline.ts   (this file) how the pieces are wired, and with what.
 *   2. send.service.ts    the steps: claim → gate → render → provider → record.
 *   3. send.repository.ts every read and write the steps make, each micro-batched across the
 *                         sends in flight: claim (the message with its contact), the gate's reads
 *                         (paused campaign, suppression, frequency cap), `sent`, other transitions.
 *   4. send-gate.ts       the send-time checks, in the order their verdicts win.
 *   5. send.statements.ts the SQL behind the repository, one statement per batch.
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
import { createSendGate } from './send-gate';
import { createSendRepository, type SendBatchOptions } from './send.repository';
import { createSendService, type SendServiceDeps } from './send.service';

export interface SendPipelineDeps extends Pick<SendServiceDeps, 'providers' | 'render' | 'unsubscribeLink' | 'optOut' | 'clock' | 'metrics'> {
  db: Db;
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'QUIET_HOURS' | 'FREQUENCY_CAP' | 'FREQUENCY_CAP_DAYS' | 'DEFAULT_COUNTRY'>;
  /** Micro-batch sizes; the defaults are what the send benchmark measured. */
  batching?: SendBatchOptions;
}

/**
 * Wires the send path. Returns the service the workers call and the repository, whose guarded
 * `transition` the message log (resend, mark-sent) and provider callbacks use too.
 */
export function createSendPipeline(deps: SendPipelineDeps) {
  const { clock, config } = deps;
  const repository = createSendRepository(deps.db, deps.batching);
  const gate = createSendGate({ repository, clock, config });
  const send = createSendService({
    repository, gate, render: deps.render, providers: deps.providers, optOut: deps.optOut,
    unsubscribeLink: deps.unsubscribeLink, clock, metrics: deps.metrics, config,
  });
  return { send, repository };
}
