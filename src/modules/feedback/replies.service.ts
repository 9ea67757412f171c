import type { Clock } from '../../time/clock';
import type { KeywordMatch } from '../consent/sms-keywords';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import { LOW_SCORE, parseScore } from './feedback.types';
import { replyCursor, type ReplyView } from './feedback.schemas';
import type { RepliesRepository, ReplyRow, ReplyStatusFilter } from './replies.repository';
import type { SurveysService } from './surveys.service';
import type { TicketsService } from './tickets.service';

/** An inbound SMS as every provider hands it to the webhooks service. */
export interface InboundReply {
  from: string;
  body: string;
  provider?: string;
  receivedAt?: Date;
  providerMessageId?: string;
}

export const replyView = (row: ReplyRow): ReplyView => ({
  id: row.id, contactId: row.contactId, from: row.fromAddress, body: row.body, receivedAt: row.receivedAt.toISOString(),
  provider: row.provider, inReplyTo: row.inReplyTo, kind: row.kind, keyword: row.keyword, surveyId: row.surveyId, ticketId: row.ticketId,
});

/**
 * The replies inbox: every inbound SMS is stored (nothing is dropped), attributed to the contact of
 * the last message sent to that number (never a new contact: an unknown number stays `contactId: null`).
 * A keyword has done its job already and is only kept; a 1–5 answering a survey sent within 7 days is
 * its score (≤ 2 opens a ticket); anything else is free text and goes to the contact's ticket.
 */
export function createRepliesService(deps: {
  repository: RepliesRepository;
  surveys: Pick<SurveysService, 'scoreFromSms'>;
  tickets: Pick<TicketsService, 'fromReply'>;
  clock: Clock;
}) {
  const { repository, surveys, tickets, clock } = deps;

  return {
    /** Stores the reply and acts on it; a replay of the same provider message stores nothing new (undefined). */
    async record(sms: InboundReply, match: KeywordMatch): Promise<ReplyRow | undefined> {
      const receivedAt = sms.receivedAt ?? clock.now();
      const last = sms.from ? await repository.lastSentTo(sms.from) : undefined;
      const contactId = last?.contactId ?? (sms.from ? await repository.contactWithPhone(sms.from) : undefined) ?? null;
      const keyword = match.action === 'none' ? null : match.keyword;
      const score = keyword ? undefined : parseScore(sms.body);
      const survey = score !== undefined && contactId ? await surveys.scoreFromSms(contactId, score, receivedAt) : undefined;
      const reply = await repository.insert({
        contactId, fromAddress: sms.from, body: sms.body, receivedAt, provider: sms.provider ?? 'twilio',
        providerMessageId: sms.providerMessageId ?? null, inReplyTo: last?.messageId ?? null,
        kind: keyword ? 'keyword' : survey ? 'score' : 'text', keyword, surveyId: survey?.id ?? null,
      });
      if (!reply || keyword) return reply;
      if (survey) {
        if (score! <= LOW_SCORE) reply.ticketId = (await tickets.fromReply(reply, 'low-score', survey.id)) ?? null;
        return reply;
      }
      reply.ticketId = (await tickets.fromReply(reply, 'free-text', null)) ?? null;
      return reply;
    },

    async list(query: { status?: ReplyStatusFilter; contactId?: string; limit: number; cursor?: string }): Promise<Page<ReplyView>> {
      const rows = await repository.list({ ...query, now: clock.now(), after: decodeCursor(query.cursor, replyCursor) });
      return toPage(rows, query.limit, replyView, (row) => ({ receivedAt: row.receivedAt.toISOString(), id: row.id }));
    },
  };
}
export type RepliesService = ReturnType<typeof createRepliesService>;
