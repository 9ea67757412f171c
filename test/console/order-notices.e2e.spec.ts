import type { Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../support/context';
import { ensureConsoleBuilt, launchBrowser, screenshot, signedInPage, type Browser } from './console-browser';
import { keyFor } from './console-fixtures';

jest.setTimeout(60_000);

describe('Order notice settings in the console', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    ctx = await createTestContext({ now: '2027-09-15T02:30:00Z' });
    baseUrl = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  const open = async (): Promise<Page> => {
    const page = await signedInPage(browser, baseUrl, await keyFor(ctx, 'ops'));
    await page.goto(`${baseUrl}/console/automations`);
    return page;
  };

  it('switches the shipped notice on, keeps it across a reload, and shows the notice on a shipped order\'s page', async () => {
    const { key: _key, ...settings } = (await ctx.services.automations.list()).items[2];
    await ctx.services.automations.putOrderNotices({ ...settings, shipped: { ...settings.shipped, enabled: false } });
    const page = await open();
    const form = page.getByTestId('automation-order-notices');
    const shipped = form.getByTestId('order-notice-shipped');
    await shipped.getByText('发货提醒').waitFor();
    expect(await shipped.locator('input[name=enabled]').isChecked()).toBe(false);

    await shipped.locator('input[name=enabled]').check();
    await form.getByTestId('order-notice-tripReminder').locator('input[name=sendAt]').fill('19:30');
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    await screenshot(page, 'automations-order-notices');

    await page.reload();
    await form.getByTestId('order-notice-shipped').locator('input[name=enabled]').waitFor();
    expect(await form.getByTestId('order-notice-shipped').locator('input[name=enabled]').isChecked()).toBe(true);
    expect(await form.getByTestId('order-notice-tripReminder').locator('input[name=sendAt]').inputValue()).toBe('19:30');
    const stored = await ctx.app.inject({ method: 'GET', url: '/v1/automations', headers: await ctx.auth('viewer') });
    expect(stored.json().items[2]).toMatchObject({ key: 'order-notices', shipped: { enabled: true }, tripReminder: { sendAt: '19:30' } });

    // The shop posts a shipped order through the API: its page shows the 发货 notice that setting made.
    const contact = await ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers: await ctx.auth('ops'), payload: { name: '李娜', phone: '+8613800138111' } });
    const order = await ctx.app.inject({
      method: 'PUT', url: '/v1/orders/by-external-id/SO-9001', headers: await ctx.auth('ops'),
      payload: { contactId: contact.json().id, amount: '99.00', currency: 'CNY', placedAt: '2027-09-15T01:00:00Z', status: 'shipped', carrier: '顺丰', trackingNumber: 'SF100200300' },
    });
    expect(order.statusCode).toBe(201);
    await page.goto(`${baseUrl}/console/orders/${order.json().id}`);
    const notices = page.getByTestId('order-notices');
    await notices.filter({ hasText: '发货通知' }).waitFor();
    expect(await notices.locator('tbody tr').allInnerTexts()).toEqual([expect.stringContaining('发货通知')]);
    await screenshot(page, 'order-page-shipped-notice');
    await page.close();
  });
});
