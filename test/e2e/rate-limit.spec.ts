import { startWorkers, type RunningWorkers } from '../../workers';
import { makeContact } from '../support/factories';
import { isSettled, newMessage, waitForStatus } from '../messages/message-fixtures';
import { startWorkerHarness, type WorkerHarness } from '../workers/worker-harness';

/**
 * SMS_RATE_PER_SECOND is BullMQ's limiter, whose counter lives in Redis: it bounds the provider
 * rate across every worker, here two sets of workers sharing the queues.
 */
describe('Per-provider rate limit', () => {
  let h: WorkerHarness;
  let second: RunningWorkers;
  beforeAll(async () => {
    h = await startWorkerHarness({ env: { SMS_RATE_PER_SECOND: '20', WORKER_CONCURRENCY: '20' } });
    second = await startWorkers(h.ctx, h.ctx.services);
  });
  afterAll(async () => {
    await second.close();
    await h.close();
  });

  it('sends 60 SMS at 20/s in no less than about two seconds, each once', async () => {
    const contacts = await Promise.all(Array.from({ length: 60 }, () => makeContact(h.ctx.db)));
    const started = Date.now();
    const { created } = await h.ctx.services.outbox.enqueue(contacts.map((contact) => newMessage(contact.id)));
    const rows = await waitForStatus(h.ctx.db, created, isSettled);
    const elapsed = Date.now() - started;

    expect(rows.every((row) => row.status === 'sent')).toBe(true);
    expect(h.sms.sent().filter((sms) => created.includes(sms.messageId))).toHaveLength(60);
    // Three windows of 20: the third cannot open before two seconds have passed.
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(15_000);
  });
});
