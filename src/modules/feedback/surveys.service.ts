import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Channel } from '../../db/schema';
import { NotFoundError, ValidationError } from '../../shared/errors';
import type { Clock } from '../../time/clock';
import { addDaysLocal, localDateOf, localToInstant } from '../../time/local-time';
import type { SqlExecutor } from '../messages/outbox.repository';
import type { NewMessage, OutboxResult } from '../messages/outbox.types';
import type { OrderChangeListener } from '../orders/order-change';
import { orderTemplateData } from '../orders/order-notice-rules';
import { LOW_SCORE, SATISFIED, SURVEY_REPLY_WINDOW_MS, type SurveyAutomation } from './feedback.types';
import type { SurveyStatsView } from './feedback.schemas';
import { surveyUrl } from './survey-links';
import { checkSurveyFormKey, surveyFormKey, verifySurveyToken } from './survey-token';
import type { SurveyContact, SurveyRecord, SurveysRepository } from './surveys.repository';
import type { SurveySettingsRepository } from './survey-settings.repository';
import type { TicketsService } from './tickets.service';

const DAY_MS = 86_400_000;
/** A survey that could not go out within this long after its day is not sent (nobody remembers the order). */
const SURVEY_LATE_MS = 7 * DAY_MS;
/** The follow-up scan looks back this far each tick (a tick that was down a day catches up). */
const FOLLOW_UP_LOOKBACK_MS = 3 * DAY_MS;
const FOLLOW_UP_BATCH = 500;
/** Pages per tick: a backlog of more than 10,000 thank-yous (a day of catch-up) is finished by the next ticks. */
const FOLLOW_UP_PAGES = 20;
const STATS_DEFAULT_WEEKS = 12;

interface StagingOutbox {
  stage(list: NewMessage[], executor: SqlExecutor): Promise<OutboxResult & { enqueue(): Promise<void> }>;
  enqueue(list: NewMessage[]): Promise<OutboxResult>;
}

/** `sendAt` local on the day `delayDays` after `base` (contact's zone); at once if that hour has passed. */
export function surveyTiming(base: Date, zone: string, settings: Pick<SurveyAutomation, 'delayDays' | 'sendAt'>, now: Date) {
  const target = localToInstant(addDaysLocal(localDateOf(base, zone), settings.delayDays), settings.sendAt, zone);
  const expiresAt = new Date(target.getTime() + SURVEY_LATE_MS);
  if (now > expiresAt) return undefined;
  return { scheduledAt: target > now ? target : now, expiresAt };
}

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const figures = (c: { sent: number; responses: number; satisfied: number }) =>
  ({ ...c, score: ratio(c.satisfied, c.responses), responseRate: ratio(c.responses, c.sent) });

/**
 * Satisfaction surveys (API.md "Feedback"): a `survey` message N days after an order is signed (an
 * order-change listener, inside the order's transaction) or after the first-order thank-you went out
 * (a tick step over the thank-yous sent lately). One per order and channel: dedupe `survey:<order>:<channel>`.
 * The message carries `survey.id`, rendered as `survey.url` (the public page `/s/:token`, survey-links.ts); the answer is recorded once, from the
 * page or from an SMS reply of 1–5 within 7 days.
 */
export function createSurveysService(deps: {
  settings: SurveySettingsRepository;
  repository: SurveysRepository;
  outbox: StagingOutbox;
  appSecret: () => Promise<string>;
  clock: Clock;
  publicBaseUrl: string;
  /** DEFAULT_TIMEZONE: the business's weeks for the stats. */
  timeZone: string;
  /** A low score on the page opens a ticket. */
  tickets: Pick<TicketsService, 'fromSurvey'>;
}) {
  const { settings, repository, outbox, clock } = deps;
  const baseUrl = deps.publicBaseUrl.replace(/\/+$/, '');

  /** The survey messages and rows for one order, written through `executor`. */
  async function stage(
    input: { contact: SurveyContact; orderId: string; base: Date; order: Record<string, unknown>; channels: Channel[] },
    config: SurveyAutomation, executor: SqlExecutor,
  ) {
    const now = clock.now();
    const { contact } = input;
    if (contact.erased) return undefined;
    const timing = surveyTiming(input.base, contact.timeZone, config, now);
    if (!timing) return undefined;
    const enqueues: (() => Promise<void>)[] = [];
    for (const channel of input.channels.filter((c) => (c === 'sms' ? contact.phone : contact.email))) {
      const surveyId = randomUUID();
      // One message per call: the created id is this survey's message.
      const staged = await outbox.stage([{
        dedupeKey: `survey:${input.orderId}:${channel}`, contactId: contact.id, channel, kind: 'survey', ...timing,
        templateKey: config.templateKey, data: { order: input.order, survey: { id: surveyId } }, // the link is made at send time (survey-links.ts)
      }], executor);
      if (!staged.created.length) continue;
      await repository.insert({ id: surveyId, messageId: staged.created[0], contactId: contact.id, orderId: input.orderId, channel, at: now }, executor);
      enqueues.push(staged.enqueue);
    }
    return enqueues.length ? async () => { for (const enqueue of enqueues) await enqueue(); } : undefined;
  }

  async function resolve(token: string): Promise<{ survey: SurveyRecord; formKey: string; secret: string }> {
    const secret = await deps.appSecret();
    const id = token.length <= 100 ? verifySurveyToken(secret, token) : undefined;
    const survey = id ? await repository.find(id) : undefined;
    if (!id || !survey) throw new NotFoundError('survey');
    return { survey, formKey: surveyFormKey(secret, id), secret };
  }

  const onOrderChange: OrderChangeListener = async (change, executor) => {
    if (change.after.status !== 'signed' || change.before?.status === 'signed') return undefined;
    const config = await settings.get(executor);
    if (!config.enabled || config.after !== 'signed') return undefined;
    const contact = await repository.contact(change.after.contactId, executor);
    if (!contact) return undefined;
    return stage({ contact, orderId: change.after.id, base: change.at, order: orderTemplateData(change.after), channels: config.channels }, config, executor);
  };

  return {
    onOrderChange,

    /** The survey's public link, as its message carries it. */
    linkFor: async (surveyId: string): Promise<string> => surveyUrl(baseUrl, await deps.appSecret(), surveyId),

    getSettings: async () => ({ key: 'satisfaction-survey' as const, ...(await settings.get()) }),

    /** Applies to orders signed (or thank-yous sent) from now on; surveys already waiting keep their time. */
    async putSettings(input: SurveyAutomation) {
      const { enabled, channels, templateKey, after, delayDays, sendAt } = input;
      await settings.put({ enabled, channels, templateKey, after, delayDays, sendAt });
      return { key: 'satisfaction-survey' as const, ...(await settings.get()) };
    },

    /** The tick step for `after: first-order-follow-up`: surveys for the thank-yous sent lately. */
    async scheduleDue(now: Date): Promise<number> {
      const config = await settings.get();
      if (!config.enabled || config.after !== 'first-order-follow-up') return 0;
      let made = 0;
      // Keyset pages, not "the first 500 of the window": a thank-you that gets no survey (it expired
      // while the scheduler was down) must not hold back the ones behind it. The query already leaves
      // out what could never get one (another channel, an erased contact, no address on that channel).
      let after: { sentAt: Date; id: string } | undefined;
      for (let page = 0; page < FOLLOW_UP_PAGES; page++) {
        const sent = await repository.followUpsSent({ from: new Date(now.getTime() - FOLLOW_UP_LOOKBACK_MS), to: now, channels: config.channels, after }, FOLLOW_UP_BATCH);
        for (const followUp of sent) {
          const contact = await repository.contact(followUp.contactId);
          if (!contact) continue;
          const enqueue = await repository.inTransaction((tx) =>
            stage({ contact, orderId: followUp.orderId, base: followUp.sentAt, order: followUp.order, channels: [followUp.channel] }, config, tx));
          if (enqueue) { await enqueue(); made += 1; }
        }
        if (sent.length < FOLLOW_UP_BATCH) break;
        after = { sentAt: sent[sent.length - 1].sentAt, id: sent[sent.length - 1].messageId };
      }
      return made;
    },

    /** The page's view of a genuine token (NotFoundError for anything else). */
    async page(token: string) {
      const { survey, formKey } = await resolve(token);
      return { survey, formKey };
    },

    /**
     * The page's answer. Recorded once: a second POST changes nothing and answers the recorded one
     * (`recorded: false`). A missing or wrong anti-CSRF field is refused before anything is written.
     */
    async answerOnPage(token: string, input: { score: number; comment: string | null; formKey?: string }) {
      const { survey, secret } = await resolve(token);
      if (!checkSurveyFormKey(secret, survey.id, input.formKey)) throw ValidationError.field('csrf', 'the form has expired; open the link again');
      if (survey.answeredAt) return { survey, recorded: false };
      const at = clock.now();
      const answered = await repository.answer(survey.id, { score: input.score, comment: input.comment, via: 'web', at });
      if (!answered) return { survey: (await repository.find(survey.id))!, recorded: false };
      if (input.score <= LOW_SCORE) await deps.tickets.fromSurvey(answered, at);
      return { survey: answered, recorded: true };
    },

    /** An SMS reply of 1–5: the score of the contact's latest survey sent within 7 days, if one awaits it. */
    async scoreFromSms(contactId: string, score: number, at: Date): Promise<SurveyRecord | undefined> {
      const survey = await repository.awaitingAnswer(contactId, at, SURVEY_REPLY_WINDOW_MS);
      return survey && repository.answer(survey.id, { score, comment: null, via: 'sms', at });
    },

    /** c = b / a by week and channel for surveys sent in [from, to) (default: the last 12 weeks). */
    async stats(query: { from?: Date; to?: Date }): Promise<SurveyStatsView> {
      const to = query.to ?? clock.now();
      const from = query.from ?? DateTime.fromJSDate(to, { zone: deps.timeZone }).minus({ weeks: STATS_DEFAULT_WEEKS }).startOf('week').toJSDate();
      if (from >= to) throw ValidationError.field('from', 'must be before to');
      const { total, byWeek, byChannel } = await repository.counts(from, to, deps.timeZone, SATISFIED);
      const channel = (name: Channel) => figures(byChannel.find((row) => row.channel === name) ?? { sent: 0, responses: 0, satisfied: 0 });
      return {
        from: from.toISOString(), to: to.toISOString(), ...figures(total),
        byWeek: byWeek.map(({ week, ...c }) => ({ week, ...figures(c) })),
        byChannel: { sms: channel('sms'), email: channel('email') },
      };
    },
  };
}
export type SurveysService = ReturnType<typeof createSurveysService>;
