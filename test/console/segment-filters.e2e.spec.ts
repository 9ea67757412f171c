import type { Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../support/context';
import { daysAgo, insertContacts } from '../support/factories';
import { ensureConsoleBuilt, launchBrowser, screenshot, signedInPage, type Browser } from './console-browser';
import { keyFor } from './console-fixtures';

jest.setTimeout(60_000);

const NOW = new Date('2027-09-15T02:30:00Z');

describe('Care-journey segment filters in the console', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    ctx = await createTestContext({ now: NOW.toISOString() });
    baseUrl = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const woman = { gender: 'female' as const, birthdayYear: 1980, birthdayMonth: 5, birthdayDay: 1, spentTotal: '1800.00', lastContactedAt: daysAgo(NOW, 120) };
    await insertContacts(ctx.db, [
      { ...woman, name: '王芳' },
      { ...woman, name: '李静', lastContactedAt: null }, // never contacted counts as not contacted
      { ...woman, name: '赵敏', lastContactedAt: daysAgo(NOW, 20) }, // heard from the shop lately
      { ...woman, name: '孙丽', spentTotal: '600.00' }, // spent too little
      { ...woman, name: '周婷', birthdayYear: 2000 }, // 27
      { ...woman, name: '吴倩', birthdayYear: null }, // age unknown
      { ...woman, name: '陈刚', gender: 'male' },
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  const open = async (path: string, role: 'marketer' | 'ops'): Promise<Page> => {
    const page = await signedInPage(browser, baseUrl, await keyFor(ctx, role));
    await page.goto(`${baseUrl}/console/${path}`);
    return page;
  };

  it('builds "women over 30 who spent more than 1,000 and have not heard from the shop in 90 days" and counts them', async () => {
    const page = await open('segments', 'marketer');
    await page.locator('input[name=segmentName]').fill('三十岁以上高消费女性');
    await page.locator('select[name=gender]').selectOption('female');
    await page.locator('input[name=ageMin]').fill('31');
    await page.locator('input[name=spentMin]').fill('1000');
    await page.locator('input[name=notContactedForDays]').fill('90');
    await page.getByRole('button', { name: '新建', exact: true }).click();

    const row = page.getByTestId('segment-row').filter({ hasText: '三十岁以上高消费女性' });
    await row.getByTestId('segment-count').filter({ hasText: '2' }).waitFor();
    expect(await row.getByTestId('filter-summary').innerText()).toContain('最低消费: 1000');
    await screenshot(page, 'segment-care-filters');
    await page.close();
  });

  it('aims the birthday automation at a segment, kept across a reload', async () => {
    const segment = await ctx.app.inject({
      method: 'POST', url: '/v1/segments', headers: await ctx.auth('marketer'), payload: { name: '会员', filter: { tiers: 'member' } },
    });
    const page = await open('automations', 'ops');
    const form = page.getByTestId('automation-birthday');
    await form.getByTestId('audience-picker').waitFor();
    await form.locator('input[name=audience][value=segment]').check();
    await form.locator('select[name=audienceSegment]').selectOption({ label: '会员' });
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByRole('status').filter({ hasText: '已保存' }).waitFor();

    await page.reload();
    // The segment names load after the settings: wait for the saved one's option, not just the select.
    await form.locator(`select[name=audienceSegment] option[value="${segment.json().id}"]`).waitFor({ state: 'attached' });
    expect(await form.locator('select[name=audienceSegment]').inputValue()).toBe(segment.json().id);
    const stored = await ctx.app.inject({ method: 'GET', url: '/v1/automations', headers: await ctx.auth('viewer') });
    expect(stored.json().items[0]).toMatchObject({ key: 'birthday', segmentId: segment.json().id, filter: null });
    await page.close();
  });
});
