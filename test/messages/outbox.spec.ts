import { QueueName, sendJobId } from '../../src/queue/jobs';
import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';
import { eventsOf, messageRow, newMessage } from './message-fixtures';

describe('Outbox', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { ENQUEUE_HORIZON_MS: String(10 * 60_000) } });
  });
  afterAll(() => ctx.close());

  it('creates one message for the same dedupe key, however often it is enqueued', async () => {
    const contact = await makeContact(ctx.db);
    const message = newMessage(contact.id, { dedupeKey: `birthday:${contact.id}:2027-03-10:sms` });
    const first = await ctx.services.outbox.enqueue([message, { ...message }]);
    const second = await ctx.services.outbox.enqueue([message]);
    expect(first.created).toHaveLength(1);
    expect(first.existing).toEqual([]);
    expect(second).toEqual({ created: [], existing: first.created });
  });

  it('queues a message due within the horizon and enqueues its job with the message id', async () => {
    const contact = await makeContact(ctx.db);
    const scheduledAt = new Date(ctx.clock.now().getTime() + 5 * 60_000);
    const { created: [id] } = await ctx.services.outbox.enqueue([newMessage(contact.id, { channel: 'email', scheduledAt })]);
    expect((await messageRow(ctx.db, id)).status).toBe('queued');
    const job = await ctx.queues.get(QueueName.SendEmail).getJob(sendJobId(id));
    expect(job?.data).toEqual({ messageId: id });
    expect(job?.delay).toBe(5 * 60_000);
    expect((await eventsOf(ctx.db, id)).map((e) => e.status)).toEqual(['queued']);
  });

  it('keeps a far-future message out of Redis until promoteDue finds it due', async () => {
    const contact = await makeContact(ctx.db);
    const scheduledAt = new Date(ctx.clock.now().getTime() + 3 * 24 * 3600_000);
    const { created: [id] } = await ctx.services.outbox.enqueue([newMessage(contact.id, { scheduledAt })]);
    expect((await messageRow(ctx.db, id)).status).toBe('scheduled');
    expect(await ctx.queues.get(QueueName.SendSms).getJob(sendJobId(id))).toBeUndefined();

    await ctx.services.outbox.promoteDue(ctx.clock.now());
    expect((await messageRow(ctx.db, id)).status).toBe('scheduled');

    const dueSoon = new Date(scheduledAt.getTime() - 2 * 60_000);
    const { promoted } = await ctx.services.outbox.promoteDue(dueSoon);
    expect(promoted).toBeGreaterThanOrEqual(1);
    expect((await messageRow(ctx.db, id)).status).toBe('queued');
    expect(await ctx.queues.get(QueueName.SendSms).getJob(sendJobId(id))).toBeDefined();
    expect((await eventsOf(ctx.db, id)).map((e) => e.status)).toEqual(['scheduled', 'queued']);
  });

  it('inserts a large batch in chunks, each row once', async () => {
    const contact = await makeContact(ctx.db);
    const batch = Array.from({ length: 1200 }, () => newMessage(contact.id, { scheduledAt: new Date('2027-06-01T00:00:00Z') }));
    const result = await ctx.services.outbox.enqueue(batch);
    expect(result.created).toHaveLength(1200);
    expect(new Set(result.created).size).toBe(1200);
  });
});
