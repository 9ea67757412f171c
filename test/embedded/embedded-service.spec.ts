import { bootstrap } from '../../src/bootstrap';
import { startScheduler } from '../../workers';
import { TEST_DB } from '../support/test-env';
import { startWorkerHarness, type WorkerHarness } from '../workers/worker-harness';

/**
 * The whole service as `npm start` runs it — API, send workers and the scheduler's tick in one
 * process — with a contact whose birthday is today, after the local send time. On the embedded
 * database that once froze everything at the first tick; it runs in both jest projects.
 */
describe(`the whole service on ${TEST_DB === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}`, () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    // 11:00 in Shanghai on 2027-06-15: two hours past the default 09:00 birthday send time.
    h = await startWorkerHarness({ now: '2027-06-15T03:00:00Z', env: { SCHEDULER_TICK_MS: '300' } });
    await bootstrap(h.ctx, h.ctx.services); // first boot, as main.ts does it: default templates, app secret
  });
  afterAll(() => h.close());

  const api = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await h.ctx.app.inject({ method, url, headers: await h.ctx.auth('ops'), ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };

  it('greets a contact whose birthday is today at the next tick, and keeps answering throughout', async () => {
    const contact = await api('POST', '/v1/contacts', { name: '李雷', phone: '+8613800138000', birthday: '1990-06-15' });
    expect(contact.nextBirthdayAt).toBe('2027-06-15T03:00:00.000Z'); // caught up: due at once

    const scheduler = await startScheduler(h.ctx, h.ctx.services);
    try {
      const deadline = Date.now() + 20_000;
      let greeting: { status: string; kind: string } | undefined;
      while (!greeting || greeting.status !== 'sent') {
        // Every round trip must come back while the ticks run: nothing waits for itself.
        const health = await h.ctx.app.inject({ method: 'GET', url: '/healthz' });
        expect(health.statusCode).toBe(200);
        greeting = (await api('GET', `/v1/messages?contactId=${contact.id}`)).items[0];
        if (Date.now() > deadline) throw new Error(`birthday greeting still ${greeting?.status ?? 'missing'}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(greeting.kind).toBe('birthday');
      expect(h.sms.sent().map((m) => m.to)).toContain('+8613800138000');

      // Another tick on the same day greets nobody twice, and the API still answers.
      await h.ctx.services.tick.run(h.ctx.clock.now());
      expect((await api('GET', `/v1/messages?contactId=${contact.id}`)).items).toHaveLength(1);
      expect((await api('GET', `/v1/contacts/${contact.id}`)).nextBirthdayAt).toBe('2028-06-15T01:00:00.000Z');
    } finally {
      await scheduler.close();
    }
  });

  it('takes an import and sends a campaign on the same connection', async () => {
    const csv = 'name,phone\n韩梅梅,+8613800138011\n王芳,+8613800138012\n坏号码,12\n';
    const imported = await h.ctx.app.inject({
      method: 'POST', url: '/v1/contacts/import', headers: { ...(await h.ctx.auth('ops')), 'content-type': 'text/csv' }, payload: csv,
    });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({ created: 2 });
    expect(imported.json().rejected).toHaveLength(1);

    const marketer = await h.ctx.auth('marketer');
    const created = await h.ctx.app.inject({
      method: 'POST', url: '/v1/campaigns', headers: marketer,
      payload: { name: '端午', kind: 'promo', sendAt: h.ctx.clock.now().toISOString(), filter: {}, templateKey: 'promo', channels: ['sms'] },
    });
    expect(created.json()).toMatchObject({ status: 'draft' });
    const scheduled = await h.ctx.app.inject({ method: 'POST', url: `/v1/campaigns/${created.json().id}/schedule`, headers: marketer });
    expect(scheduled.statusCode).toBe(200);

    const scheduler = await startScheduler(h.ctx, h.ctx.services);
    try {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const campaign = (await h.ctx.app.inject({ method: 'GET', url: `/v1/campaigns/${created.json().id}`, headers: marketer })).json();
        if (campaign.status === 'completed') {
          expect(campaign.stats.sent).toBeGreaterThanOrEqual(3); // the two imported contacts and 李雷
          break;
        }
        if (Date.now() > deadline) throw new Error(`campaign still ${campaign.status}: ${JSON.stringify(campaign.stats)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await scheduler.close();
    }
  });
});
