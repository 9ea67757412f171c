import { createTickService } from '../../src/modules/messages/tick.service';
import { QueueName } from '../../src/queue/jobs';
import { startScheduler } from '../../workers';
import { makeContact } from '../support/factories';
import { isSettled, newMessage, waitForStatus } from '../messages/message-fixtures';
import { startWorkerHarness, type WorkerHarness } from './worker-harness';

describe('Scheduler tick', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorkerHarness({ env: { SCHEDULER_TICK_MS: '200' } });
  });
  afterAll(() => h.close());

  it('registers one job scheduler however many scheduler processes start', async () => {
    const a = await startScheduler(h.ctx, h.ctx.services);
    const b = await startScheduler(h.ctx, h.ctx.services);
    try {
      const schedulers = await h.ctx.queues.get(QueueName.Scheduler).getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toEqual(['tick']);

      // A greeting weeks ahead stays in PostgreSQL until a tick finds it due, then goes out.
      const contact = await makeContact(h.ctx.db);
      const later = new Date(h.ctx.clock.now().getTime() + 14 * 24 * 3600_000);
      const { created: [id] } = await h.ctx.services.outbox.enqueue([newMessage(contact.id, { scheduledAt: later })]);
      h.ctx.clock.set(later);
      const [row] = await waitForStatus(h.ctx.db, [id], isSettled);
      expect(row.status).toBe('sent');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('runs every step even when one fails', async () => {
    const ran: string[] = [];
    const tick = createTickService({
      outbox: { promoteDue: async () => { ran.push('promote'); return { promoted: 0 }; } },
      reconciler: { run: async () => { throw new Error('boom'); } },
      tasks: [{ name: 'birthdays', run: async () => ran.push('birthdays') }],
      logger: { error: () => undefined },
    });
    const report = await tick.run(new Date());
    expect(ran).toEqual(['promote', 'birthdays']);
    expect(report.reconcile).toEqual({ error: 'boom' });
  });
});
