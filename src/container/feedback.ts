import type { Config } from '../config';
import type { Db } from '../db/client';
import { createRepliesRepository } from '../modules/feedback/replies.repository';
import { createRepliesService } from '../modules/feedback/replies.service';
import { createSurveySettingsRepository } from '../modules/feedback/survey-settings.repository';
import { createSurveysRepository } from '../modules/feedback/surveys.repository';
import { createSurveysService } from '../modules/feedback/surveys.service';
import { registerTicketMetrics } from '../modules/feedback/ticket-metrics';
import { createTicketsRepository } from '../modules/feedback/tickets.repository';
import { createTicketsService } from '../modules/feedback/tickets.service';
import type { OutboxService } from '../modules/messages/outbox.service';
import type { SecretsService } from '../modules/secrets/secrets.service';
import type { Metrics } from '../shared/metrics';
import type { Clock } from '../time/clock';

/**
 * Wires the feedback domain (replies inbox, satisfaction surveys, complaint tickets): part of the
 * composition root, kept apart because the three share repositories. The overdue-ticket gauge is
 * registered here and counted on each /metrics scrape.
 */
export function wireFeedback(deps: {
  db: Db; clock: Clock; config: Config; outbox: OutboxService; secrets: SecretsService; metrics: Metrics;
}) {
  const { db, clock, config, outbox } = deps;
  const surveysRepository = createSurveysRepository(db);
  const repliesRepository = createRepliesRepository(db);
  const tickets = createTicketsService({ repository: createTicketsRepository(db), replies: repliesRepository, surveys: surveysRepository, outbox, clock });
  const surveys = createSurveysService({
    settings: createSurveySettingsRepository(db), repository: surveysRepository, outbox, appSecret: () => deps.secrets.appSecret(), clock,
    publicBaseUrl: config.PUBLIC_BASE_URL, timeZone: config.DEFAULT_TIMEZONE, tickets,
  });
  const replies = createRepliesService({ repository: repliesRepository, surveys, tickets, clock });
  registerTicketMetrics(deps.metrics.registry, tickets.countOverdue);
  return { replies, surveys, tickets };
}
export type Feedback = ReturnType<typeof wireFeedback>;
