import { sql } from 'drizzle-orm';
import { insertContacts } from '../support/factories';
import { consoleSuite } from './console-suite';

jest.setTimeout(90_000);

/** Coupons in the console: a batch of 5 codes, a promo to 3 contacts with it, the batch shows 3 issued and 2 available. */
describe('Coupon batches in a real browser', () => {
  const suite = consoleSuite({ now: '2027-05-01T00:00:00Z' });

  it('creates a batch of 5 codes, runs a promo to 3 contacts with it, and shows 3 issued, 2 available', async () => {
    const { ctx } = suite;
    await ctx.services.templates.seedDefaults();
    await insertContacts(ctx.db, [1, 2, 3].map((n) => ({ name: `顾客${n}`, phone: `+86139000011${n}0`, tags: ['coupon-promo'] })));

    const page = await suite.open('/coupons', 'marketer');
    const form = page.getByTestId('coupon-create');
    await form.locator('input[name=batchName]').fill('五一满减券');
    await form.locator('input[name=value]').fill('20');
    await form.locator('input[name=count]').fill('5');
    await form.getByRole('button').click();
    await page.getByTestId('coupon-batch-stats').getByTestId('coupon-available').filter({ hasText: '5' }).waitFor();
    const batchId = page.url().split('/').pop()!;

    // The promo, with the batch picked in the campaign wizard's coupon picker, is created through the API.
    const headers = await ctx.auth('marketer');
    const created = (await ctx.app.inject({ method: 'POST', url: '/v1/campaigns', headers, payload: {
      name: '五一', kind: 'promo', sendAt: '2027-05-01T02:00:00Z', filter: { tags: ['coupon-promo'] }, templateKey: 'promo', channels: ['sms'], couponBatchId: batchId,
    } })).json();
    const scheduled = (await ctx.app.inject({ method: 'POST', url: `/v1/campaigns/${created.id}/schedule`, headers })).json();
    ctx.clock.set(scheduled.nextRunAt);
    await ctx.services.campaigns.runDue(ctx.clock.now());
    expect(await ctx.services.campaigns.processFanout({ campaignId: created.id, occurrence: scheduled.nextRunAt })).toMatchObject({ status: 'done', created: 3 });
    const { rows } = await ctx.db.execute<{ n: number }>(sql`select count(distinct coupon_code)::int as n from messages where campaign_id = ${created.id}`);
    expect(rows[0].n).toBe(3);

    await page.goto(page.url());
    const stats = page.getByTestId('coupon-batch-stats');
    await stats.getByTestId('coupon-issued').filter({ hasText: '3' }).waitFor();
    expect(await stats.getByTestId('coupon-available').innerText()).toBe('2');
    await page.getByTestId('coupon-chart').waitFor();
    await page.screenshot({ path: '/tmp/shots-coupons/batch.png', fullPage: true }).catch(() => undefined);

    // The wizard offers the batch in its coupon picker.
    await page.goto(page.url().replace(/\/coupons\/.*$/, '/campaigns/new'));
    const option = page.locator('select[name=couponBatchId] option', { hasText: '五一满减券' });
    await option.waitFor({ state: 'attached' });
    await page.screenshot({ path: '/tmp/shots-coupons/wizard.png' }).catch(() => undefined);
    await page.close();
  });
});
