import { randomUUID } from 'node:crypto';
import type { Channel } from '../../db/schema';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../../shared/errors';
import { createdAtCursor, decodeCursor, toPage, type Page } from '../../shared/pagination';
import type { Metrics } from '../../shared/metrics';
import type { Clock } from '../../time/clock';
import { messageHistory } from './message-history';
import { toMessageView, type MessageView } from './message-view';
import type { MessageFilter, MessagesRepository } from './messages.repository';
import type { OutboxService } from './outbox.service';
import type { SendRepository } from '../sending/send.repository';

export interface CreateMessageInput {
  contactId: string;
  channel: Channel;
  templateKey?: string;
  body?: string;
  subject?: string;
  data?: Record<string, unknown>;
  sendAt?: Date;
}

interface Deps {
  repository: MessagesRepository;
  sendRepository: SendRepository;
  outbox: Pick<OutboxService, 'enqueue'>;
  clock: Clock;
  metrics: Pick<Metrics, 'messagesByStatus'>;
}

/** Ops' view of the message log: one-off sends, the log with its events, and resolving `unknown`. */
export function createMessagesService({ repository, sendRepository, outbox, clock, metrics }: Deps) {
  async function load(id: string) {
    const row = await repository.findById(id);
    if (!row) throw new NotFoundError('message', id);
    return row;
  }

  async function created(ids: { created: string[]; existing: string[] }): Promise<MessageView> {
    return toMessageView(await load(ids.created[0] ?? ids.existing[0]));
  }

  async function withNames<V extends { contactId: string; campaignId?: string }>(views: V[]) {
    const names = await repository.namesOf([...new Set(views.map((v) => v.contactId))], [...new Set(views.flatMap((v) => (v.campaignId ? [v.campaignId] : [])))]);
    return views.map((view) => ({
      ...view,
      contactName: names.contacts.get(view.contactId) ?? null,
      ...(view.campaignId ? { campaignName: names.campaigns.get(view.campaignId) ?? null } : {}),
    }));
  }

  return {
    async create(input: CreateMessageInput): Promise<MessageView> {
      if (!input.templateKey === !input.body) throw ValidationError.field('templateKey', 'give either templateKey or body, not both');
      if (!(await repository.contactExists(input.contactId))) {
        throw new UnprocessableError('no such contact', [{ field: 'contactId', message: 'no such contact' }]);
      }
      return created(await outbox.enqueue([{
        dedupeKey: `manual:${randomUUID()}`,
        contactId: input.contactId,
        channel: input.channel,
        kind: 'manual',
        scheduledAt: input.sendAt ?? clock.now(),
        templateKey: input.templateKey ?? null,
        bodyTemplate: input.body ?? null,
        subject: input.subject ?? null,
        data: input.data ?? {},
      }]));
    },

    /** Who and which campaign, by name: people read the log, not ids. */
    async list(filter: MessageFilter, limit: number, cursor?: string): Promise<Page<MessageView>> {
      const rows = await repository.list(filter, limit, decodeCursor(cursor, createdAtCursor));
      const page = toPage(rows, limit, toMessageView, (row) => ({ createdAt: row.createdAt.toISOString(), id: row.id }));
      return { ...page, items: await withNames(page.items) };
    },

    async get(id: string) {
      const found = await repository.findWithEvents(id);
      if (!found) throw new NotFoundError('message', id);
      const { row } = found;
      const history = messageHistory(row, found.events);
      const [view] = await withNames([toMessageView(row)]);
      return { ...view, events: history.map((e) => ({ status: e.status, at: e.at.toISOString(), reason: e.reason })) };
    },

    /** A failed or unknown message is sent again as a new message; one resend per original. */
    async resend(id: string): Promise<MessageView> {
      const original = await load(id);
      if (original.status !== 'failed' && original.status !== 'unknown') {
        throw new ConflictError(`only failed or unknown messages can be resent; this one is ${original.status}`);
      }
      const result = await outbox.enqueue([{
        dedupeKey: `resend:${original.id}`,
        contactId: original.contactId,
        channel: original.channel,
        kind: original.kind,
        scheduledAt: clock.now(),
        templateKey: original.templateKey,
        bodyTemplate: original.bodyTemplate,
        subject: original.bodyTemplate ? original.subject : null,
        data: original.data,
        campaignId: original.campaignId,
        resendOf: original.id,
        // A resend keeps its code (it is in `data.coupon` too): it takes no new one.
        couponBatchId: original.couponBatchId,
        couponCode: original.couponCode,
      }]);
      if (!result.created.length) throw new ConflictError(`message ${id} was already resent as ${result.existing[0]}`);
      return created(result);
    },

    /** Ops confirmed (e.g. in the provider's console) that an `unknown` message did go out. */
    async markSent(id: string): Promise<MessageView> {
      const original = await load(id);
      const now = clock.now();
      const moved = await sendRepository.transition(id, {
        from: ['unknown'], to: 'sent', at: now, reason: 'marked sent by ops', fields: { sentAt: original.sentAt ?? now },
      });
      if (!moved) throw new ConflictError(`only unknown messages can be marked sent; this one is ${original.status}`);
      metrics.messagesByStatus.inc({ channel: moved.channel, status: 'sent' });
      return toMessageView(moved);
    },
  };
}
export type MessagesService = ReturnType<typeof createMessagesService>;
