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

  it('switches the shipped notice on, saves it, and keeps it across a reload', async () => {
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
    await page.close();
  });
});
