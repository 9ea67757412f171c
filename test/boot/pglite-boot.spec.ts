import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildApp } from '../../src/app';
import { bootstrap } from '../../src/bootstrap';
import { loadConfig } from '../../src/config';
import { createServices } from '../../src/container';
import type { Infrastructure } from '../../src/container/types';
import { openPglite } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { createQueues } from '../../src/queue/queues';
import { createLogger } from '../../src/shared/logger';
import { createMetrics } from '../../src/shared/metrics';
import { systemClock } from '../../src/time/clock';
import { deleteQueueKeys } from '../support/context';
import { TEST_REDIS_URL } from '../support/test-env';

/** The zero-setup path: no DATABASE_URL → embedded PGlite, migrated, seeded, serving. */
describe('booting on the embedded PGlite', () => {
  it('migrates, seeds templates, prints an admin key once and answers the API', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'carebeat-pglite-'));
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', QUIET_HOURS: 'off', DATA_DIR: dataDir, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: `cbt-${randomBytes(4).toString('hex')}` });
    const database = await openPglite(join(dataDir, 'pglite'));
    const logger = createLogger(config);
    const queues = createQueues(config, { logger, clock: systemClock });
    try {
      await migrateDatabase(database);
      const infra: Infrastructure = { config, db: database.db, queues, clock: systemClock, logger, metrics: createMetrics() };
      const services = createServices(infra);
      const first = await bootstrap(infra, services);
      const second = await bootstrap(infra, services);
      expect(first.generatedAdminKey).toMatch(/^cb_/);
      expect(second.generatedAdminKey).toBeUndefined();

      const app = await buildApp({ ...infra, services, pingDatabase: database.ping });
      const headers = { authorization: `Bearer ${first.generatedAdminKey}` };
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      const templates = await app.inject({ method: 'GET', url: '/v1/templates?key=birthday', headers });
      expect(templates.json().items.length).toBeGreaterThanOrEqual(4);
      const contact = await app.inject({ method: 'POST', url: '/v1/contacts', headers, payload: { name: '李雷', phone: '13800138000', birthday: '1990-08-15' } });
      expect(contact.statusCode).toBe(201);
      expect(contact.json().phone).toBe('+8613800138000');

      // A campaign fans out on the single embedded connection too (no second connection to wait for).
      const campaign = await app.inject({
        method: 'POST', url: '/v1/campaigns', headers,
        payload: { name: 'pglite', kind: 'promo', sendAt: new Date(Date.now() + 3600_000).toISOString(), filter: {}, templateKey: 'birthday', channels: ['sms'] },
      });
      expect(campaign.statusCode).toBe(201);
      const scheduled = (await app.inject({ method: 'POST', url: `/v1/campaigns/${campaign.json().id}/schedule`, headers })).json();
      await services.campaigns.runDue(new Date(scheduled.nextRunAt));
      const fanout = await services.campaigns.processFanout({ campaignId: campaign.json().id, occurrence: scheduled.nextRunAt });
      expect(fanout).toMatchObject({ status: 'done', created: 1 });

      // And a one-off message goes through the batched send path (claim, checks, sent) on it.
      const message = await app.inject({ method: 'POST', url: '/v1/messages', headers, payload: { contactId: contact.json().id, channel: 'sms', body: '{{contact.name}}，您好' } });
      expect(message.statusCode).toBe(201);
      expect(await services.send.send({ messageId: message.json().id, jobKey: null, runId: 'boot' })).toMatchObject({ outcome: 'sent' });
      const sent = (await app.inject({ method: 'GET', url: `/v1/messages/${message.json().id}`, headers })).json();
      expect(sent).toMatchObject({ status: 'sent', body: '李雷，您好' });
      await app.close();
      await services.providers.close();
    } finally {
      await deleteQueueKeys(queues.connection, config.QUEUE_PREFIX);
      await queues.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
