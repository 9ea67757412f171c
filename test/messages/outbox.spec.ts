import { QueueName, sendJobId, sendJobIdOf } from '../../src/queue/jobs';
import { enqueueSends } from '../../src/queue/send-jobs';
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
    expect(job?.data).toEqual({ messageIds: [id], jobKey: null });
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
    expect(await ctx.queues.get(QueueName.SendSms).getJob(sendJobIdOf(await messageRow(ctx.db, id)))).toBeDefined();
    expect((await eventsOf(ctx.db, id)).map((e) => e.status)).toEqual(['scheduled', 'queued']);
  });

  it('sends the messages due together as batch jobs of at most SEND_BATCH_SIZE, one channel each', async () => {
    const contact = await makeContact(ctx.db);
    const at = new Date(ctx.clock.now().getTime() + 60_000);
    const later = new Date(at.getTime() + 1000);
    const { created } = await ctx.services.outbox.enqueue([
      ...Array.from({ length: 250 }, () => newMessage(contact.id, { scheduledAt: at })),
      ...Array.from({ length: 3 }, () => newMessage(contact.id, { scheduledAt: later })),
      newMessage(contact.id, { scheduledAt: at, channel: 'email' }),
    ]);
    const rows = await Promise.all(created.map((id) => messageRow(ctx.db, id)));
    const byJob = new Map<string, string[]>();
    for (const row of rows) byJob.set(sendJobIdOf(row), [...(byJob.get(sendJobIdOf(row)) ?? []), row.id]);
    // 250 due together: 100 + 100 + 50; the 3 a second later: one more; the lone e-mail: its own job.
    expect([...byJob.values()].map((ids) => ids.length).sort((a, b) => a - b)).toEqual([1, 3, 50, 100, 100]);
    for (const [jobId, ids] of byJob) {
      const queue = ctx.queues.get(jobId.startsWith('m-') ? QueueName.SendEmail : QueueName.SendSms);
      const job = await queue.getJob(jobId);
      expect([...(job!.data as { messageIds: string[] }).messageIds].sort()).toEqual([...ids].sort());
    }
    // Enqueueing a batch again is a no-op: its id comes from the batch.
    const sms = rows.filter((row) => row.channel === 'sms');
    const before = await ctx.queues.get(QueueName.SendSms).getJobCounts('delayed');
    await enqueueSends(ctx.queues, ctx.config, sms.map((row) => ({ id: row.id, channel: row.channel, scheduledAt: row.scheduledAt, jobKey: row.jobKey })), ctx.clock.now());
    expect(await ctx.queues.get(QueueName.SendSms).getJobCounts('delayed')).toEqual(before);
  });

  it('inserts a large batch in chunks, each row once', async () => {
    const contact = await makeContact(ctx.db);
    const batch = Array.from({ length: 1200 }, () => newMessage(contact.id, { scheduledAt: new Date('2027-06-01T00:00:00Z') }));
    const result = await ctx.services.outbox.enqueue(batch);
    expect(result.created).toHaveLength(1200);
    expect(new Set(result.created).size).toBe(1200);
  });
});
