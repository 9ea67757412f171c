import type { Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../support/context';
import { insertContacts } from '../support/factories';
import { ensureConsoleBuilt, launchBrowser, screenshot, signedInPage, type Browser } from './console-browser';
import { keyFor } from './console-fixtures';

jest.setTimeout(60_000);

const NOW = '2027-09-15T02:30:00Z';
const daysAgo = (days: number) => new Date(new Date(NOW).getTime() - days * 86_400_000);

describe('Lifecycle journeys in the console', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    ctx = await createTestContext({ now: NOW });
    baseUrl = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    await insertContacts(ctx.db, [
      { name: 'lapsing 1', orderCount: 1, firstOrderAt: daysAgo(100), lastOrderAt: daysAgo(100) },
      { name: 'lapsing 2', orderCount: 3, firstOrderAt: daysAgo(400), lastOrderAt: daysAgo(120) },
      { name: 'lost', orderCount: 2, firstOrderAt: daysAgo(300), lastOrderAt: daysAgo(200) },
      { name: 'new', orderCount: 1, firstOrderAt: daysAgo(3), lastOrderAt: daysAgo(3) },
    ]);
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
  const counts = async (page: Page) => {
    const table = page.getByTestId('lifecycle-counts');
    await table.locator('td[data-class=lapsing]').filter({ hasText: /\d/ }).waitFor();
    return Object.fromEntries(await Promise.all(['new', 'lapsing', 'lost'].map(async (name) => [name, await table.locator(`td[data-class=${name}]`).innerText()])));
  };

  it('shows the per-class counts, switches the lapsing (care) journey on, and keeps it across a reload', async () => {
    const page = await open();
    const card = page.getByTestId('automation-lifecycle');
    await card.getByText('生命周期旅程').waitFor();
    expect(await counts(page)).toEqual({ new: '1', lapsing: '2', lost: '1' });
    await card.getByRole('columnheader', { name: '沉睡（高挽回）' }).waitFor();

    const care = card.getByTestId('journey-care');
    await care.getByText('关怀问候').waitFor();
    expect(await care.locator('select[name=class]').inputValue()).toBe('lapsing');
    expect(await care.locator('input[name=enabled]').isChecked()).toBe(false);
    await care.locator('input[name=enabled]').check();
    await card.getByRole('button', { name: '保存' }).click();
    await card.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    await screenshot(page, 'automations-lifecycle-journeys');

    await page.reload();
    await card.getByTestId('journey-care').locator('input[name=enabled]').waitFor();
    expect(await card.getByTestId('journey-care').locator('input[name=enabled]').isChecked()).toBe(true);
    expect(await card.getByTestId('journey-winback').locator('input[name=enabled]').isChecked()).toBe(false);
    const stored = await ctx.app.inject({ method: 'GET', url: '/v1/automations/lifecycle', headers: await ctx.auth('viewer') });
    expect(stored.json().rules.find((r: { key: string }) => r.key === 'care')).toMatchObject({ enabled: true, class: 'lapsing' });
    await page.close();
  });
});
