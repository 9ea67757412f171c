import { ConsoleSmsProvider } from '../../src/providers/sms/console.provider';
import { sendJobIdOf, QueueName } from '../../src/queue/jobs';
import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';
import { eventsOf, messageRow, newMessage } from './message-fixtures';

/** One batch job, per-message outcomes: only the messages concerned move on (issue 13). */
describe('A send job of many messages', () => {
  let ctx: TestContext;
  let sms: ConsoleSmsProvider;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { SEND_BACKOFF_MS: '5000', SEND_ATTEMPTS: '3' } });
    sms = ctx.services.providers.sms as ConsoleSmsProvider;
  });
  afterAll(() => ctx.close());
  beforeEach(() => sms.clear());

  async function batch(count: number) {
    const contact = await makeContact(ctx.db, { phone: '+8613800138000' });
    const { created } = await ctx.services.outbox.enqueue(Array.from({ length: count }, () => newMessage(contact.id, { scheduledAt: ctx.clock.now() })));
    const { jobKey } = await messageRow(ctx.db, created[0]);
    return { ids: created, job: { messageIds: created, jobKey } };
  }
  const statuses = async (ids: string[]) => Promise.all(ids.map(async (id) => (await messageRow(ctx.db, id)).status));

  it('retries only the message whose provider call failed retryably, in a job of its own after its backoff', async () => {
    const { ids, job } = await batch(5);
    sms.failNext('retryable', 1);
    expect(await ctx.services.send.sendJob('sms')(job)).toEqual({ sent: 4, retry: 1 });
    const rows = await Promise.all(ids.map((id) => messageRow(ctx.db, id)));
    const retried = rows.find((row) => row.status === 'queued')!;
    expect(rows.filter((row) => row.status === 'sent')).toHaveLength(4);
    expect(retried.jobKey).not.toBe(job.jobKey);
    const retryJob = await ctx.queues.get(QueueName.SendSms).getJob(sendJobIdOf(retried));
    expect(retryJob?.data).toEqual({ messageIds: [retried.id], jobKey: retried.jobKey });
    expect(retryJob?.delay).toBe(5000); // SEND_BACKOFF_MS × 2^(attempt − 1), attempt 1
    expect((await eventsOf(ctx.db, retried.id)).map((event) => event.status)).toEqual(['queued', 'sending', 'queued']);

    // The batch job run again (a stalled job, say) claims nothing: each message is sent, or held by another job.
    expect(await ctx.services.send.sendJob('sms')(job)).toEqual({ skipped: 5 });
    // The retry's own job sends it, once.
    expect(await ctx.services.send.sendJob('sms')(retryJob!.data)).toEqual({ sent: 1 });
    expect(await statuses(ids)).toEqual(ids.map(() => 'sent'));
    expect(sms.sent().filter((sent) => ids.includes(sent.messageId))).toHaveLength(5);
  });

  it('keeps each outcome to its message: unknown stays unknown, permanent fails, the rest go out', async () => {
    const { ids, job } = await batch(4);
    sms.failNext('unknown-outcome', 1);
    sms.failNext('permanent', 1);
    expect(await ctx.services.send.sendJob('sms')(job)).toEqual({ unknown: 1, failed: 1, sent: 2 });
    expect((await statuses(ids)).sort()).toEqual(['failed', 'sent', 'sent', 'unknown']);
    const unknown = (await Promise.all(ids.map((id) => messageRow(ctx.db, id)))).find((row) => row.status === 'unknown')!;
    expect((await eventsOf(ctx.db, unknown.id)).map((event) => event.status)).toEqual(['queued', 'sending', 'unknown']);
  });

  it('fails a message for good once its own attempts are spent', async () => {
    const { ids: [id], job } = await batch(1);
    let next = job;
    for (let attempt = 1; attempt <= 3; attempt++) {
      sms.failNext('retryable', 1);
      const report = await ctx.services.send.sendJob('sms')(next);
      expect(report).toEqual(attempt < 3 ? { retry: 1 } : { failed: 1 });
      const row = await messageRow(ctx.db, id);
      next = { messageIds: [id], jobKey: row.jobKey };
    }
    expect(await messageRow(ctx.db, id)).toMatchObject({ status: 'failed', attempts: 3, error: expect.stringMatching(/planned/) });
  });
});
