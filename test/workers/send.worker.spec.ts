import { QueueName, sendJobId } from '../../src/queue/jobs';
import { makeContact } from '../support/factories';
import { eventsOf, isSettled, messageRow, newMessage, waitForStatus } from '../messages/message-fixtures';
import { startWorkerHarness, type WorkerHarness } from './worker-harness';

describe('Send worker', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorkerHarness({ env: { PUBLIC_BASE_URL: 'https://care.example.com', SMS_SIGNATURE: '熊猫旅游' } });
  });
  afterAll(() => h.close());

  const enqueueOne = async (...args: Parameters<typeof newMessage>) =>
    (await h.ctx.services.outbox.enqueue([newMessage(...args)])).created[0];
  const statusesOf = async (id: string) => (await eventsOf(h.ctx.db, id)).map((event) => event.status);
  const sentSms = (id: string) => h.sms.sent().filter((sms) => sms.messageId === id);

  it('takes a row through its job to sent, recording every step', async () => {
    const contact = await makeContact(h.ctx.db, { name: '李雷' });
    const id = await enqueueOne(contact.id);
    const [row] = await waitForStatus(h.ctx.db, [id], isSettled);
    expect(row).toMatchObject({ status: 'sent', toAddress: contact.phone, body: 'Hello 李雷', provider: 'console', attempts: 1 });
    expect(row.providerMessageId).toBe(sentSms(id)[0].providerMessageId);
    expect(row.sentAt).toEqual(h.ctx.clock.now());
    expect(await statusesOf(id)).toEqual(['queued', 'sending', 'sent']);
    expect(sentSms(id)).toHaveLength(1);
    expect(sentSms(id)[0].statusCallbackUrl).toBe('https://care.example.com/webhooks/twilio/status');
  });

  it('puts List-Unsubscribe headers on marketing e-mail only', async () => {
    const contact = await makeContact(h.ctx.db);
    const promo = await enqueueOne(contact.id, { channel: 'email', kind: 'promo', subject: 'Spring sale', bodyTemplate: 'Hi {{contact.name}}' });
    const manual = await enqueueOne(contact.id, { channel: 'email', subject: 'Your order', bodyTemplate: 'Hi' });
    await waitForStatus(h.ctx.db, [promo, manual], isSettled);
    const mails = h.email.sent();
    const promoMail = mails.find((mail) => mail.messageId === promo)!;
    expect(promoMail.subject).toBe('Spring sale');
    expect(promoMail.headers['List-Unsubscribe']).toContain('https://');
    expect(promoMail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mails.find((mail) => mail.messageId === manual)!.headers['List-Unsubscribe']).toBeUndefined();
  });

  it('suppresses a message whose recipient opted out after it was scheduled', async () => {
    const contact = await makeContact(h.ctx.db);
    const id = await enqueueOne(contact.id, { scheduledAt: new Date(h.ctx.clock.now().getTime() + 1500) });
    await h.ctx.services.consent.optOut({ channel: 'sms', address: contact.phone!, source: 'sms-keyword', reason: 'STOP' });
    const [row] = await waitForStatus(h.ctx.db, [id], isSettled);
    expect(row.status).toBe('suppressed');
    expect(row.error).toBe('contact opted out of sms');
    expect(sentSms(id)).toHaveLength(0);
  });

  it('suppresses a message to a contact without the channel address, saying why', async () => {
    const contact = await makeContact(h.ctx.db, { email: null });
    const id = await enqueueOne(contact.id, { channel: 'email', subject: 's' });
    const [row] = await waitForStatus(h.ctx.db, [id], isSettled);
    expect(row).toMatchObject({ status: 'suppressed', error: 'no valid e-mail address' });
  });

  it('expires a message whose window has passed', async () => {
    const contact = await makeContact(h.ctx.db);
    const id = await enqueueOne(contact.id, { expiresAt: new Date(h.ctx.clock.now().getTime() - 1000) });
    const [row] = await waitForStatus(h.ctx.db, [id], isSettled);
    expect(row.status).toBe('expired');
    expect(sentSms(id)).toHaveLength(0);
  });

  it('caps marketing messages per contact and exempts birthdays', async () => {
    const contact = await makeContact(h.ctx.db);
    const promos: string[] = [];
    for (let i = 0; i < 3; i++) {
      promos.push(await enqueueOne(contact.id, { kind: 'promo' }));
      await waitForStatus(h.ctx.db, [promos[i]], isSettled);
    }
    const rows = await Promise.all(promos.map((id) => messageRow(h.ctx.db, id)));
    expect(rows.map((row) => row.status)).toEqual(['sent', 'sent', 'suppressed']);
    expect(rows[2].error).toBe('frequency cap');
    expect(rows[0].body).toMatch(/^【熊猫旅游】Hello .*回T退订$/);
    const birthday = await enqueueOne(contact.id, { kind: 'birthday' });
    expect((await waitForStatus(h.ctx.db, [birthday], isSettled))[0].status).toBe('sent');
  });

  it('retries a retryable failure with backoff and sends exactly once', async () => {
    const contact = await makeContact(h.ctx.db);
    h.sms.failNext('retryable', 2, { message: 'HTTP 503' });
    const id = await enqueueOne(contact.id);
    const [row] = await waitForStatus(h.ctx.db, [id], isSettled);
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });
    expect(sentSms(id)).toHaveLength(1);
    expect(await statusesOf(id)).toEqual(['queued', 'sending', 'queued', 'sending', 'queued', 'sending', 'sent']);
  });

  it('fails for good once the attempts are exhausted', async () => {
    const contact = await makeContact(h.ctx.db);
    h.sms.failNext('retryable', 3, { message: 'HTTP 503' });
    const id = await enqueueOne(contact.id);
    const [row] = await waitForStatus(h.ctx.db, [id], isSettled);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, error: 'HTTP 503' });
    const events = await eventsOf(h.ctx.db, id);
    expect(events[events.length - 1].reason).toBe('attempts exhausted: HTTP 503');
  });

  it('fails a permanent failure at once and suppresses an address the provider says opted out', async () => {
    const contact = await makeContact(h.ctx.db);
    h.sms.failNext('permanent', 1, { message: 'unsubscribed recipient', providerCode: 21610, recipientOptedOut: true });
    const id = await enqueueOne(contact.id);
    const [row] = await waitForStatus(h.ctx.db, [id], isSettled);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, error: 'unsubscribed recipient (code 21610)' });
    expect(await h.ctx.services.consent.isSuppressed('sms', contact.phone!)).toBe(true);
  });

  it('marks an unknown outcome unknown and never retries it', async () => {
    const contact = await makeContact(h.ctx.db);
    h.sms.failNext('unknown-outcome', 1, { message: 'timeout after request was written' });
    const id = await enqueueOne(contact.id);
    const [row] = await waitForStatus(h.ctx.db, [id], isSettled);
    expect(row).toMatchObject({ status: 'unknown', attempts: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await messageRow(h.ctx.db, id)).attempts).toBe(1);
    expect(await h.ctx.queues.get(QueueName.SendSms).getJob(sendJobId(id))).toBeUndefined();
  });

  it('fails a message whose template cannot be rendered, with the reason', async () => {
    const contact = await makeContact(h.ctx.db);
    const id = await enqueueOne(contact.id, { bodyTemplate: null, templateKey: 'no-such-template' });
    const [row] = await waitForStatus(h.ctx.db, [id], isSettled);
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(/no-such-template/);
  });

  it('counts transitions in the metrics', async () => {
    const metric = await h.ctx.metrics.messagesByStatus.get();
    const sent = metric.values.find((value) => value.labels.channel === 'sms' && value.labels.status === 'sent');
    expect(sent?.value).toBeGreaterThan(0);
  });
});
