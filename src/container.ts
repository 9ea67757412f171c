import type { Config } from './config';
import type { Db } from './db/client';
import { withApiKeyCache } from './modules/auth/api-key-cache';
import { createAuthRepository } from './modules/auth/auth.repository';
import { createAuthService } from './modules/auth/auth.service';
import { createIdempotencyRepository } from './modules/idempotency/idempotency.repository';
import { createIdempotencyService } from './modules/idempotency/idempotency.service';
import { createConsentRepository } from './modules/consent/consent.repository';
import { createConsentService } from './modules/consent/consent.service';
import { createSecretsRepository } from './modules/secrets/secrets.repository';
import { createSecretsService } from './modules/secrets/secrets.service';
import { createUnsubscribeRepository } from './modules/unsubscribe/unsubscribe.repository';
import { createUnsubscribeService } from './modules/unsubscribe/unsubscribe.service';
import { createWebhooksRepository } from './modules/webhooks/webhooks.repository';
import { createTwilioWebhooksService } from './modules/webhooks/twilio-webhooks.service';
import { createTemplatesRepository } from './modules/templates/templates.repository';
import { createTemplatesService } from './modules/templates/templates.service';
import { createAutomationsRepository } from './modules/automations/automations.repository';
import { createContactsImporter } from './modules/contacts/contacts.import';
import { createContactsRepository } from './modules/contacts/contacts.repository';
import { createContactsService } from './modules/contacts/contacts.service';
import { createHolidaysRepository } from './modules/holidays/holidays.repository';
import { createHolidaysService } from './modules/holidays/holidays.service';
import { createMessaging } from './modules/messages/messaging';
import { createProviders } from './providers/registry';
import type { Providers } from './providers/types';
import { createOrdersRepository } from './modules/orders/orders.repository';
import { createOrdersService } from './modules/orders/orders.service';
import { createFirstOrderFollowUpRepository } from './modules/orders/first-order-follow-up.repository';
import { createFirstOrderFollowUpService } from './modules/orders/first-order-follow-up.service';
import { createAutomationsService } from './modules/automations/automations.service';
import { createBirthdaysRepository } from './modules/automations/birthdays.repository';
import { createBirthdayGreetingsService } from './modules/automations/birthday-greetings.service';
import { createSegmentsRepository } from './modules/segments/segments.repository';
import { createSegmentsService } from './modules/segments/segments.service';
import { createCampaignsModule } from './modules/campaigns/campaigns.module';
import { createMessagesRepository } from './modules/messages/messages.repository';
import { createStatsRepository } from './modules/stats/stats.repository';
import { createStatsService } from './modules/stats/stats.service';
import type { Queues } from './queue/queues';
import type { Logger } from './shared/logger';
import type { Metrics } from './shared/metrics';
import type { Clock } from './time/clock';

/** What every role of the process shares: built once in main.ts, or per suite in tests. */
export interface Infrastructure {
  config: Config;
  db: Db;
  queues: Queues;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Tests pass their own; otherwise the registry builds them from config. */
  providers?: Providers;
}

/**
 * Wires every service from its repositories and collaborators, explicitly (no globals).
 * The API routes and the workers call these same services, so each rule lives in one place.
 */
export function createServices(infra: Infrastructure) {
  const { db, clock } = infra;
  // Every /v1 request authenticates: keys are cached a few seconds per process (cleared on delete).
  const auth = createAuthService({ repository: withApiKeyCache(createAuthRepository(db)) });
  const idempotency = createIdempotencyService({ repository: createIdempotencyRepository(db), clock });
  const secrets = createSecretsService({ repository: createSecretsRepository(db), configuredAppSecret: infra.config.APP_SECRET });
  const consent = createConsentService({ repository: createConsentRepository(db), clock, defaultCountry: infra.config.DEFAULT_COUNTRY });
  const unsubscribe = createUnsubscribeService({
    repository: createUnsubscribeRepository(db), secrets, consent,
    publicBaseUrl: infra.config.PUBLIC_BASE_URL, mailFrom: infra.config.MAIL_FROM,
  });
  const templates = createTemplatesService({ repository: createTemplatesRepository(db), config: infra.config });
  const contactsRepository = createContactsRepository(db);
  const contacts = createContactsService({
    repository: contactsRepository, automations: createAutomationsRepository(db), consent, clock, logger: infra.logger, config: infra.config,
  });
  const contactsImport = createContactsImporter({
    contacts, defaultCountry: infra.config.DEFAULT_COUNTRY,
    maxRejectedListed: infra.config.IMPORT_MAX_REJECTED_LISTED,
  });
  const holidays = createHolidaysService({ repository: createHolidaysRepository(db), clock, config: infra.config });
  const providers = infra.providers ?? createProviders(infra.config, infra.logger);
  const messaging = createMessaging({
    infra, providers, consent, render: templates.renderMessage, unsubscribeLink: unsubscribe.linkFor,
  });
  const { outbox, send, reconciler, messages } = messaging;
  const twilioWebhooks = createTwilioWebhooksService({
    repository: createWebhooksRepository(db), consent, messages, templates, logger: infra.logger,
  });
  const automationSettings = createAutomationsRepository(db);
  const followUps = createFirstOrderFollowUpService({
    automations: automationSettings, outbox, repository: createFirstOrderFollowUpRepository(db), clock,
  });
  const orders = createOrdersService({ repository: createOrdersRepository(db), followUps, clock });
  const birthdays = createBirthdayGreetingsService({
    repository: createBirthdaysRepository(db), automations: automationSettings, outbox, clock, config: infra.config,
  });
  const automations = createAutomationsService({ repository: automationSettings, birthdays });
  // The scheduler tick: outbox promotion and the reconciler first, then each module's due work.
  const segments = createSegmentsService({ repository: createSegmentsRepository(db), clock, thresholds: infra.config });
  const campaigns = createCampaignsModule({
    db, queues: infra.queues, clock, logger: infra.logger, config: infra.config,
    segments, outbox, holidays, render: templates.renderMessage,
  });
  const stats = createStatsService({
    repository: createStatsRepository(db), messages: createMessagesRepository(db), clock, timeZone: infra.config.DEFAULT_TIMEZONE,
  });
  const tick = messaging.tickWith([
    { name: 'birthdays', run: (now) => birthdays.scheduleDue(now) },
    { name: 'first-order-follow-ups', run: (now) => orders.resumePendingFollowUps(now) },
    { name: 'campaigns', run: (now) => campaigns.runDue(now) },
  ]);
  return {
    providers, send, reconciler, messages, tick,
    auth, idempotency, secrets, consent, unsubscribe, twilioWebhooks, templates, contacts, contactsImport, holidays,
    outbox, orders, birthdays, automations, segments, campaigns, stats,
  };
}

export type Services = ReturnType<typeof createServices>;
