import type { Infrastructure } from '../../container';
import type { ContactRow } from '../../db/schema';
import type { Providers } from '../../providers/types';
import type { ConsentService } from '../consent/consent.service';
import { createSendPipeline } from '../sending/send-pipeline';
import type { MessageRenderer, UnsubscribeLink } from '../sending/send.service';
import { createMessagesRepository } from './messages.repository';
import { createMessagesService } from './messages.service';
import { createOutboxRepository } from './outbox.repository';
import { createOutboxService } from './outbox.service';
import { createProviderStatusService } from './provider-status.service';
import { createReconcileService } from './reconcile.service';
import { createTickService, type NamedTickTask } from './tick.service';

export interface MessagingDeps {
  infra: Infrastructure;
  providers: Providers;
  consent: Pick<ConsentService, 'optOut'>;
  render: MessageRenderer;
  unsubscribeLink: (contact: ContactRow, address: string) => Promise<UnsubscribeLink>;
}

/**
 * The delivery pipeline's services, wired together: the outbox everyone writes to, the send
 * service the workers call, the reconciler and the ops-facing message log.
 */
export function createMessaging({ infra, providers, consent, render, unsubscribeLink }: MessagingDeps) {
  const { db, queues, clock, config, metrics } = infra;
  const outboxRepository = createOutboxRepository(db);
  const messagesRepository = createMessagesRepository(db);

  const outbox = createOutboxService({ repository: outboxRepository, queues, clock, config });
  const { send, repository: sendRepository } = createSendPipeline({
    db, providers, render, unsubscribeLink, clock, metrics, config,
    optOut: async (channel, address, reason) => void (await consent.optOut({ channel, address, source: 'provider', reason })),
  });
  const reconciler = createReconcileService({ repository: outboxRepository, queues, clock, metrics, config });
  const messages = createMessagesService({ repository: messagesRepository, sendRepository, outbox, clock, metrics });
  const applyProviderStatus = createProviderStatusService({ repository: messagesRepository, sendRepository, clock, metrics });
  /** Builds the scheduler tick; other modules' due-work runs after the outbox and the reconciler. */
  const tickWith = (tasks: NamedTickTask[]) => createTickService({ outbox, reconciler, tasks, logger: infra.logger });

  return { outbox, send, reconciler, messages: { ...messages, applyProviderStatus }, tickWith };
}
