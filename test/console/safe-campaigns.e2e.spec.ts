import { sql } from 'drizzle-orm';
import { makeContact, insertContact } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';
import { TwilioFake } from '../support/twilio-fake';
import { sendOnce } from '../messages/message-fixtures';
import { ensureConsoleBuilt, launchBrowser, screenshot, signedInPage, type Browser } from './console-browser';
import { keyFor } from './console-fixtures';

jest.setTimeout(90_000);

/**
 * Issue 19 in Chromium, in zh-CN: the brand set once in Settings is in the preview and in the SMS
 * that reaches Twilio; the wizard picks next year's 中秋节, estimates with exclusions and currency,
 * test-sends, previews per recipient and asks before scheduling; cancel asks and says what has gone.
 */
describe('Settings and safe campaigns in the console', () => {
  // After 2027's 中秋节 (September 15): the festival's next occurrence is in 2028.
  const now = '2027-09-20T02:00:00Z';
  let ctx: TestContext;
  let twilio: TwilioFake;
  let browser: Browser;
  let baseUrl: string;
  const open = async (path: string, role: 'admin' | 'marketer' | 'ops') => {
    const page = await signedInPage(browser, baseUrl, await keyFor(ctx, role));
    await page.goto(`${baseUrl}/console${path}`);
    return page;
  };
  const bodiesTo = (phone: string) => twilio.created.filter((request) => request.form.To === phone).map((request) => request.form.Body);
  const api = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await ctx.app.inject({ method, url, headers: await ctx.auth('admin'), ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    twilio = await TwilioFake.start();
    ctx = await createTestContext({
      now,
      env: {
        SMS_PROVIDER: 'twilio', TWILIO_BASE_URL: twilio.baseUrl, TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken,
        TWILIO_FROM: '+15005550006', BRAND_NAME: '', SMS_SIGNATURE: '', BRAND_PHONE: '',
      },
    });
    await ctx.services.templates.seedDefaults();
    baseUrl = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.services.providers.close?.();
    await ctx?.close();
    await twilio?.close();
  });

  it('sets the brand in Settings and sees it in the preview and in the SMS Twilio receives', async () => {
    const contact = await makeContact(ctx.db, { name: '王丽', gender: 'female', tags: ['brand19'], timeZone: 'Asia/Shanghai' });
    const page = await open('/settings', 'admin');
    await page.getByTestId('brand-missing').waitFor(); // flagged on every page until set
    await page.fill('input[name=name]', '熊猫旅游');
    await page.fill('input[name=phone]', '400-820-8820');
    await page.fill('input[name=smsSignature]', '熊猫旅游');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('settings-saved').waitFor();
    await page.getByTestId('brand-missing').waitFor({ state: 'detached' });
    await screenshot(page, 'settings');

    // The promo template's preview for this contact: signature, brand, phone and 回T退订, counted.
    const promo = (await api('GET', '/v1/templates?key=promo&channel=sms&locale=zh-CN')).items[0];
    await page.goto(`${baseUrl}/console/templates/${promo.id}`);
    await page.locator(`select[name=previewContact] option[value="${contact.id}"]`).waitFor({ state: 'attached' });
    await page.selectOption('select[name=previewContact]', contact.id);
    const previewed = page.getByTestId('preview-text').filter({ hasText: '王女士' });
    await previewed.waitFor();
    const text = (await previewed.textContent())!;
    expect(text.startsWith('【熊猫旅游】')).toBe(true);
    expect(text).toContain('400-820-8820');
    expect(text.endsWith('回T退订')).toBe(true);
    // The counter counts the whole text as sent (UCS-2: 70 characters in one SMS, 67 per part beyond).
    const characters = [...text].length;
    expect(Number(await page.getByTestId('sms-segments').textContent())).toBe(characters <= 70 ? 1 : Math.ceil(characters / 67));

    // The real campaign message, fanned out and sent: what Twilio receives is what was previewed.
    const campaign = await api('POST', '/v1/campaigns', { name: 'brand test', kind: 'promo', filter: { tags: ['brand19'] }, templateKey: 'promo', channels: ['sms'] });
    const scheduled = await api('POST', `/v1/campaigns/${campaign.id}/schedule`);
    await ctx.services.campaigns.runDue(new Date(scheduled.nextRunAt));
    expect(await ctx.services.campaigns.processFanout({ campaignId: campaign.id, occurrence: scheduled.nextRunAt })).toMatchObject({ created: 1 });
    const [message] = (await api('GET', `/v1/messages?campaignId=${campaign.id}`)).items;
    expect((await sendOnce(ctx, message.id)).outcome).toBe('sent');
    expect(bodiesTo(contact.phone!)).toEqual([text]);
    await page.close();
  });

  it('plans next year\'s 中秋节 with a free estimate, a test send, a recipient preview and confirmations', async () => {
    await makeContact(ctx.db, { name: '李静', tags: ['mid19'], timeZone: 'Asia/Shanghai' });
    await makeContact(ctx.db, { name: '张敏', tags: ['mid19'], timeZone: 'Asia/Shanghai', consentSms: false });
    await insertContact(ctx.db, { name: '无号码', tags: ['mid19'] });
    const campaignsBefore = Number((await ctx.db.execute(sql`select count(*)::int as n from campaigns`)).rows[0].n);

    const page = await open('/campaigns/new', 'marketer');
    await page.locator('input[name=kind]').first().check();
    // "下一次" lists 2028's 中秋节 already (2027's is over); choosing the year 2028 says the same.
    await page.locator('select[name=holiday] option', { hasText: '2028-10-03' }).first().waitFor({ state: 'attached' });
    await page.selectOption('select[name=year]', '2028');
    const midAutumn = page.locator('select[name=holiday] option', { hasText: '中秋' });
    await midAutumn.first().waitFor({ state: 'attached' });
    await page.selectOption('select[name=holiday]', { label: (await midAutumn.first().textContent())! });
    expect(await page.inputValue('input[name=date]')).toBe('2028-10-03');
    // The date stays editable, and a past one is refused in Chinese before anything is sent.
    await page.fill('input[name=date]', '2027-01-01');
    await page.getByTestId('date-over').filter({ hasText: '已经过去' }).waitFor();
    await page.fill('input[name=date]', '2028-10-03');
    await page.locator('input[name=audience]').nth(1).check();
    await page.fill('input[name=filterTags]', 'mid19');

    await page.getByRole('button', { name: '4 · 预估' }).click();
    await page.getByTestId('estimate-recipients').filter({ hasText: '1' }).waitFor();
    expect(await page.getByTestId('estimate-cost').textContent()).toMatch(/¥|CN¥|CNY/);
    expect(await page.locator('[data-reason=noConsent]').textContent()).toContain('1');
    expect(await page.locator('[data-reason=noAddress]').textContent()).toContain('1');
    expect(Number((await ctx.db.execute(sql`select count(*)::int as n from campaigns`)).rows[0].n)).toBe(campaignsBefore); // estimating saved nothing

    // A test copy to the marketer's own phone: it goes now, once, and is not the campaign's.
    await page.fill('input[name=testTo]', '13912345678');
    await page.getByRole('button', { name: '测试发送' }).click();
    await page.getByTestId('test-sent').waitFor();
    const tests = await ctx.db.execute<{ id: string }>(sql`select id from messages where data ? 'test' and to_address is null order by created_at desc limit 1`);
    expect((await sendOnce(ctx, tests.rows[0].id)).outcome).toBe('sent');
    const testBodies = bodiesTo('+8613912345678');
    expect(testBodies).toHaveLength(1);
    expect(testBodies[0]).toContain('【熊猫旅游】');
    expect(testBodies[0]).toContain('中秋');

    // What one recipient gets.
    await page.fill('input[name=previewSearch]', '李静');
    await page.getByTestId('preview-contact').first().click();
    await page.getByTestId('recipient-preview').filter({ hasText: '中秋' }).waitFor();
    expect(await page.getByTestId('recipient-preview').textContent()).toContain('【熊猫旅游】');
    await screenshot(page, 'campaign-wizard-estimate');

    // The test saved the plan as a draft: it opens again in the wizard as it was left.
    const draft = (await ctx.db.execute<{ id: string }>(sql`select id from campaigns where status = 'draft' order by created_at desc limit 1`)).rows[0];
    await page.goto(`${baseUrl}/console/campaigns/new?draft=${draft.id}`);
    await page.locator('input[name=filterTags]').and(page.locator('[value=mid19]')).waitFor();
    expect(await page.inputValue('input[name=date]')).toBe('2028-10-03');
    expect(await page.inputValue('select[name=holiday]')).toBe('mid-autumn');
    await page.getByRole('button', { name: '4 · 预估' }).click();
    await page.getByTestId('estimate-recipients').filter({ hasText: '1' }).waitFor();

    await page.getByRole('button', { name: '5 · 确认排期' }).click();
    const confirm = page.getByTestId('confirm-schedule');
    await confirm.filter({ hasText: '1 位客户' }).waitFor();
    expect(await confirm.textContent()).toContain('2028-10-03 10:00（每位客户当地时间）');
    await confirm.getByRole('button', { name: '确认发送' }).click();
    await page.getByText('已排期').first().waitFor();
    const url = page.url();
    const campaignId = url.slice(url.lastIndexOf('/') + 1);
    expect(campaignId).toBe(draft.id); // the draft was scheduled, not a copy of it
    expect((await api('GET', `/v1/campaigns/${campaignId}`)).stats).toEqual({}); // the test copy is not counted

    await page.getByRole('button', { name: '取消活动' }).click();
    const ask = page.getByTestId('confirm-cancel');
    await ask.filter({ hasText: '已发出的 0 条' }).waitFor();
    await ask.getByRole('button', { name: '确认取消' }).click();
    await page.getByText('已取消').first().waitFor();
    await page.close();
  });
});
