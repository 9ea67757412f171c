import { randomUUID } from 'node:crypto';
import type { Channel } from '../../db/schema';
import { ConflictError, NotFoundError, UnprocessableError } from '../../shared/errors';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import type { Clock } from '../../time/clock';
import type { NewMessage, OutboxResult } from '../messages/outbox.types';
import { TICKET_DUE_MS } from './feedback.types';
import type { RepliesRepository, ReplyRow } from './replies.repository';
import type { SurveysRepository } from './surveys.repository';
import type { TicketResponseRow, TicketRow, TicketsRepository, TicketStatusFilter } from './tickets.repository';
import { ticketCursor, type TicketView, type ThreadEntry } from './feedback.schemas';

/** `{{` typed by an operator is text, not a template expression. */
const literal = (text: string) => text.replace(/\{\{/g, '\\{{');
const isZh = (locale: string) => locale.toLowerCase().startsWith('zh');

export function ticketStatus(ticket: Pick<TicketRow, 'status' | 'answeredAt' | 'dueAt'>, now: Date): 'open' | 'overdue' | 'resolved' {
  if (ticket.status === 'resolved') return 'resolved';
  return !ticket.answeredAt && ticket.dueAt <= now ? 'overdue' : 'open';
}

/**
 * Complaint tickets: a score ≤ 2 or a free-text reply opens one, due in 24 hours. A contact has at
 * most one open ticket: their further replies join it (one conversation, one due time), and a reply
 * after the operator answered makes it due again 24 hours on. Resolving closes it; the next reply
 * opens a new one.
 */
export function createTicketsService(deps: {
  repository: TicketsRepository;
  replies: Pick<RepliesRepository, 'setTicket' | 'ofTickets'>;
  surveys: Pick<SurveysRepository, 'contact' | 'find'>;
  outbox: { enqueue(list: NewMessage[]): Promise<OutboxResult> };
  clock: Clock;
}) {
  const { repository, replies, surveys, outbox, clock } = deps;

  async function views(rows: TicketRow[]): Promise<TicketView[]> {
    const ids = rows.map((row) => row.id);
    const [replyRows, responses] = await Promise.all([replies.ofTickets(ids), repository.responsesOf(ids)]);
    const surveyRows = new Map(await Promise.all(rows.filter((row) => row.surveyId).map(async (row) => [row.id, await surveys.find(row.surveyId!)] as const)));
    const now = clock.now();
    return rows.map((row) => view(row, replyRows.filter((r) => r.ticketId === row.id), responses.filter((r) => r.ticketId === row.id), surveyRows.get(row.id), now));
  }

  async function get(id: string): Promise<TicketView> {
    const row = await repository.find(id);
    if (!row) throw new NotFoundError('ticket', id);
    return (await views([row]))[0];
  }

  return {
    get,

    /** A reply (free text, or a low score by SMS) goes to the contact's open ticket, opened if needed. */
    async fromReply(reply: ReplyRow, reason: TicketRow['reason'], surveyId: string | null): Promise<string | undefined> {
      if (!reply.contactId) return undefined;
      const at = reply.receivedAt;
      const dueAt = new Date(at.getTime() + TICKET_DUE_MS);
      const { ticket, created } = await repository.openFor({ contactId: reply.contactId, channel: 'sms', reason, surveyId, at, dueAt });
      if (!created) await repository.customerWrote(ticket.id, 'sms', at, dueAt);
      await replies.setTicket(reply.id, ticket.id);
      return ticket.id;
    },

    /** A low score on the survey page: answered on the channel the survey came by. */
    async fromSurvey(survey: { id: string; contactId: string; channel: Channel }, at: Date): Promise<string> {
      const dueAt = new Date(at.getTime() + TICKET_DUE_MS);
      const { ticket, created } = await repository.openFor({ contactId: survey.contactId, channel: survey.channel, reason: 'low-score', surveyId: survey.id, at, dueAt });
      if (!created) await repository.customerWrote(ticket.id, survey.channel, at, dueAt);
      return ticket.id;
    },

    async list(query: { status?: TicketStatusFilter; contactId?: string; limit: number; cursor?: string }): Promise<Page<TicketView>> {
      const rows = await repository.list({ ...query, now: clock.now(), after: decodeCursor(query.cursor, ticketCursor), limit: query.limit });
      const page = toPage(rows, query.limit, (row) => row, (row) => ({ openedAt: row.openedAt.toISOString(), id: row.id }));
      return { items: await views(page.items), nextCursor: page.nextCursor };
    },

    /**
     * The operator's answer: a `manual` message to the contact on the channel they wrote from, sent
     * through the outbox like any message (consent and quiet hours apply), kept in the thread.
     */
    async reply(id: string, body: string): Promise<TicketView> {
      const ticket = await repository.find(id);
      if (!ticket) throw new NotFoundError('ticket', id);
      if (ticket.status === 'resolved') throw new ConflictError('ticket is resolved');
      const contact = await surveys.contact(ticket.contactId);
      const address = contact && !contact.erased ? (ticket.channel === 'sms' ? contact.phone : contact.email) : null;
      if (!contact || !address) {
        const missing = ticket.channel === 'sms' ? 'phone' : 'e-mail';
        throw new UnprocessableError(`the contact has no ${missing} to answer on`, [{ field: 'channel', message: `no ${missing}` }]);
      }
      const now = clock.now();
      const { created, existing } = await outbox.enqueue([{
        dedupeKey: `ticket:${id}:${randomUUID()}`, contactId: ticket.contactId, channel: ticket.channel, kind: 'manual', scheduledAt: now,
        bodyTemplate: literal(body),
        subject: ticket.channel === 'email' ? (isZh(contact.locale) ? '{{brand.name}}客服回复' : 'A reply from {{brand.name}}') : null,
      }]);
      await repository.addResponse(id, { messageId: created[0] ?? existing[0], body, at: now });
      return get(id);
    },

    async resolve(id: string, note: string | null): Promise<TicketView> {
      const ticket = await repository.find(id);
      if (!ticket) throw new NotFoundError('ticket', id);
      if (!(await repository.resolve(id, note, clock.now()))) throw new ConflictError('ticket is already resolved');
      return get(id);
    },

    countOverdue: (): Promise<number> => repository.countOverdue(clock.now()),
  };
}
export type TicketsService = ReturnType<typeof createTicketsService>;

function view(row: TicketRow, replyRows: ReplyRow[], responses: (TicketResponseRow & { status: string | null })[], survey: Awaited<ReturnType<SurveysRepository['find']>>, now: Date): TicketView {
  const thread: ThreadEntry[] = [
    ...(survey?.answeredAt && survey.answeredVia === 'web'
      ? [{ type: 'survey' as const, id: survey.id, body: survey.comment ?? '', score: survey.score, at: survey.answeredAt.toISOString() }] : []),
    ...replyRows.map((reply) => ({ type: 'reply' as const, id: reply.id, body: reply.body, at: reply.receivedAt.toISOString() })),
    ...responses.map((response) => ({
      type: 'response' as const, id: String(response.id), messageId: response.messageId, body: response.body, at: response.at.toISOString(),
      status: response.status ?? undefined,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return {
    id: row.id,
    contactId: row.contactId,
    channel: row.channel,
    status: ticketStatus(row, now),
    reason: row.reason,
    surveyId: row.surveyId,
    replyIds: replyRows.map((reply) => reply.id),
    openedAt: row.openedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    answeredAt: row.answeredAt?.toISOString() ?? null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    note: row.resolutionNote,
    thread,
  };
}
