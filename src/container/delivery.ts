import type { Config } from '../config';
import type { ContactRow } from '../db/schema';
import type { Db } from '../db/client';
import type { ConsentService } from '../modules/consent/consent.service';
import { createMessagesRepository } from '../modules/messages/messages.repository';
import { createMessagesService } from '../modules/messages/messages.service';
import { createOutboxRepository } from '../modules/messages/outbox.repository';
import { createOutboxService } from '../modules/messages/outbox.service';
import { createProviderStatusBatch, createProviderStatusService } from '../modules/messages/provider-status.service';
import { createReconcileService } from '../modules/messages/reconcile.service';
import { createSendPipeline, type SendPipelineDeps } from '../modules/sending/send-pipeline';
import type { MessageRenderer, UnsubscribeLink } from '../modules/sending/send.service';
import type { Providers } from '../providers/types';
import type { Queues } from '../queue/queues';
import type { Metrics } from '../shared/metrics';
import type { Clock } from '../time/clock';

export interface DeliveryDeps {
  db: Db;
  queues: Queues;
  clock: Clock;
  metrics: Metrics;
  config: Config;
  providers: Providers;
  consent: Pick<ConsentService, 'optOut'>;
  render: MessageRenderer;
  unsubscribeLink: (contact: ContactRow, address: string) => Promise<UnsubscribeLink>;
  /** Quiet hours and the frequency cap from the shop's settings. */
  sendPolicy?: SendPipelineDeps['sendPolicy'];
}

/**
 * Wires the delivery pipeline: the outbox everyone writes to, the send pipeline the workers call
 * (built in modules/sending, which owns its own repository), the reconciler and the ops-facing
 * message log. Part of the composition root (see index.ts); kept apart because these share
 * the outbox and send repositories.
 */
export function wireDelivery({ db, queues, clock, metrics, config, providers, consent, render, unsubscribeLink, sendPolicy }: DeliveryDeps) {
  const outboxRepository = createOutboxRepository(db);
  const messagesRepository = createMessagesRepository(db);

  const outbox = createOutboxService({ repository: outboxRepository, queues, clock, config });
  const { send, sendJob, repository: sendRepository } = createSendPipeline({
    db, queues, providers, render, unsubscribeLink, clock, metrics, config, sendPolicy,
    optOut: async (channel, address, reason) => void (await consent.optOut({ channel, address, source: 'provider', reason })),
  });
  const reconciler = createReconcileService({ repository: outboxRepository, queues, clock, metrics, config });
  const messages = createMessagesService({ repository: messagesRepository, sendRepository, outbox, clock, metrics });
  const applyProviderStatus = createProviderStatusService({ repository: messagesRepository, sendRepository, clock, metrics });
  const applyProviderStatuses = createProviderStatusBatch({ repository: messagesRepository, sendRepository, clock, metrics });

  return { outbox, send: { ...send, sendJob }, reconciler, messages: { ...messages, applyProviderStatus, applyProviderStatuses } };
}

/** The message log of the API, plus the provider status callbacks the webhooks apply. */
export type MessageLog = ReturnType<typeof wireDelivery>['messages'];
