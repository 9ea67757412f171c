import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { messages } from '../../src/db/schema';
import { messageHistory } from '../../src/modules/messages/message-history';
import { createMessagesRepository } from '../../src/modules/messages/messages.repository';
import type { NewMessage } from '../../src/modules/messages/outbox.types';
import type { SendService } from '../../src/modules/sending/send.service';
import { sendJobIdOf, sendQueueFor } from '../../src/queue/jobs';
import type { Queues } from '../../src/queue/queues';

/** A message for the outbox: inline body, due at `scheduledAt`, unique dedupe key. */
export function newMessage(contactId: string, overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    dedupeKey: `test:${randomUUID()}`,
    contactId,
    channel: 'sms',
    kind: 'manual',
    scheduledAt: new Date('2027-03-10T02:00:00Z'),
    bodyTemplate: 'Hello {{contact.name}}',
    ...overrides,
  };
}

export async function messageRow(db: Db, id: string) {
  return (await db.select().from(messages).where(eq(messages.id, id)))[0];
}

/** The message's history as `GET /v1/messages/:id` shows it: row times and logged events together. */
export async function eventsOf(db: Db, id: string) {
  const found = await createMessagesRepository(db).findWithEvents(id);
  return found ? messageHistory(found.row, found.events) : [];
}

/** The BullMQ job that holds the message now (its batch's, its own, or the one a hold or retry moved it to). */
export async function jobOf(ctx: { db: Db; queues: Pick<Queues, 'get'> }, messageId: string) {
  const row = await messageRow(ctx.db, messageId);
  return ctx.queues.get(sendQueueFor(row.channel)).getJob(sendJobIdOf(row));
}

/** Sends one message as the job holding it would (its job key read from the row). */
export async function sendOnce(ctx: { db: Db; services: { send: Pick<SendService, 'send'> } }, messageId: string) {
  const row = await messageRow(ctx.db, messageId);
  return ctx.services.send.send({ messageId, jobKey: row?.jobKey ?? null, runId: randomUUID() });
}

/** Polls PostgreSQL until every message left the in-flight statuses (or the time is up). */
export async function waitForStatus(db: Db, ids: string[], done: (status: string) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // One query per poll: polling row by row would starve the workers of the suite's small pool.
    const found = await db.select().from(messages).where(inArray(messages.id, ids));
    const byId = new Map(found.map((row) => [row.id, row]));
    const rows = ids.map((id) => byId.get(id)!);
    if (rows.every((row) => done(row.status))) return rows;
    if (Date.now() > deadline) {
      const stuck = rows.find((row) => !done(row.status))!;
      const events = (await eventsOf(db, stuck.id)).map((event) => `${event.status}: ${event.reason}`);
      const counts: Record<string, number> = {};
      for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
      throw new Error(`timed out waiting; statuses ${JSON.stringify(counts)}; e.g. ${stuck.id}: ${events.join(' → ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const isSettled = (status: string) => !['scheduled', 'queued', 'sending'].includes(status);
