import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../container/types';
import { authRoutes } from './auth/auth.routes';
import { messagesRoutes } from './messages/messages.routes';
import { contactsRoutes } from './contacts/contacts.routes';
import { contactsBulkRoutes } from './contacts/contacts-bulk.routes';
import { holidaysRoutes } from './holidays/holidays.routes';
import { ordersRoutes } from './orders/orders.routes';
import { automationsRoutes } from './automations/automations.routes';
import { templatesRoutes } from './templates/templates.routes';
import { unsubscribeRoutes } from './unsubscribe/unsubscribe.routes';
import { twilioWebhookRoutes } from './webhooks/twilio-webhooks.routes';
import { createTwilioSignatureVerifier } from './webhooks/twilio-signature';
import { gatewayWebhookRoutes } from './webhooks/gateway-webhooks.routes';
import { segmentsRoutes } from './segments/segments.routes';
import { campaignsRoutes } from './campaigns/campaigns.routes';
import { settingsRoutes } from './settings/settings.routes';
import { statsRoutes } from './stats/stats.routes';
import { lifecycleJourneysRoutes } from './lifecycle-journeys/lifecycle-journeys.routes';
import { feedbackRoutes } from './feedback/feedback.routes';
import { surveyPageRoutes } from './feedback/survey-page.routes';
import { reportsRoutes } from './reports/reports.routes';
import { couponsRoutes } from './coupons/coupons.routes';
import { referralsRoutes } from './coupons/referrals.routes';

/** Every domain's HTTP routes, in one list so `buildApp` stays free of domain knowledge. */
export function routeModules({ services, config }: AppDeps): FastifyPluginAsyncZod[] {
  const verifyTwilio = createTwilioSignatureVerifier({ authToken: config.TWILIO_AUTH_TOKEN, publicBaseUrl: config.PUBLIC_BASE_URL });
  return [authRoutes(services.auth, { timeZone: config.DEFAULT_TIMEZONE }), messagesRoutes(services.messages), templatesRoutes(services.templates), unsubscribeRoutes(services.unsubscribe),
    twilioWebhookRoutes({ webhooks: services.twilioWebhooks, verify: verifyTwilio }),
    contactsRoutes(services.contacts, services.contactsImport, {
      maxBytes: config.IMPORT_MAX_BYTES, maxRowBytes: config.IMPORT_MAX_ROW_BYTES, timeoutMs: config.IMPORT_TIMEOUT_MS,
    }),
    holidaysRoutes(services.holidays),
    ordersRoutes(services.orders), automationsRoutes(services.automations),
    segmentsRoutes(services.segments), campaignsRoutes(services.campaigns), statsRoutes(services.stats),
    lifecycleJourneysRoutes(services.lifecycleJourneys),
    feedbackRoutes(services.feedback),
    surveyPageRoutes({ surveys: services.feedback.surveys, brandName: async () => (await services.settings.brand()).name, publicBaseUrl: config.PUBLIC_BASE_URL }),
    contactsBulkRoutes(services.contactsBulk),
    gatewayWebhookRoutes({ webhooks: services.gatewayWebhooks, secret: config.GATEWAY_WEBHOOK_SECRET }),
    settingsRoutes(services.settings),
    reportsRoutes(services.reports),
    couponsRoutes(services.coupons, { maxBytes: config.IMPORT_MAX_BYTES, timeoutMs: config.IMPORT_TIMEOUT_MS }), referralsRoutes(services.referrals)];
}
