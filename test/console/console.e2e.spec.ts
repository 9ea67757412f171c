import type { Page } from 'playwright-core';
import { startScheduler, startWorkers, type RunningWorkers } from '../../workers';
import { createTestContext, type TestContext } from '../support/context';
import { ensureConsoleBuilt, launchBrowser, screenshot, signedInPage, type Browser } from './console-browser';
import { keyFor, seedShop } from './console-fixtures';

jest.setTimeout(60_000);

/** 10:30 in Shanghai on 2027-09-15, the Mid-Autumn Festival: a 10:00-local greeting is due at once. */
const NOW = '2027-09-15T02:30:00Z';
/** A price no default has, so the wizard's cost can only come from the server's estimate. */
const SMS_PRICE = '0.07';
/** The dashboard chart's colour for sent and delivered messages. */
const SENT_COLOUR = '#2f9e63';

describe('Web console in a real browser', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;
  const running: RunningWorkers[] = [];
  let shop: Awaited<ReturnType<typeof seedShop>>;

  beforeAll(async () => {
    ensureConsoleBuilt();
    ctx = await createTestContext({ now: NOW, env: { SCHEDULER_TICK_MS: '250', SMS_PRICE_PER_SEGMENT: SMS_PRICE } });
    await ctx.services.templates.seedDefaults();
    shop = await seedShop(ctx);
    baseUrl = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    running.push(await startWorkers(ctx, ctx.services), await startScheduler(ctx, ctx.services));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    for (const workers of running) await workers.close();
    await ctx?.close();
  });

  const open = async (role: 'admin' | 'ops' | 'marketer' | 'viewer', path = '/'): Promise<Page> => {
    const page = await signedInPage(browser, baseUrl, await keyFor(ctx, role));
    if (path !== '/') await page.goto(`${baseUrl}/console${path}`);
    return page;
  };

  it('serves the single-page app under /console, with a real 404 for missing assets', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: '/console/contacts/some-id' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<div id="root">');
    expect((await ctx.app.inject({ method: 'GET', url: '/console/assets/nope.js' })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: '/console' })).headers.location).toBe('/console/');
  });

  it('signs in with an API key, shows the role, and refuses a wrong key', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${baseUrl}/console/`);
    await page.fill('input[name=apiKey]', 'cb_not-a-key');
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: '密钥无效' }).waitFor();
    await page.fill('input[name=apiKey]', await keyFor(ctx, 'ops'));
    await page.click('button[type=submit]');
    await page.getByTestId('whoami').filter({ hasText: '运营' }).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
    await page.close();
  });

  it('creates a template with a live preview, SMS counter and inline unknown-variable error', async () => {
    const page = await open('ops', '/templates/new');
    await page.fill('input[name=key]', 'autumn-vip');
    await page.fill('textarea[name=body]', '{{contact.name}}，中秋快乐！');
    await page.getByTestId('preview-text').filter({ hasText: '王小明，中秋快乐！' }).waitFor();
    await page.getByTestId('sms-counter').filter({ hasText: 'UCS-2' }).waitFor();
    expect(await page.getByTestId('sms-segments').textContent()).toBe('1');

    await page.fill('textarea[name=body]', `{{contact.name}}，${'月圆人团圆，'.repeat(14)}`);
    await page.getByTestId('sms-segments').filter({ hasText: '2' }).waitFor();

    await page.fill('textarea[name=body]', '{{contact.nickname}}，中秋快乐！');
    await page.getByTestId('template-problem').filter({ hasText: 'nickname' }).waitFor();

    await page.fill('textarea[name=body]', '{{contact.name}}，中秋快乐！');
    await page.getByTestId('preview-text').waitFor();
    // the gateway template (Aliyun/Tencent): its note, the placeholder warning, then a real code and params
    await page.getByTestId('gateway-template').filter({ hasText: 'SMS_000000 是占位代码' }).waitFor();
    await page.fill('input[name=gatewayCode]', 'SMS_000000');
    await page.getByText('占位代码：请替换为审核通过的模板代码').waitFor();
    await page.fill('input[name=gatewayCode]', 'SMS_123456789');
    await page.fill('textarea[name=gatewayParams]', 'name={{contact.name}}');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('template-version').filter({ hasText: 'v1' }).waitFor();

    await page.fill('textarea[name=body]', '{{contact.name}}，月圆人团圆！');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByTestId('template-version').filter({ hasText: 'v2' }).filter({ hasText: '当前' }).waitFor();
    await page.getByTestId('template-version').filter({ hasText: 'v1' }).getByRole('button', { name: '恢复此版本' }).click();
    await page.getByTestId('template-version').filter({ hasText: 'v1' }).filter({ hasText: '当前' }).waitFor();
    expect(await page.inputValue('textarea[name=body]')).toBe('{{contact.name}}，中秋快乐！');
    expect(await page.inputValue('input[name=gatewayCode]')).toBe('SMS_123456789');
    expect(await page.inputValue('textarea[name=gatewayParams]')).toBe('name={{contact.name}}');
    await page.getByTestId('preview-text').filter({ hasText: '王小明，中秋快乐！' }).waitFor();
    await screenshot(page, 'template-editor');
    await page.close();
  });

  it("shows a segment's recipient count", async () => {
    const page = await open('marketer', '/segments');
    const row = page.getByTestId('segment-row').filter({ hasText: 'VIP 短信' });
    // Two VIPs reachable by SMS: the third opted out.
    await row.getByTestId('segment-count').filter({ hasText: /^2$/ }).waitFor();
    await page.close();
  });

  it('finds 中秋节 on 2027-09-15, schedules a 10:00-local greeting, sees its cost and watches it complete', async () => {
    const page = await open('marketer', '/calendar');
    await page.fill('input[name=year]', '2027');
    const festival = page.locator('[data-holiday=mid-autumn]');
    await festival.filter({ hasText: '2027-09-15' }).filter({ hasText: '中秋节' }).waitFor();
    await screenshot(page, 'calendar');
    await festival.getByRole('link').click();

    await page.locator('select[name=segment] option', { hasText: 'VIP 短信' }).waitFor({ state: 'attached' });
    await page.selectOption('select[name=segment]', { label: 'VIP 短信' });
    await page.locator('select[name=templateKey] option[value=festival]').waitFor({ state: 'attached' });
    await page.selectOption('select[name=templateKey]', 'festival');
    expect(await page.inputValue('input[name=time]')).toBe('10:00');
    expect(await page.inputValue('input[name=date]')).toBe('2027-09-15');
    await page.getByRole('button', { name: /预估/ }).click();
    await page.getByTestId('estimate-recipients').filter({ hasText: /^2$/ }).waitFor();
    // Two VIPs by SMS, the festival greeting in one segment each: 2 segments at 0.07.
    expect(await page.getByTestId('estimate-by-channel').textContent()).toBe('短信 2 / 邮件 0');
    expect(await page.getByTestId('estimate-segments').textContent()).toBe('2');
    expect(await page.getByTestId('estimate-cost').textContent()).toBe('¥0.14');
    // Estimating saved nothing: no draft to cancel later.
    const campaigns = async () => (await ctx.app.inject({ method: 'GET', url: '/v1/campaigns', headers: await ctx.auth('viewer') })).json().items;
    expect(await campaigns()).toEqual([]);
    await screenshot(page, 'campaign-wizard');

    await page.getByRole('button', { name: /确认排期/ }).click();
    // Scheduling asks first: how many, what it costs, when the first one goes.
    await page.getByTestId('confirm-schedule').filter({ hasText: '2 位客户' }).filter({ hasText: '2027-09-15 10:00' }).waitFor();
    await page.getByRole('button', { name: '确认发送' }).click();
    await page.waitForURL(/\/console\/campaigns\/[0-9a-f-]{36}$/);
    await page.locator('h1 .badge[data-status=completed]', { hasText: '已完成' }).waitFor({ timeout: 30_000 });
    const campaignId = page.url().split('/').pop()!;
    expect((await campaigns()).map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([[campaignId, 'completed']]);
    const sent = await ctx.app.inject({ method: 'GET', url: `/v1/messages?campaignId=${campaignId}`, headers: await ctx.auth('viewer') });
    expect(sent.json().items.map((m: { to: string }) => m.to).sort()).toEqual(['+8613800138001', '+8613800138002']);
    await screenshot(page, 'campaign');

    await page.goto(`${baseUrl}/console/calendar`);
    await page.fill('input[name=year]', '2027');
    await festival.filter({ hasText: '中秋节' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await festival.filter({ hasText: 'Mid-Autumn Festival' }).waitFor();
    await page.getByRole('heading', { name: 'Holiday calendar' }).waitFor();
    await page.close();
  });

  it('pauses, resumes and cancels a scheduled campaign', async () => {
    const headers = await ctx.auth('marketer');
    const created = await ctx.app.inject({ method: 'POST', url: '/v1/campaigns', headers, payload: {
      name: '国庆促销', kind: 'promo', sendLocal: { date: '2027-10-01', time: '10:00' }, segmentId: shop.segment.id, templateKey: 'promo', channels: ['sms'],
    } });
    const { id } = created.json();
    expect((await ctx.app.inject({ method: 'POST', url: `/v1/campaigns/${id}/schedule`, headers, payload: {} })).statusCode).toBe(200);
    const page = await open('marketer', `/campaigns/${id}`);
    const status = (value: string) => page.locator(`h1 .badge[data-status=${value}]`).waitFor();
    await status('scheduled');
    await page.getByRole('button', { name: '暂停' }).click();
    await status('paused');
    await page.getByRole('button', { name: '继续' }).click();
    await status('scheduled');
    await page.getByRole('button', { name: '取消活动' }).click();
    await page.getByTestId('confirm-cancel').filter({ hasText: '已发出的 0 条' }).waitFor();
    await page.getByRole('button', { name: '确认取消' }).click();
    await status('cancelled');
    expect(await page.getByRole('button').filter({ hasText: /暂停|继续|取消活动/ }).count()).toBe(0);
    await page.close();
  });

  it('shows a contact with consent per channel and message history, and the message log', async () => {
    const page = await open('ops', `/contacts/${shop.contacts[0].id}`);
    await page.getByRole('heading', { name: '王小明' }).waitFor();
    await page.locator('td', { hasText: '节日' }).first().waitFor();
    await screenshot(page, 'contact');
    await page.goto(`${baseUrl}/console/contacts`);
    await page.locator('a', { hasText: '李娜' }).waitFor();
    await screenshot(page, 'contacts');

    await page.getByRole('button', { name: '导入 CSV' }).click();
    const csv = 'externalId,name,phone,tags\nshop-9,周杰,+8613800138009,walk-in\nshop-10,坏号码,12345,walk-in\n';
    await page.getByTestId('import-panel').locator('input[type=file]').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: '开始导入' }).click();
    const report = page.getByTestId('import-panel');
    await report.getByText('新建 1 个，更新 0 个，拒绝 1 行').waitFor();
    await report.locator('td', { hasText: '手机号：不是有效的电话号码' }).waitFor();
    await page.locator('a', { hasText: '周杰' }).waitFor();

    await page.goto(`${baseUrl}/console/`);
    // The two greetings just sent show up in the last 24 h and in today's bar of the SMS chart
    // (an empty day draws no bar, so a bar in the sent colour is those two).
    await page.getByTestId('last24h').filter({ hasText: '已发送 2' }).waitFor();
    const smsChart = page.locator('figure[data-channel=sms]');
    await smsChart.locator(`path[fill="${SENT_COLOUR}"]`).first().waitFor();
    expect(await smsChart.locator('.legend').textContent()).toContain('已发送/送达 2');
    expect(await page.locator(`figure[data-channel=email] path[fill="${SENT_COLOUR}"]`).count()).toBe(0);
    await screenshot(page, 'dashboard');
    await page.goto(`${baseUrl}/console/messages`);
    await page.selectOption('select[name=kind]', 'holiday');
    await page.locator('td', { hasText: '+8613800138002' }).waitFor();
    await screenshot(page, 'messages');
    await page.locator('tbody a').first().click();
    await page.getByTestId('message-events').locator('tr').first().waitFor();
    await page.close();
  });

  it('saves automation settings, names the field of a refused one, and keeps them across a reload', async () => {
    const page = await open('ops', '/automations');
    const birthday = page.getByTestId('automation-birthday');
    const followUp = page.getByTestId('automation-first-order-follow-up');
    await birthday.locator('input[name=sendAt]').fill('08:30');
    await birthday.locator('input[name=channel-email]').check();
    await birthday.getByRole('button', { name: '保存' }).click();
    await birthday.getByRole('status').filter({ hasText: '已保存' }).waitFor();

    await followUp.locator('input[name=delayDays]').fill('20');
    await followUp.getByRole('button', { name: '保存' }).click();
    await followUp.getByRole('alert').filter({ hasText: 'windowEndDays' }).waitFor();
    await followUp.locator('input[name=windowEndDays]').fill('30');
    await followUp.locator('select[name=trigger]').selectOption('paid'); // 付款时起算
    await followUp.getByRole('button', { name: '保存' }).click();
    await followUp.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    expect(await followUp.getByRole('alert').count()).toBe(0);
    await screenshot(page, 'automations');

    await page.reload();
    await birthday.locator('input[name=sendAt]').waitFor();
    expect(await birthday.locator('input[name=sendAt]').inputValue()).toBe('08:30');
    expect(await birthday.locator('input[name=channel-email]').isChecked()).toBe(true);
    expect(await followUp.locator('input[name=delayDays]').inputValue()).toBe('20');
    expect(await followUp.locator('input[name=windowEndDays]').inputValue()).toBe('30');
    expect(await followUp.locator('select[name=trigger]').inputValue()).toBe('paid');
    const stored = await ctx.app.inject({ method: 'GET', url: '/v1/automations', headers: await ctx.auth('viewer') });
    expect(stored.json().items).toEqual(expect.arrayContaining([
      expect.objectContaining({ key: 'birthday', sendAt: '08:30', channels: ['sms', 'email'] }),
      expect.objectContaining({ key: 'first-order-follow-up', delayDays: 20, windowEndDays: 30, trigger: 'paid' }),
    ]));
    await page.close();
  });

  it('gives a viewer no edit buttons, and shows a readable message when the API says 403', async () => {
    const page = await open('viewer', '/templates');
    await page.locator('tbody a').first().waitFor();
    expect(await page.getByRole('button', { name: '新建模板' }).count()).toBe(0);
    await page.locator('tbody a').first().click();
    await page.getByTestId('template-version').first().waitFor();
    expect(await page.getByRole('button', { name: /保存/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '恢复此版本' }).count()).toBe(0);
    for (const [path, label] of [['/contacts', '导入 CSV'], ['/campaigns', '新建活动'], ['/automations', '保存']]) {
      await page.goto(`${baseUrl}/console${path}`);
      await page.locator('h1').waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.getByRole('button', { name: label }).count()).toBe(0);
    }
    await page.goto(`${baseUrl}/console/campaigns/new`);
    await page.fill('input[name=date]', '2027-10-01');
    await page.locator('select[name=segment] option', { hasText: 'VIP 短信' }).waitFor({ state: 'attached' });
    await page.selectOption('select[name=segment]', { label: 'VIP 短信' });
    await page.getByRole('button', { name: /预估/ }).click();
    await page.getByRole('alert').filter({ hasText: '您的角色无权执行此操作' }).waitFor();
    await page.close();
  });
});
