import type { Config } from '../config';
import type { Db } from '../db/client';
import type { AuthService } from '../modules/auth/auth.service';
import type { AutomationsService } from '../modules/automations/automations.service';
import type { BirthdayGreetingsService } from '../modules/automations/birthday-greetings.service';
import type { FestivalGreetingsService } from '../modules/automations/festival-greetings.service';
import type { ConsentService } from '../modules/consent/consent.service';
import type { ContactsImporter } from '../modules/contacts/contacts.import';
import type { ContactsBulkService } from '../modules/contacts/contacts-bulk.service';
import type { ContactsService } from '../modules/contacts/contacts.service';
import type { HolidaysService } from '../modules/holidays/holidays.service';
import type { CouponsService } from '../modules/coupons/coupons.service';
import type { ReferralsService } from '../modules/coupons/referrals.service';
import type { LifecycleJourneysService } from '../modules/lifecycle-journeys/lifecycle-journeys.service';
import type { IdempotencyService } from '../modules/idempotency/idempotency.service';
import type { OutboxService } from '../modules/messages/outbox.service';
import type { ReconcileService } from '../modules/messages/reconcile.service';
import type { SendPipeline } from '../modules/sending/send-pipeline';
import type { SendService } from '../modules/sending/send.service';
import type { TickService } from '../modules/messages/tick.service';
import type { OrderNoticesService } from '../modules/orders/order-notices.service';
import type { OrdersService } from '../modules/orders/orders.service';
import type { SecretsService } from '../modules/secrets/secrets.service';
import type { SegmentsService } from '../modules/segments/segments.service';
import type { SettingsService } from '../modules/settings/settings.service';
import type { StatsService } from '../modules/stats/stats.service';
import type { ReportsService } from '../modules/reports/reports.service';
import type { ReportRollup } from '../modules/reports/reports.rollup';
import type { LifecycleSnapshot } from '../modules/reports/reports.lifecycle-snapshot';
import type { OutcomeRollup } from '../modules/reports/reports.outcome-rollup';
import type { TemplatesService } from '../modules/templates/templates.service';
import type { UnsubscribeService } from '../modules/unsubscribe/unsubscribe.service';
import type { TwilioWebhooksService } from '../modules/webhooks/twilio-webhooks.service';
import type { GatewayWebhooksService } from '../modules/webhooks/gateway-webhooks.service';
import type { Providers } from '../providers/types';
import type { Queues } from '../queue/queues';
import type { LivenessMonitor } from '../shared/liveness';
import type { Logger } from '../shared/logger';
import type { Metrics } from '../shared/metrics';
import type { Clock } from '../time/clock';
import type { Campaigns } from './campaigns';
import type { MessageLog } from './delivery';
import type { Feedback } from './feedback';

/**
 * The shapes the composition root takes and hands out, in one file that imports only types, so
 * `app.ts`, the route list, the workers and the tests can all name them without importing each other.
 */

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

/** Every service, built by `createServices`; the API routes and the workers call these same ones. */
export interface Services {
  providers: Providers;
  auth: AuthService;
  idempotency: IdempotencyService;
  secrets: SecretsService;
  consent: ConsentService;
  unsubscribe: UnsubscribeService;
  templates: TemplatesService;
  contacts: ContactsService;
  contactsImport: ContactsImporter;
  /** Count, export and bulk actions over the contacts list, and one contact's opt-out. */
  contactsBulk: ContactsBulkService;
  holidays: HolidaysService;
  coupons: CouponsService;
  referrals: ReferralsService;
  outbox: OutboxService;
  /** `sendJob(channel)` runs a send job (the workers); `send` one message (tests, tools). */
  send: SendService & Pick<SendPipeline, 'sendJob'>;
  reconciler: ReconcileService;
  messages: MessageLog;
  twilioWebhooks: TwilioWebhooksService;
  /** Aliyun / Tencent Cloud delivery reports and replies. */
  gatewayWebhooks: GatewayWebhooksService;
  orders: OrdersService;
  /** Order notices and trip reminders: the orders service's order-change listener. */
  orderNotices: OrderNoticesService;
  birthdays: BirthdayGreetingsService;
  /** The standing festival greetings' tick step (`scheduleDue`). */
  festivals: FestivalGreetingsService;
  automations: AutomationsService;
  lifecycleJourneys: LifecycleJourneysService;
  segments: SegmentsService;
  campaigns: Campaigns;
  stats: StatsService;
  /** API.md "Reports: what care bought"; other modules add sections (`ReportSection`). */
  reports: ReportsService;
  /** The reports' daily rollup (refreshed by the tick's `report-rollup` step). */
  reportRollup: ReportRollup;
  /** The lifecycle chart's weekly snapshot (refreshed by the tick's `lifecycle-snapshot` step). */
  lifecycleSnapshot: LifecycleSnapshot;
  /** The reports' daily outcome rollup: attribution and the holdout comparison (the tick's `report-outcome-rollup` step). */
  outcomeRollup: OutcomeRollup;
  /** One scheduler tick: the outbox and the reconciler, then each module's due work. */
  tick: TickService;
  /** Replies inbox, satisfaction surveys and complaint tickets. */
  feedback: Feedback;
  /** The shop's settings (database over environment), read by preview, estimate and send. */
  settings: SettingsService;
}

/** What `buildApp` needs: the infrastructure, the services and the health probes. */
export interface AppDeps extends Infrastructure {
  services: Services;
  /** Readiness of PostgreSQL (the queues answer for Redis). */
  pingDatabase(): Promise<boolean>;
  /** Liveness for `/healthz` (main.ts starts one; without it the process counts as alive). */
  liveness?: Pick<LivenessMonitor, 'check'>;
}
