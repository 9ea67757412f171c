import { sql } from 'drizzle-orm';
import { insertContacts, uniquePhone } from '../support/factories';
import { screenshot } from './console-browser';
import { consoleSuite } from './console-suite';

jest.setTimeout(90_000);

// Wednesday 2027-03-10, 10:00 in Shanghai.
const NOW = '2027-03-10T02:00:00Z';

describe('Reports in the console', () => {
  const suite = consoleSuite({ now: NOW });

  it('shows a 20 % holdout campaign\'s conversion for the messaged and the held-out customers', async () => {
    const { ctx } = suite;
    const headers = await ctx.auth('admin');
    const post = async (url: string, payload?: object) => {
      const res = await ctx.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    await post('/v1/templates', { key: 'spring-promo', channel: 'sms', locale: 'zh-CN', body: '{{contact.name}}您好，春季新品八折，欢迎回来选购。' });
    await insertContacts(ctx.db, Array.from({ length: 50 }, (_, i) => ({ name: `顾客${i}`, tags: ['spring'], phone: uniquePhone() })));
    const campaign = await post('/v1/campaigns', {
      name: '春季促销', kind: 'promo', filter: { tags: ['spring'] }, templateKey: 'spring-promo', channels: ['sms'], holdoutPercent: 20,
    });
    const scheduled = await post(`/v1/campaigns/${campaign.id}/schedule`);
    await ctx.services.campaigns.runDue(ctx.clock.now());
    await ctx.services.campaigns.processFanout({ campaignId: campaign.id, occurrence: scheduled.nextRunAt });
    const { rows } = await ctx.db.execute<{ id: string; contact_id: string; status: string; job_key: string | null }>(
      sql`select id, contact_id, status, job_key from messages where campaign_id = ${campaign.id} order by contact_id`);
    for (const row of rows.filter((r) => r.status === 'queued')) {
      expect(await ctx.services.send.send({ messageId: row.id, jobKey: row.job_key, runId: 'e2e' })).toEqual({ outcome: 'sent', providerMessageId: expect.any(String) });
    }
    const messaged = rows.filter((r) => r.status === 'queued').map((r) => r.contact_id);
    const held = rows.filter((r) => r.status === 'suppressed').map((r) => r.contact_id);
    expect(held.length).toBeGreaterThan(0);
    expect(messaged.length + held.length).toBe(50);

    // Orders two days later: three messaged customers and one held-out customer buy again.
    const buyers = [...messaged.slice(0, 3), held[0]];
    for (const [i, contactId] of buyers.entries()) {
      await post('/v1/orders', { externalId: `spring-${i}`, contactId, amount: 88, currency: 'CNY', placedAt: '2027-03-12T04:00:00Z', status: 'paid' });
    }
    const pct = (n: number, d: number) => `${((n / d) * 100).toFixed(1)}%`;

    const page = await suite.open('/reports', 'viewer');
    const row = page.locator(`[data-report-row="${campaign.id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('conversion-messaged').innerText()).toContain(pct(3, messaged.length));
    expect(await row.getByTestId('conversion-messaged').innerText()).toContain(`3/${messaged.length}`);
    expect(await row.getByTestId('conversion-holdout').innerText()).toContain(pct(1, held.length));
    expect(await row.getByTestId('verdict').getAttribute('data-verdict')).toBe('too-small');
    await page.getByText('样本太少，无法下结论').first().waitFor();
    await page.locator('svg').first().waitFor(); // the ECharts charts drew
    await screenshot(page, 'reports');

    // The campaigns table downloads as CSV with the same figures.
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('section', { hasText: '营销活动' }).getByRole('button', { name: '下载 CSV' }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^carebeat-campaigns-.*\.csv$/);

    // And in English.
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByText('Too small to conclude').first().waitFor();
    await page.getByRole('heading', { name: 'Reports: what care bought' }).waitFor();
    await page.close();
  });
});
