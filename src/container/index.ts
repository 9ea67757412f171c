import { withApiKeyCache } from '../modules/auth/api-key-cache';
import { createAuthRepository } from '../modules/auth/auth.repository';
import { createAuthService } from '../modules/auth/auth.service';
import { createAutomationsRepository } from '../modules/automations/automations.repository';
import { createAutomationsService } from '../modules/automations/automations.service';
import { createBirthdayGreetingsService } from '../modules/automations/birthday-greetings.service';
import { createBirthdaysRepository } from '../modules/automations/birthdays.repository';
import { createFestivalGreetingsService } from '../modules/automations/festival-greetings.service';
import { createFestivalMessagesRepository } from '../modules/automations/festival-messages.repository';
import { createFestivalRunsRepository } from '../modules/automations/festival-runs.repository';
import { createConsentRepository } from '../modules/consent/consent.repository';
import { createConsentService } from '../modules/consent/consent.service';
import { createContactsImporter } from '../modules/contacts/contacts.import';
import { createContactsBulkService } from '../modules/contacts/contacts-bulk.service';
import { createContactsRepository } from '../modules/contacts/contacts.repository';
import { createContactsService } from '../modules/contacts/contacts.service';
import { createHolidaysRepository } from '../modules/holidays/holidays.repository';
import { createHolidaysService } from '../modules/holidays/holidays.service';
import { createCouponsRepository } from '../modules/coupons/coupons.repository';
import { createCouponsService } from '../modules/coupons/coupons.service';
import { createReferralsRepository } from '../modules/coupons/referrals.repository';
import { createReferralsService } from '../modules/coupons/referrals.service';
import { createReferralLinks } from '../modules/coupons/referral-links';
import { createCouponsReportSection } from '../modules/coupons/coupons.report';
import { createIdempotencyRepository } from '../modules/idempotency/idempotency.repository';
import { createIdempotencyService } from '../modules/idempotency/idempotency.service';
import { createMessagesRepository } from '../modules/messages/messages.repository';
import { createTickService } from '../modules/messages/tick.service';
import { createLifecycleJourneysRepository } from '../modules/lifecycle-journeys/lifecycle-journeys.repository';
import { createLifecycleJourneysService } from '../modules/lifecycle-journeys/lifecycle-journeys.service';
import { createFirstOrderFollowUpRepository } from '../modules/orders/first-order-follow-up.repository';
import { createFirstOrderFollowUpService } from '../modules/orders/first-order-follow-up.service';
import { createOrderNoticeLogRepository } from '../modules/orders/order-notice-log.repository';
import { createOrderNoticesRepository } from '../modules/orders/order-notices.repository';
import { createOrderNoticesService } from '../modules/orders/order-notices.service';
import { createOrdersRepository } from '../modules/orders/orders.repository';
import { createOrdersService } from '../modules/orders/orders.service';
import { createSecretsRepository } from '../modules/secrets/secrets.repository';
import { createSecretsService } from '../modules/secrets/secrets.service';
import { createSegmentsRepository } from '../modules/segments/segments.repository';
import { createSegmentsService } from '../modules/segments/segments.service';
import { createSettingsRepository } from '../modules/settings/settings.repository';
import { createSettingsService } from '../modules/settings/settings.service';
import { createStatsRepository } from '../modules/stats/stats.repository';
import { createStatsService } from '../modules/stats/stats.service';
import { createReportsRepository } from '../modules/reports/reports.repository';
import { createReportsService, pricesFromSettings } from '../modules/reports/reports.service';
import { createReportRollup } from '../modules/reports/reports.rollup';
import { createLifecycleSnapshot } from '../modules/reports/reports.lifecycle-snapshot';
import { createOutcomeRollup } from '../modules/reports/reports.outcome-rollup';
import { createTemplatesRepository } from '../modules/templates/templates.repository';
import { createTemplatesService } from '../modules/templates/templates.service';
import { createUnsubscribeRepository } from '../modules/unsubscribe/unsubscribe.repository';
import { createUnsubscribeService } from '../modules/unsubscribe/unsubscribe.service';
import { createTwilioWebhooksService } from '../modules/webhooks/twilio-webhooks.service';
import { createGatewayWebhooksService } from '../modules/webhooks/gateway-webhooks.service';
import { createGatewayStatusPoll } from '../modules/webhooks/gateway-status-poll.service';
import { createWebhooksRepository } from '../modules/webhooks/webhooks.repository';
import { createProviders } from '../providers/registry';
import { wireCampaigns } from './campaigns';
import { wireDelivery } from './delivery';
import { wireFeedback } from './feedback';
import { withSurveyLinks } from '../modules/feedback/survey-links';
import { createSurveysReportSection } from '../modules/feedback/surveys.report';
import type { Infrastructure, Services } from './types';

/**
 * The composition root: the one place that builds repositories and hands each service only what
 * it uses (no globals, no service sees the whole infrastructure). `delivery.ts` and `campaigns.ts`
 * beside it wire the two groups that share repositories. The API routes and the workers call
 * these same services, so each rule lives in one place.
 */
export function createServices({ config, db, queues, clock, logger, metrics, providers: givenProviders }: Infrastructure): Services {
  // Every /v1 request authenticates: keys are cached a few seconds per process (cleared on delete).
  const auth = createAuthService({ repository: withApiKeyCache(createAuthRepository(db)) });
  const idempotency = createIdempotencyService({ repository: createIdempotencyRepository(db), clock });
  const secrets = createSecretsService({ repository: createSecretsRepository(db), configuredAppSecret: config.APP_SECRET });
  const consent = createConsentService({ repository: createConsentRepository(db), clock, defaultCountry: config.DEFAULT_COUNTRY });
  const unsubscribe = createUnsubscribeService({
    repository: createUnsubscribeRepository(db), secrets, consent, publicBaseUrl: config.PUBLIC_BASE_URL, mailFrom: config.MAIL_FROM,
  });
  // The shop's settings (brand, quiet hours, cap, prices): preview, estimate and send all read these.
  const settings = createSettingsService({ repository: createSettingsRepository(db), config, clock });
  const templates = createTemplatesService({ repository: createTemplatesRepository(db), config, brand: settings.brand });
  const automationSettings = createAutomationsRepository(db);
  const contactsRepository = createContactsRepository(db);
  const referralsRepository = createReferralsRepository(db);
  const referralLinks = createReferralLinks(referralsRepository);
  const contacts = createContactsService({
    repository: contactsRepository, automations: automationSettings, consent, clock, logger, config, referrals: referralLinks,
  });
  const contactsImport = createContactsImporter({
    contacts, defaultCountry: config.DEFAULT_COUNTRY, maxRejectedListed: config.IMPORT_MAX_REJECTED_LISTED, referrals: referralLinks,
  });
  const holidays = createHolidaysService({ repository: createHolidaysRepository(db), clock, config });
  const providers = givenProviders ?? createProviders(config, logger);
  const coupons = createCouponsService({ repository: createCouponsRepository(db), clock });

  const { outbox, send, reconciler, messages } = wireDelivery({
    db, queues, clock, metrics, config, providers, consent, unsubscribeLink: unsubscribe.linkFor,
    render: withSurveyLinks(templates.renderMessage, { appSecret: () => secrets.appSecret(), publicBaseUrl: config.PUBLIC_BASE_URL }),
    sendPolicy: settings.sendPolicy,
  });
  const feedback = wireFeedback({ db, clock, config, outbox, secrets, metrics });
  const twilioWebhooks = createTwilioWebhooksService({
    repository: createWebhooksRepository(db), consent, messages, templates, logger, replies: feedback.replies,
  });
  const gatewayWebhooks = createGatewayWebhooksService({ messages, inbound: twilioWebhooks, logger });
  const followUps = createFirstOrderFollowUpService({ outbox, repository: createFirstOrderFollowUpRepository(), clock });
  const orderNotices = createOrderNoticesService({ automations: automationSettings, outbox, repository: createOrderNoticesRepository(), clock });
  // Coupons on orders (couponCode redeems) and the referral reward, in the order's transaction too.
  const referrals = createReferralsService({ repository: referralsRepository, automations: automationSettings, coupons, outbox, clock, logger });
  // Order-change listeners run inside the order's transaction: the order notices stage and cancel theirs there.
  const orders = createOrdersService({
    repository: createOrdersRepository(db), notices: createOrderNoticeLogRepository(db), followUps, automations: automationSettings, clock,
    listeners: [orderNotices.onOrderChange, feedback.surveys.onOrderChange, referrals.onOrderChange],
  });
  const segments = createSegmentsService({ repository: createSegmentsRepository(db), clock, thresholds: config });
  const contactsBulk = createContactsBulkService({ repository: contactsRepository, contacts, segments, consent, clock });
  const birthdays = createBirthdayGreetingsService({
    repository: createBirthdaysRepository(db), automations: automationSettings, outbox, segments, clock, config,
  });
  const automations = createAutomationsService({
    repository: automationSettings, birthdays, holidays, festivalMessages: createFestivalMessagesRepository(db), segments, clock,
    defaultTimeZone: config.DEFAULT_TIMEZONE, templateKeys: templates.assertKey,
  });
  const lifecycleJourneys = createLifecycleJourneysService({
    repository: createLifecycleJourneysRepository(db), outbox, clock, thresholds: config, templateKeys: templates.assertKey,
  });
  const festivals = createFestivalGreetingsService({
    automations: automationSettings, runs: createFestivalRunsRepository(db), holidays, segments, outbox, clock,
  });
  const campaigns = wireCampaigns({
    db, queues, clock, logger, config, segments, outbox, holidays, render: templates.renderMessage, settings,
    templateKeys: templates.assertKey, coupons, createContact: (fields) => contacts.create(fields),
  });
  const stats = createStatsService({
    repository: createStatsRepository(db), messages: createMessagesRepository(db), clock, timeZone: config.DEFAULT_TIMEZONE,
    overdueTickets: feedback.tickets.countOverdue,
  });
  const reportRollup = createReportRollup(db, config.DEFAULT_TIMEZONE);
  const lifecycleSnapshot = createLifecycleSnapshot({ db, timeZone: config.DEFAULT_TIMEZONE, thresholds: config });
  const outcomeRollup = createOutcomeRollup(db, config.DEFAULT_TIMEZONE, config.ATTRIBUTION_DAYS);
  const reports = createReportsService({
    repository: createReportsRepository(db, reportRollup, outcomeRollup), clock, timeZone: config.DEFAULT_TIMEZONE, attributionDays: config.ATTRIBUTION_DAYS,
    thresholds: config, prices: async () => pricesFromSettings(await settings.current(), config.SMS_PROVIDER),
    sections: [createCouponsReportSection(db, config.DEFAULT_TIMEZONE), createSurveysReportSection(db, config.DEFAULT_TIMEZONE)],
    lifecycle: lifecycleSnapshot,
  });
  // The scheduler tick: outbox promotion and the reconciler first, then each module's due work.
  const tick = createTickService({
    outbox, reconciler, logger, tasks: [
      { name: 'birthdays', run: (now) => birthdays.scheduleDue(now) },
      { name: 'festivals', run: (now) => festivals.scheduleDue(now) },
      { name: 'first-order-follow-ups', run: (now) => orders.resumePendingFollowUps(now) },
      { name: 'campaigns', run: (now) => campaigns.runDue(now) },
      { name: 'lifecycle-journeys', run: (now) => lifecycleJourneys.scheduleDue(now) },
      { name: 'satisfaction-surveys', run: (now) => feedback.surveys.scheduleDue(now) },
      { name: 'report-rollup', run: (now) => reportRollup.refresh(now) },
      { name: 'report-outcome-rollup', run: (now) => outcomeRollup.refresh(now) },
      { name: 'lifecycle-snapshot', run: (now) => lifecycleSnapshot.refresh(now) },
      { name: 'gateway-status-poll', run: createGatewayStatusPoll({ db, sms: () => providers.sms, messages, afterMs: config.SMS_STATUS_POLL_AFTER_MS, logger }) },
    ],
  });
  return {
    providers, send, reconciler, messages, tick,
    auth, idempotency, secrets, consent, unsubscribe, twilioWebhooks, gatewayWebhooks, templates, contacts, contactsImport, holidays,
    outbox, orders, orderNotices, birthdays, festivals, automations, lifecycleJourneys, segments, campaigns, stats,
    feedback,
    contactsBulk,
    settings,
    reports,
    coupons, referrals,
    reportRollup,
    lifecycleSnapshot,
    outcomeRollup,
  };
}
