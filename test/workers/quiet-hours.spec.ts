import { makeContact } from '../support/factories';
import { eventsOf, jobOf, messageRow, newMessage, waitForStatus } from '../messages/message-fixtures';
import { startWorkerHarness, type WorkerHarness } from './worker-harness';

describe('Send worker in quiet hours', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    // 22:00 in Shanghai: inside the default 21:00–09:00 quiet window.
    h = await startWorkerHarness({ now: '2027-03-10T14:00:00Z', env: { QUIET_HOURS: '21:00-09:00' } });
  });
  afterAll(() => h.close());

  it('holds the message until 09:00 in the recipient zone instead of dropping it', async () => {
    const contact = await makeContact(h.ctx.db, { timeZone: 'Asia/Shanghai' });
    const { created: [id] } = await h.ctx.services.outbox.enqueue([newMessage(contact.id, { scheduledAt: h.ctx.clock.now() })]);
    // Three events: created, claimed, and what the send-time checks decided — held, not sent nor dropped.
    const events = await waitUntilEvents(id, 3);
    expect(events.map((e) => e.status)).toEqual(['queued', 'sending', 'queued']);
    expect(events[2].reason).toMatch(/quiet hours in Asia\/Shanghai/);
    const row = await messageRow(h.ctx.db, id);
    expect(row.status).toBe('queued');
    expect(row.scheduledAt.toISOString()).toBe('2027-03-11T01:00:00.000Z');

    // A job of its own waits in BullMQ until the window opens (added just after the row went back to `queued`).
    expect(await settledJobState(id)).toBe('delayed');
    expect(h.sms.sent()).toHaveLength(0);
  });

  it('sends a recipient whose own clock is already past the quiet window', async () => {
    const contact = await makeContact(h.ctx.db, { timeZone: 'Europe/London' }); // 14:00 in London
    const { created: [id] } = await h.ctx.services.outbox.enqueue([newMessage(contact.id, { scheduledAt: h.ctx.clock.now() })]);
    expect((await waitForStatus(h.ctx.db, [id], (status) => status === 'sent'))[0].status).toBe('sent');
  });

  // The waits below poll for up to 30 s: on a busy CI box a worker can take seconds to pick a job up.
  /** The send job's state once its processor is done with it (no longer active or waiting). */
  async function settledJobState(id: string) {
    for (let i = 0; i < 1200; i++) {
      const job = await jobOf(h.ctx, id);
      const state = job ? await job.getState() : 'missing';
      if (!['active', 'waiting', 'prioritized'].includes(state)) return state;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the send job is still being processed');
  }

  async function waitUntilEvents(id: string, count: number) {
    for (let i = 0; i < 1200; i++) {
      const events = await eventsOf(h.ctx.db, id);
      if (events.length >= count) return events;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('events did not arrive');
  }
});
