import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { messages, surveys } from '../../src/db/schema';
import { isHeldOut } from '../../src/modules/messages/holdout';
import { insertContacts, uniquePhone } from '../support/factories';
import { screenshot } from './console-browser';
import { consoleSuite } from './console-suite';

jest.setTimeout(120_000);

// Wednesday 2027-03-10, 10:00 in Shanghai.
const NOW = '2027-03-10T02:00:00Z';
const DRAFT_KEY = 'campaign:00000000-0000-0000-0000-000000000000';

/**
 * The holdout in the campaign wizard (对照组比例: checked 0–50, the estimate leaves the control
 * group out) and the Reports page's coupon redemption and satisfaction parts.
 */
describe('Holdout in the wizard; coupons and satisfaction on the Reports page', () => {
  const suite = consoleSuite({ now: NOW });

  it('schedules a 20 % holdout promo with coupons from the wizard, then shows its redemption and the surveys\' satisfaction', async () => {
    const { ctx } = suite;
    const headers = await ctx.auth('admin');
    const post = async (url: string, payload?: object) => {
      const res = await ctx.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    await post('/v1/templates', { key: 'spring-promo', channel: 'sms', locale: 'zh-CN', body: '{{contact.name}}您好，春季新品八折，凭券再减：{{coupon.code}}' });
    const people = (await insertContacts(ctx.db, Array.from({ length: 40 }, (_, i) => ({ name: `顾客${i}`, tags: ['spring'], phone: uniquePhone() }))))
      .map((c) => c.id);
    await post('/v1/segments', { name: '春季老客', filter: { tags: ['spring'] } });
    await post('/v1/coupon-batches', { name: '春季满减券', value: 20, generate: { count: 60 } });

    const page = await suite.open('/campaigns/new', 'marketer');
    await page.fill('input[name=date]', '2027-03-11');
    await page.locator('select[name=segment] option', { hasText: '春季老客' }).waitFor({ state: 'attached' });
    await page.selectOption('select[name=segment]', { label: '春季老客' });
    await page.locator('select[name=templateKey] option', { hasText: 'spring-promo' }).waitFor({ state: 'attached' });
    await page.selectOption('select[name=templateKey]', 'spring-promo');
    await page.fill('input[name=campaignName]', '春季回访');
    await page.locator('select[name=couponBatchId] option', { hasText: '春季满减券' }).waitFor({ state: 'attached' });
    await page.selectOption('select[name=couponBatchId]', { label: (await page.locator('select[name=couponBatchId] option', { hasText: '春季满减券' }).textContent())! });

    // More than 50 % is refused where it is typed, and nothing can be estimated or saved.
    const estimateButton = page.getByRole('button', { name: '4 · 预估' });
    await page.fill('input[name=holdoutPercent]', '60');
    await page.getByTestId('holdout-error').filter({ hasText: '对照组比例须是 0 到 50 之间的数字' }).waitFor();
    expect(await estimateButton.isDisabled()).toBe(true);
    expect(await page.getByTestId('save-draft').isDisabled()).toBe(true);
    await page.getByText('这部分收件人不会收到消息').waitFor();

    // 20 %: the estimate shows the control group apart and counts only the rest (a draft: the same rule under its stand-in key).
    await page.fill('input[name=holdoutPercent]', '20');
    await page.getByTestId('holdout-error').waitFor({ state: 'detached' });
    await estimateButton.click();
    const standIn = people.filter((id) => isHeldOut({ key: DRAFT_KEY, percent: 20 }, id)).length;
    await page.getByTestId('estimate-recipients').filter({ hasText: new RegExp(`^${40 - standIn}$`) }).waitFor();
    expect(await page.getByTestId('estimate-held-out').innerText()).toBe(`${standIn} (20%)`);
    await screenshot(page, 'wizard-holdout');

    await page.getByRole('button', { name: '5 · 确认排期' }).click();
    await page.getByTestId('confirm-schedule').getByRole('button', { name: '确认' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split('/').pop()!;
    const campaign = (await ctx.app.inject({ method: 'GET', url: `/v1/campaigns/${campaignId}`, headers })).json();
    expect(campaign).toMatchObject({ status: 'scheduled', holdoutPercent: 20, couponBatchId: expect.any(String) });

    // It runs: the control group gets no message (nor a code); the others get theirs with a code.
    ctx.clock.set(campaign.nextRunAt);
    await ctx.services.campaigns.runDue(ctx.clock.now());
    await ctx.services.campaigns.processFanout({ campaignId, occurrence: campaign.nextRunAt });
    ctx.clock.set('2027-03-11T02:00:00Z'); // 10:00 in Shanghai: the recipients' send time
    await ctx.services.outbox.promoteDue();
    const { rows } = await ctx.db.execute<{ id: string; contact_id: string; status: string; job_key: string | null; coupon_code: string | null }>(
      sql`select id, contact_id, status, job_key, coupon_code from messages where campaign_id = ${campaignId} order by contact_id`);
    const sent = rows.filter((r) => r.status === 'queued');
    for (const row of sent) {
      expect(await ctx.services.send.send({ messageId: row.id, jobKey: row.job_key, runId: 'e2e' })).toMatchObject({ outcome: 'sent' });
    }
    const held = people.filter((id) => isHeldOut({ key: `campaign:${campaignId}`, percent: 20 }, id));
    expect(sent).toHaveLength(40 - held.length);
    expect(sent.every((r) => r.coupon_code)).toBe(true);

    // Two customers bring their code to an order (the order redeems it); three surveys went out, two answered (5 and 3).
    for (const [i, row] of sent.slice(0, 2).entries()) {
      await post('/v1/orders', { externalId: `spring-${i}`, contactId: row.contact_id, amount: 100 + i * 50, currency: 'CNY', placedAt: ctx.clock.now().toISOString(), status: 'paid', couponCode: row.coupon_code });
    }
    for (const [i, score] of [5, 3, null].entries()) {
      const [survey] = await ctx.db.insert(messages).values({
        dedupeKey: `survey:${randomUUID()}:sms`, contactId: people[i], channel: 'sms', kind: 'survey', status: 'delivered',
        scheduledAt: ctx.clock.now(), sentAt: ctx.clock.now(), provider: 'console',
      }).returning({ id: messages.id });
      await ctx.db.insert(surveys).values({
        id: randomUUID(), messageId: survey.id, contactId: people[i], channel: 'sms', score, answeredAt: score === null ? null : ctx.clock.now(), answeredVia: score === null ? null : 'sms',
      });
    }

    const reports = await suite.open('/reports', 'viewer');
    const coupons = reports.getByTestId('report-coupons');
    await coupons.getByTestId('coupons-issued').filter({ hasText: new RegExp(`^${sent.length}$`) }).waitFor();
    expect(await coupons.getByTestId('coupons-redeemed').innerText()).toBe('2');
    expect(await coupons.getByTestId('coupons-rate').innerText()).toBe(`${((2 / sent.length) * 100).toFixed(1)}%`);
    expect(await coupons.getByTestId('coupons-revenue').innerText()).toBe('250.00');
    await reports.getByTestId('coupon-chart').locator('svg').waitFor();
    const satisfaction = reports.getByTestId('satisfaction-chart');
    expect(await satisfaction.getByTestId('satisfaction-score').innerText()).toBe('满意率 50%');
    expect(await satisfaction.getByTestId('satisfaction-response-rate').innerText()).toBe('回复率 67%');
    expect(await satisfaction.getByTestId('satisfaction-average').innerText()).toBe('平均分 4.00');
    await satisfaction.locator('svg').waitFor();
    await reports.getByRole('heading', { name: '优惠券核销' }).waitFor();
    await reports.getByRole('heading', { name: '客户满意度' }).waitFor();
    await screenshot(reports, 'reports-sections');

    // And in English.
    await reports.getByRole('button', { name: 'English', exact: true }).click();
    await reports.getByRole('heading', { name: 'Coupon redemption' }).waitFor();
    await reports.getByRole('heading', { name: 'Customer satisfaction' }).waitFor();
    expect(await reports.getByTestId('satisfaction-average').innerText()).toBe('Average score 4.00');
    await reports.close();
    await page.close();
  });

  it('offers the holdout on the automation settings, checked the same way', async () => {
    const { ctx } = suite;
    const put = await ctx.app.inject({ method: 'PUT', url: '/v1/automations/birthday', headers: await ctx.auth('admin'), payload: {
      enabled: true, channels: ['sms'], templateKey: 'birthday', sendAt: '09:00', holdoutPercent: 15,
    } });
    expect(put.statusCode).toBe(200);
    const page = await suite.open('/automations', 'admin');
    const birthday = page.getByTestId('automation-birthday');
    await birthday.locator('input[name=holdoutPercent]').and(page.locator('[value="15"]')).waitFor();
    for (const card of ['automation-first-order-follow-up', 'automation-festivals', 'automation-lifecycle']) {
      await page.getByTestId(card).getByText('对照组比例 (%)').first().waitFor();
    }
    await birthday.locator('input[name=holdoutPercent]').fill('70');
    await birthday.getByTestId('holdout-error').waitFor();
    expect(await birthday.getByRole('button', { name: '保存' }).isDisabled()).toBe(true);
    await birthday.locator('input[name=holdoutPercent]').fill('25');
    await birthday.getByRole('button', { name: '保存' }).click();
    await birthday.getByRole('status').waitFor();
    const listed = (await ctx.app.inject({ method: 'GET', url: '/v1/automations', headers: await ctx.auth('viewer') })).json().items;
    expect(listed.find((item: { key: string }) => item.key === 'birthday').holdoutPercent).toBe(25);
    await screenshot(page, 'automations-holdout');
    await page.close();
  });
});
